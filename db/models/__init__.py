"""All Tortoise models of the portal (app label `models`)."""

from db.models.access import StaffCaseAccess
from db.models.accounts import Enterprise, EnterpriseStatus, Person, Session, StaffRole, StaffUser
from db.models.announcements import Announcement
from db.models.attachments import Attachment, AttachmentKind
from db.models.certificates import Certificate, CertificateDownload, RegistrationSerial, RenewalReminder
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
from db.models.imports import ImportJob
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
    "Announcement",
    "Application",
    "ApplicationKind",
    "ApplicationStatus",
    "ApplicationStep",
    "Attachment",
    "AttachmentKind",
    "Certificate",
    "CertificateDownload",
    "Enterprise",
    "EnterpriseStatus",
    "FilingBan",
    "ImportJob",
    "OutboxMessage",
    "Person",
    "ProviderNotice",
    "Qualification",
    "RegisteredSpecialty",
    "Registration",
    "RegistrationSerial",
    "RegistrationStatus",
    "RenewalReminder",
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
