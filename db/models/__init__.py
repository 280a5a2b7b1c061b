"""All Tortoise models of the portal (app label `models`)."""

from db.models.accounts import Enterprise, Person, Session, StaffRole, StaffUser
from db.models.attachments import Attachment, AttachmentKind
from db.models.outbox import OutboxMessage
from db.models.trail import TrailEntry

__all__ = [
    "Attachment",
    "AttachmentKind",
    "Enterprise",
    "OutboxMessage",
    "Person",
    "Session",
    "StaffRole",
    "StaffUser",
    "TrailEntry",
]
