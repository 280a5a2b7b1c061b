"""Staff access to a person's data, granted by opening a case in the staff user's scope."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class StaffCaseAccess(Model):
    """A staff user opened a case of this person (on-site verification): they may read the person's data until
    expires_at. One row per opening, kept as a record."""

    id = fields.IntField(primary_key=True)
    staff: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.StaffUser", related_name="case_accesses", on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Person", related_name="staff_accesses", on_delete=fields.RESTRICT
    )
    opened_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    class Meta:
        table = "staff_case_access"
        indexes = (("staff_id", "person_id", "expires_at"),)
