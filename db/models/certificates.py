"""Certificates (证书): every issue is a version; the registration numbers' serials; renewal reminders sent."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Certificate(Model):
    """One issue of a registration's certificate: the seal check code is its version (00, 01, …). The facts printed
    on it are kept as issued (snapshot), so an older version still shows what it said."""

    # current_key is the registration id while this version is current and NULL after: its unique index keeps one
    # current certificate per registration under any concurrency.

    id = fields.IntField(primary_key=True)
    registration: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Registration", related_name="certificates", on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Person", related_name="certificates", on_delete=fields.RESTRICT
    )
    application: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.Application", related_name="certificates", null=True, unique=True, on_delete=fields.RESTRICT
    )
    number = fields.CharField(max_length=20)  # 注册编号, without the seal check code
    seal_check = fields.IntField()  # printed as number(NN)
    current_key = fields.IntField(null=True, unique=True)
    reason = fields.CharField(max_length=30)  # the ApplicationKind that issued it
    issued_at = fields.DatetimeField()
    issued_on = fields.DateField()
    # What the certificate says: name, gender, birth date, enterprise, specialties with expiry, issuer.
    snapshot: fields.Field[dict[str, Any]] = fields.JSONField()
    superseded_at = fields.DatetimeField(null=True)
    superseded_reason = fields.CharField(max_length=20, null=True)  # REPLACED, CHANGED, CANCELLED, LAPSED

    class Meta:
        table = "certificate"
        unique_together = (("number", "seal_check"),)
        indexes = (("person_id", "issued_at"),)


class CertificateDownload(Model):
    """A download of the electronic certificate (PDF or PNG): usable until usable_until (180 days, capped)."""

    id = fields.IntField(primary_key=True)
    certificate: fields.ForeignKeyRelation[Certificate] = fields.ForeignKeyField(
        "models.Certificate", related_name="downloads", on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Person", related_name="certificate_downloads", on_delete=fields.RESTRICT
    )
    file_format = fields.CharField(max_length=4)  # PDF, PNG
    created_at = fields.DatetimeField()
    usable_until = fields.DateField()

    class Meta:
        table = "certificate_download"
        indexes = (("certificate_id", "created_at"),)


class RegistrationSerial(Model):
    """The last 5-digit serial given out in a province (registration numbers are unique per province)."""

    province_code = fields.CharField(max_length=2, primary_key=True)
    last_serial = fields.IntField(default=0)

    class Meta:
        table = "registration_serial"


class RenewalReminder(Model):
    """A renewal reminder SMS sent for one specialty's expiry, N days before (sent once)."""

    id = fields.IntField(primary_key=True)
    registered_specialty: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.RegisteredSpecialty", related_name="reminders", on_delete=fields.CASCADE
    )
    days_before = fields.IntField()
    expires_on = fields.DateField()
    sent_at = fields.DatetimeField()

    class Meta:
        table = "renewal_reminder"
        unique_together = (("registered_specialty_id", "days_before", "expires_on"),)
