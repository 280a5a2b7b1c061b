"""The transactional outbox: jobs written with the business change, relayed to arq after commit."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class OutboxMessage(Model):
    """A job to run. Its id is the arq job id, so re-sending it never runs it twice at once."""

    id = fields.UUIDField(primary_key=True)
    job_name = fields.CharField(max_length=60)
    payload: fields.Field[dict[str, Any]] = fields.JSONField()
    created_at = fields.DatetimeField()
    enqueued_at = fields.DatetimeField(null=True)
    enqueue_count = fields.IntField(default=0)
    done_at = fields.DatetimeField(null=True, db_index=True)
    failed_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "outbox_message"
