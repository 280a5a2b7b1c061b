"""All Tortoise models of the portal (app label `models`)."""

from db.models.access import StaffCaseAccess
from db.models.accounts import Enterprise, Person, Session, StaffRole, StaffUser
from db.models.attachments import Attachment, AttachmentKind
from db.models.outbox import OutboxMessage
from db.models.trail import TrailEntry
from db.models.verification import (
    ProviderNotice,
    SandboxCertification,
    VerificationAttempt,
    VerificationMethod,
    VerificationStatus,
)

__all__ = [
    "Attachment",
    "AttachmentKind",
    "Enterprise",
    "OutboxMessage",
    "Person",
    "ProviderNotice",
    "SandboxCertification",
    "Session",
    "StaffCaseAccess",
    "StaffRole",
    "StaffUser",
    "TrailEntry",
    "VerificationAttempt",
    "VerificationMethod",
    "VerificationStatus",
]
