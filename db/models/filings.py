"""Filings (注册申报): qualifications imported by administrators, registrations held, applications and their steps."""

from __future__ import annotations

from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class Qualification(Model):
    """A 资格 record as imported: one specialty of one qualification certificate, matched to people by ID number."""

    id = fields.IntField(primary_key=True)
    id_number_digest = fields.CharField(max_length=64, db_index=True)
    id_number_masked = fields.CharField(max_length=18)
    real_name = fields.CharField(max_length=30)
    specialty_code = fields.CharField(max_length=2)
    certificate_number = fields.CharField(max_length=40)
    issued_on = fields.DateField()
    temporary = fields.BooleanField(default=False)
    imported_at = fields.DatetimeField()

    class Meta:
        table = "qualification"
        unique_together = (("certificate_number", "specialty_code"),)


class RegistrationStatus(str, Enum):
    """A person's registration as a whole: ACTIVE until cancelled, lapsed or revoked."""

    ACTIVE = "ACTIVE"
    CANCELLED = "CANCELLED"
    LAPSED = "LAPSED"
    REVOKED = "REVOKED"


class Registration(Model):
    """注册: at most one per person, with one employer, and its specialties each with their own expiry."""

    id = fields.IntField(primary_key=True)
    person: fields.OneToOneRelation[Any] = fields.OneToOneField(
        "models.Person", related_name="registration", on_delete=fields.RESTRICT
    )
    enterprise: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Enterprise", related_name="registrations", on_delete=fields.RESTRICT
    )
    number = fields.CharField(max_length=20, unique=True)
    seal_check = fields.IntField(default=0)
    status = fields.CharEnumField(RegistrationStatus, max_length=10, default=RegistrationStatus.ACTIVE)
    temporary = fields.BooleanField(default=False)
    registered_on = fields.DateField()
    ended_on = fields.DateField(null=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "registration"


class RegisteredSpecialty(Model):
    """One specialty of a registration and its own validity (增项 adds one with its own three years)."""

    id = fields.IntField(primary_key=True)
    registration: fields.ForeignKeyRelation[Registration] = fields.ForeignKeyField(
        "models.Registration", related_name="specialties", on_delete=fields.CASCADE
    )
    specialty_code = fields.CharField(max_length=2)
    registered_on = fields.DateField()
    expires_on = fields.DateField()
    active = fields.BooleanField(default=True)

    class Meta:
        table = "registered_specialty"
        unique_together = (("registration_id", "specialty_code"),)


class FilingBan(Model):
    """A ban on filing set by staff: false materials 1 year, fraud or bribery 3 years."""

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Person", related_name="filing_bans", on_delete=fields.RESTRICT
    )
    reason = fields.CharField(max_length=200)
    ends_on = fields.DateField()
    staff: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.StaffUser", related_name="filing_bans", null=True, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "filing_ban"
        indexes = (("person_id", "ends_on"),)


class ApplicationKind(str, Enum):
    """The eight kinds of filing."""

    INITIAL = "INITIAL"
    CHANGE = "CHANGE"
    ADD_SPECIALTY = "ADD_SPECIALTY"
    RENEWAL = "RENEWAL"
    CANCELLATION = "CANCELLATION"
    REREGISTRATION = "REREGISTRATION"
    CERTIFICATE_REPLACEMENT = "CERTIFICATE_REPLACEMENT"
    PERSONAL_INFO_CHANGE = "PERSONAL_INFO_CHANGE"


class ApplicationStatus(str, Enum):
    """Where a filing is. The review issue adds the transitions between the review stages."""

    SUBMITTED = "SUBMITTED"  # waiting for the automatic pre-check
    ENTERPRISE_CONFIRMATION = "ENTERPRISE_CONFIRMATION"
    SPECIALTY_REVIEW = "SPECIALTY_REVIEW"
    MINISTRY_REVIEW = "MINISTRY_REVIEW"
    RETURNED = "RETURNED"  # 补正: waiting for the applicant to resubmit
    APPROVED = "APPROVED"
    ANNOUNCED = "ANNOUNCED"
    REFUSED = "REFUSED"
    WITHDRAWN = "WITHDRAWN"


class Application(Model):
    """A filing (注册申报) of one kind by one person, with the inputs of its kind."""

    # open_key is person:kind while the filing is open and NULL once it is closed. Its unique index makes one
    # open application per kind per person hold under any concurrency, on SQLite and PostgreSQL alike.

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Person", related_name="applications", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(ApplicationKind, max_length=30)
    status = fields.CharEnumField(ApplicationStatus, max_length=30, default=ApplicationStatus.SUBMITTED)
    open_key = fields.CharField(max_length=50, unique=True, null=True)
    temporary = fields.BooleanField(default=False)
    enterprise: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Enterprise", related_name="applications", null=True, on_delete=fields.RESTRICT
    )
    contract_start = fields.DateField(null=True)
    contract_end = fields.DateField(null=True)
    specialty_codes: fields.Field[list[str]] = fields.JSONField(default=list)
    # The inputs particular to the kind (reasons, the personal-info changes with any ID number encrypted).
    details: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    terms_version = fields.CharField(max_length=20)
    terms_accepted_at = fields.DatetimeField()
    submitted_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)
    # Bumped by every transition: conditional updates compare it, so two racing transitions cannot both win.
    version = fields.IntField(default=0)
    # The review queue this filing waits in (`STAGE|scope`, e.g. `ENTERPRISE_CONFIRMATION|E:12`, `MINISTRY_REVIEW|M`)
    # while a reviewer has to act, NULL otherwise: each queue is read in keyset order from its own index.
    queue_key = fields.CharField(max_length=60, null=True)
    stage_entered_at = fields.DatetimeField(null=True)
    stage_deadline_on = fields.DateField(null=True)  # working days after stage_entered_at (Asia/Shanghai)
    overdue_notified_at = fields.DatetimeField(null=True)  # reset on entering a stage
    # The specialties whose specialty-ministry review passed (they are reviewed one specialty at a time).
    reviewed_specialty_codes: fields.Field[list[str] | None] = fields.JSONField(null=True)
    # Set in the unit of work that applies an approval's effect (certificate, registration): it happens once.
    effect_applied_at = fields.DatetimeField(null=True)
    announcement: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Announcement", related_name="applications", null=True, on_delete=fields.RESTRICT
    )

    class Meta:
        table = "application"
        indexes = (
            ("person_id", "submitted_at"),
            ("status", "submitted_at"),
            ("queue_key", "stage_entered_at", "id"),
            ("queue_key", "stage_deadline_on", "id"),
            ("status", "decided_at", "id"),
        )


class StepOutcome(str, Enum):
    """What happened at a step (a step waiting for someone is PENDING)."""

    PENDING = "PENDING"
    DONE = "DONE"
    PASSED = "PASSED"
    RETURNED = "RETURNED"
    REFUSED = "REFUSED"
    WITHDRAWN = "WITHDRAWN"


class ApplicationStep(Model):
    """进度: one step of a filing, in order (`seq` from 1), with who acted, their comment and the deadline."""

    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[Application] = fields.ForeignKeyField(
        "models.Application", related_name="steps", on_delete=fields.CASCADE
    )
    seq = fields.IntField()
    stage = fields.CharField(max_length=30)
    outcome = fields.CharEnumField(StepOutcome, max_length=10)
    actor_role = fields.CharField(max_length=20)
    staff: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.StaffUser", related_name="application_steps", null=True, on_delete=fields.RESTRICT
    )
    comment = fields.TextField(null=True)
    # 补正: the items to correct, and reasons found by the pre-check, as [{"code", "message", "field"?}, ...].
    items: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField()
    deadline_on = fields.DateField(null=True)

    class Meta:
        table = "application_step"
        unique_together = (("application_id", "seq"),)
