"""Filings (注册申报): the specialties, enterprises and qualifications they rest on, the eight kinds of application,
their rules, submission, pre-check and progress."""

from db.models import (
    ApplicationKind,
    ApplicationStatus,
    EnterpriseStatus,
    RegistrationStatus,
    StepOutcome,
)
from domain.filings.reference import (
    MAX_SUGGESTIONS,
    PROVINCES,
    enterprises_by_ids,
    is_qualified,
    name_initials,
    province_code,
    province_name,
    qualifications_for_people,
    qualifications_visible_to,
    suggest_enterprises,
)
from domain.filings.specialties import SPECIALTIES, Specialty, specialty, specialty_by_code_or_name

__all__ = [
    "MAX_SUGGESTIONS",
    "PROVINCES",
    "SPECIALTIES",
    "ApplicationKind",
    "ApplicationStatus",
    "EnterpriseStatus",
    "RegistrationStatus",
    "Specialty",
    "StepOutcome",
    "enterprises_by_ids",
    "is_qualified",
    "name_initials",
    "province_code",
    "province_name",
    "qualifications_for_people",
    "qualifications_visible_to",
    "specialty",
    "specialty_by_code_or_name",
    "suggest_enterprises",
]
