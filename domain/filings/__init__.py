"""Filings (注册申报): the specialties, enterprises and qualifications they rest on, the eight kinds of application,
their rules, submission, pre-check and progress."""

from db.models import (
    ApplicationKind,
    ApplicationStatus,
    EnterpriseStatus,
    RegistrationStatus,
    StepOutcome,
)
from domain.filings.specialties import SPECIALTIES, Specialty, specialty, specialty_by_code_or_name

__all__ = [
    "SPECIALTIES",
    "ApplicationKind",
    "ApplicationStatus",
    "EnterpriseStatus",
    "RegistrationStatus",
    "Specialty",
    "StepOutcome",
    "specialty",
    "specialty_by_code_or_name",
]
