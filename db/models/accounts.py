"""People, staff, employers and login sessions."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class StaffRole(str, Enum):
    """What a staff account may do."""

    ADMIN = "ADMIN"
    PROVINCE = "PROVINCE"
    ENTERPRISE = "ENTERPRISE"
    SPECIALTY_MINISTRY = "SPECIALTY_MINISTRY"
    MINISTRY = "MINISTRY"


class EnterpriseStatus(str, Enum):
    """资质状态: only a QUALIFIED employer can take on registered constructors."""

    QUALIFIED = "QUALIFIED"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"


class Enterprise(Model):
    """An employer (聘用企业), identified by its unified social credit code."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    credit_code = fields.CharField(max_length=18, unique=True)
    province_code = fields.CharField(max_length=2)
    # 资质状态, an EnterpriseStatus value: an employer that is not QUALIFIED cannot take on registered constructors.
    qualification_status = fields.CharField(max_length=10, default="QUALIFIED", db_default="QUALIFIED")
    # Pinyin initials of the name (中建三局 → zjsj), for suggestions while the person types.
    name_initials = fields.CharField(max_length=200, default="", db_default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "enterprise"


class Person(Model):
    """An applicant. The ID number is kept encrypted, looked up by keyed digest, shown masked."""

    id = fields.IntField(primary_key=True)
    real_name = fields.CharField(max_length=30)
    id_number_digest = fields.CharField(max_length=64, unique=True)
    id_number_cipher = fields.TextField()
    id_number_masked = fields.CharField(max_length=18)
    birth_date = fields.DateField()
    gender = fields.CharField(max_length=1)
    # One number, one person (MOBILE_TAKEN): the unique index settles concurrent registrations and changes.
    mobile = fields.CharField(max_length=11, unique=True)
    password_hash = fields.CharField(max_length=200)
    nationality = fields.CharField(max_length=2, default="CN", db_default="CN")  # ISO 3166-1 alpha-2 (GB/T 2659)
    ethnicity = fields.CharField(max_length=10, null=True)
    email = fields.CharField(max_length=254, null=True)
    education = fields.CharField(max_length=20, null=True)
    degree = fields.CharField(max_length=10, null=True)
    school = fields.CharField(max_length=100, null=True)
    # Head of the trail hash chain: a truncated chain (last entries deleted) no longer matches it.
    trail_head_seq = fields.IntField(default=0)
    trail_head_hash = fields.CharField(max_length=64, default="0" * 64)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "person"


class StaffUser(Model):
    """An employee of an enterprise, a provincial authority, a ministry, or an administrator."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=50, unique=True)
    display_name = fields.CharField(max_length=50)
    role = fields.CharEnumField(StaffRole, max_length=20)
    province_code = fields.CharField(max_length=2, null=True)
    enterprise: fields.ForeignKeyNullableRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="staff", null=True, on_delete=fields.RESTRICT
    )
    password_hash = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # SPECIALTY_MINISTRY: the specialty codes it reviews (e.g. ["02"]); NULL for other roles.
    specialty_codes: fields.Field[list[str] | None] = fields.JSONField(null=True)
    mobile = fields.CharField(max_length=11, null=True)  # for notices (overdue items); optional

    class Meta:
        table = "staff_user"


class Session(Model):
    """A login session. Only the SHA-256 of the bearer token is stored."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    person: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="sessions", null=True, on_delete=fields.CASCADE
    )
    staff: fields.ForeignKeyNullableRelation[StaffUser] = fields.ForeignKeyField(
        "models.StaffUser", related_name="sessions", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    ip = fields.CharField(max_length=45)
    user_agent = fields.CharField(max_length=300)

    class Meta:
        table = "session"
