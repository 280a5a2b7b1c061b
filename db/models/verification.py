"""Real-name verification (实名认证): attempts by Alipay or on site, and the provider notices received."""

from __future__ import annotations

from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class VerificationMethod(str, Enum):
    """How the person proves their identity."""

    ALIPAY = "ALIPAY"
    ONSITE = "ONSITE"


class VerificationStatus(str, Enum):
    """PENDING moves once, to PASSED, FAILED or EXPIRED."""

    PENDING = "PENDING"
    PASSED = "PASSED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"


class VerificationAttempt(Model):
    """One try at real-name verification. The provider ids tie it to Alipay (or the sandbox)."""

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Person", related_name="verifications", on_delete=fields.RESTRICT
    )
    method = fields.CharEnumField(VerificationMethod, max_length=10)
    status = fields.CharEnumField(VerificationStatus, max_length=10, default=VerificationStatus.PENDING)
    outer_order_no = fields.CharField(max_length=32, unique=True)
    certify_id = fields.CharField(max_length=64, unique=True, null=True)
    certify_url = fields.TextField(null=True)
    provider = fields.CharField(max_length=20)
    failure_reason = fields.CharField(max_length=200, null=True)
    staff: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.StaffUser", related_name="verifications", null=True, on_delete=fields.RESTRICT
    )
    comment = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    completed_at = fields.DatetimeField(null=True)
    last_checked_at = fields.DatetimeField(null=True)
    check_count = fields.IntField(default=0)

    class Meta:
        table = "verification_attempt"
        indexes = (("person_id", "created_at"), ("status", "created_at"))


class ProviderNotice(Model):
    """An asynchronous notice as received (valid or not, kept for audit). notify_id is stable across retries."""

    id = fields.IntField(primary_key=True)
    provider = fields.CharField(max_length=20)
    notify_id = fields.CharField(max_length=128, null=True)
    certify_id = fields.CharField(max_length=64, null=True, db_index=True)
    params: fields.Field[dict[str, Any]] = fields.JSONField()
    valid = fields.BooleanField()
    rejection = fields.CharField(max_length=200, null=True)
    received_at = fields.DatetimeField()
    ip = fields.CharField(max_length=45)
    processed_at = fields.DatetimeField(null=True)
    outcome = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "provider_notice"
        unique_together = (("provider", "notify_id"),)


class SandboxCertification(Model):
    """State of the local Alipay stand-in: what the person pressed on the sandbox certify page."""

    id = fields.IntField(primary_key=True)
    certify_id = fields.CharField(max_length=64, unique=True)
    outer_order_no = fields.CharField(max_length=32)
    cert_name = fields.CharField(max_length=30)
    cert_no_masked = fields.CharField(max_length=18)
    return_url = fields.TextField(null=True)
    passed = fields.BooleanField(null=True)
    fail_reason = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sandbox_certification"
