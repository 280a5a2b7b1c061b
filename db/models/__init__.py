"""All Tortoise models of the portal (app label `models`)."""

from db.models.access import StaffCaseAccess
from db.models.accounts import Enterprise, EnterpriseStatus, Person, Session, StaffRole, StaffUser
from db.models.attachments import Attachment, AttachmentKind
from db.models.filings import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    ApplicationStep,
    FilingBan,
    Qualification,
    RegisteredSpecialty,
    Registration,
    RegistrationStatus,
    StepOutcome,
)
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
    "Application",
    "ApplicationKind",
    "ApplicationStatus",
    "ApplicationStep",
    "Attachment",
    "AttachmentKind",
    "Enterprise",
    "EnterpriseStatus",
    "FilingBan",
    "OutboxMessage",
    "Person",
    "ProviderNotice",
    "Qualification",
    "RegisteredSpecialty",
    "Registration",
    "RegistrationStatus",
    "SandboxCertification",
    "Session",
    "StaffCaseAccess",
    "StaffRole",
    "StaffUser",
    "StepOutcome",
    "TrailEntry",
    "VerificationAttempt",
    "VerificationMethod",
    "VerificationStatus",
]
