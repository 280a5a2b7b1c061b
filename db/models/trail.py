"""The operation trail (操作轨迹): append-only, one hash chain per person."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class TrailEntry(Model):
    """One action. entry_hash covers every field and the hash of the previous entry."""

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Person", related_name="trail", on_delete=fields.RESTRICT
    )
    seq = fields.IntField()
    created_at = fields.DatetimeField()
    action = fields.CharField(max_length=40)
    description = fields.CharField(max_length=200)
    actor = fields.CharField(max_length=80)
    ip = fields.CharField(max_length=45)
    user_agent = fields.CharField(max_length=300)
    prev_hash = fields.CharField(max_length=64)
    entry_hash = fields.CharField(max_length=64)

    class Meta:
        table = "trail_entry"
        unique_together = (("person_id", "seq"),)
