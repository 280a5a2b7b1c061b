"""Announcements (公告): the ministry publishes approved filings in numbered batches."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Announcement(Model):
    """A numbered announcement of a year (e.g. 2026年第3号), listing the approved filings it publishes."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField()
    seq = fields.IntField()
    title = fields.CharField(max_length=200)
    published_at = fields.DatetimeField()
    staff: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.StaffUser", related_name="announcements", null=True, on_delete=fields.RESTRICT
    )
    application_count = fields.IntField(default=0)

    class Meta:
        table = "announcement"
        unique_together = (("year", "seq"),)
        indexes = (("published_at", "id"),)
