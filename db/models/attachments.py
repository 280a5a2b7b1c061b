"""Uploaded images; a new upload of a kind replaces the current one and keeps the history."""

from __future__ import annotations

from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class AttachmentKind(str, Enum):
    """The five materials of the portal."""

    PHOTO = "PHOTO"
    ID_CARD_FRONT = "ID_CARD_FRONT"
    ID_CARD_BACK = "ID_CARD_BACK"
    HANDHELD_ID = "HANDHELD_ID"
    SIGNATURE = "SIGNATURE"


class Attachment(Model):
    """One stored, re-encoded image. current marks the one in use for its kind."""

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Person", related_name="attachments", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(AttachmentKind, max_length=20)
    storage_name = fields.CharField(max_length=64, unique=True)
    content_type = fields.CharField(max_length=20)
    size_bytes = fields.IntField()
    width = fields.IntField()
    height = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    current = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    replaced_at = fields.DatetimeField(null=True)
    file_deleted_at = fields.DatetimeField(null=True)  # a replaced file removed by the cleanup job; the row stays

    class Meta:
        table = "attachment"
        indexes = (("person_id", "kind", "current"),)
