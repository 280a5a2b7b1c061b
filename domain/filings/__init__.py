"""Filings (注册申报): the specialties, enterprises and qualifications they rest on, the eight kinds of application,
their rules, submission, pre-check and progress."""

from db.models import (
    ApplicationKind,
    ApplicationStatus,
    EnterpriseStatus,
    RegistrationStatus,
    StepOutcome,
)
from domain.filings import kinds
from domain.filings.drafts import ApplicationFields, KindHandler, Submission, handler_for, register, registered_kinds
from domain.filings.eligibility import Applicant, load_applicant
from domain.filings.kinds.add_specialty import AddSpecialtyDraft
from domain.filings.kinds.change import ChangeDraft
from domain.filings.kinds.initial import InitialDraft, ReregistrationDraft
from domain.filings.kinds.renewal import RenewalDraft
from domain.filings.precheck import precheck
from domain.filings.progress import (
    ApplicationFilter,
    applications_visible_to,
    step_for_owner,
    steps_of,
)
from domain.filings.progress import count as count_applications
from domain.filings.progress import may_view as may_view_applications
from domain.filings.progress import page as applications_page
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
from domain.filings.registrations import RegistrationFacts, record_registration
from domain.filings.specialties import SPECIALTIES, Specialty, specialty, specialty_by_code_or_name
from domain.filings.steps import ActorRole, Stage, step_event
from domain.filings.submission import open_key, sms_purpose, submit
from domain.filings.withdrawal import WITHDRAWABLE, Withdrawal, withdraw

__all__ = [
    "MAX_SUGGESTIONS",
    "PROVINCES",
    "SPECIALTIES",
    "WITHDRAWABLE",
    "ActorRole",
    "AddSpecialtyDraft",
    "Applicant",
    "ApplicationFields",
    "ApplicationFilter",
    "ApplicationKind",
    "ApplicationStatus",
    "ChangeDraft",
    "EnterpriseStatus",
    "InitialDraft",
    "KindHandler",
    "RegistrationFacts",
    "RegistrationStatus",
    "RenewalDraft",
    "ReregistrationDraft",
    "Specialty",
    "Stage",
    "StepOutcome",
    "Submission",
    "Withdrawal",
    "applications_page",
    "applications_visible_to",
    "count_applications",
    "enterprises_by_ids",
    "handler_for",
    "is_qualified",
    "kinds",
    "load_applicant",
    "may_view_applications",
    "name_initials",
    "open_key",
    "precheck",
    "province_code",
    "province_name",
    "qualifications_for_people",
    "qualifications_visible_to",
    "record_registration",
    "register",
    "registered_kinds",
    "sms_purpose",
    "specialty",
    "specialty_by_code_or_name",
    "step_event",
    "step_for_owner",
    "steps_of",
    "submit",
    "suggest_enterprises",
    "withdraw",
]
