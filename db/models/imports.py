"""Imports queued for the workers (a CSV too big to import within one request)."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class ImportJob(Model):
    """One queued CSV import: its file (server-named, deleted when done), its status and progress, and its report
    (counts and the first reported row errors) once done."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=20)  # QUALIFICATIONS, ENTERPRISES
    staff: fields.ForeignKeyNullableRelation[Any] = fields.ForeignKeyField(
        "models.StaffUser", related_name="import_jobs", null=True, on_delete=fields.RESTRICT
    )
    status = fields.CharField(max_length=10)  # QUEUED, RUNNING, DONE, FAILED
    storage_name = fields.CharField(max_length=64, unique=True)
    size_bytes = fields.IntField()
    bytes_read = fields.IntField(default=0)
    rows_read = fields.IntField(default=0)
    imported = fields.IntField(default=0)
    updated = fields.IntField(default=0)
    unchanged = fields.IntField(default=0)
    error_count = fields.IntField(default=0)
    errors: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    failure = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "import_job"
        indexes = (("created_at", "id"),)
