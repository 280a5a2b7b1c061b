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
from domain.filings.dev_seed import DEMO_APPLICANTS, seed_registered_applicant
from domain.filings.drafts import ApplicationFields, KindHandler, Submission, handler_for, register, registered_kinds
from domain.filings.eligibility import Applicant, load_applicant
from domain.filings.kinds.add_specialty import AddSpecialtyDraft
from domain.filings.kinds.cancellation import REASON_LABELS as CANCELLATION_REASON_LABELS
from domain.filings.kinds.cancellation import CancellationDraft, CancellationReason
from domain.filings.kinds.change import ChangeDraft
from domain.filings.kinds.initial import InitialDraft, ReregistrationDraft
from domain.filings.kinds.personal_info_rules import InfoField, PersonalInfoDraft
from domain.filings.kinds.personal_info_state import (
    PendingInfoChange,
    apply_personal_info_change,
    pending_info_changes_for,
)
from domain.filings.kinds.renewal import RenewalDraft
from domain.filings.kinds.replacement import COMMITMENT_TEXT as REPLACEMENT_COMMITMENT_TEXT
from domain.filings.kinds.replacement import REASON_LABELS as REPLACEMENT_REASON_LABELS
from domain.filings.kinds.replacement import ReplacementDraft, ReplacementReason
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
from domain.filings.progress_live import new_steps
from domain.filings.reference import (
    MAX_REPORTED_ERRORS,
    MAX_SUGGESTIONS,
    PROVINCES,
    ImportReport,
    RowError,
    enterprises_by_ids,
    import_enterprises,
    import_qualifications,
    is_qualified,
    name_initials,
    province_code,
    province_name,
    qualifications_for_people,
    qualifications_visible_to,
    seed_reference,
    suggest_enterprises,
)
from domain.filings.registrations import RegistrationFacts, record_registration
from domain.filings.resubmission import CorrectionItem, Resubmission, resubmit, return_for_correction
from domain.filings.specialties import SPECIALTIES, Specialty, specialty, specialty_by_code_or_name
from domain.filings.steps import ActorRole, Stage, step_event
from domain.filings.submission import open_key, sms_purpose, submit
from domain.filings.withdrawal import WITHDRAWABLE, Withdrawal, withdraw

__all__ = [
    "CANCELLATION_REASON_LABELS",
    "DEMO_APPLICANTS",
    "MAX_REPORTED_ERRORS",
    "MAX_SUGGESTIONS",
    "PROVINCES",
    "REPLACEMENT_COMMITMENT_TEXT",
    "REPLACEMENT_REASON_LABELS",
    "SPECIALTIES",
    "WITHDRAWABLE",
    "ActorRole",
    "AddSpecialtyDraft",
    "Applicant",
    "ApplicationFields",
    "ApplicationFilter",
    "ApplicationKind",
    "ApplicationStatus",
    "CancellationDraft",
    "CancellationReason",
    "ChangeDraft",
    "CorrectionItem",
    "EnterpriseStatus",
    "ImportReport",
    "InfoField",
    "InitialDraft",
    "KindHandler",
    "PendingInfoChange",
    "PersonalInfoDraft",
    "RegistrationFacts",
    "RegistrationStatus",
    "RenewalDraft",
    "ReplacementDraft",
    "ReplacementReason",
    "ReregistrationDraft",
    "Resubmission",
    "RowError",
    "Specialty",
    "Stage",
    "StepOutcome",
    "Submission",
    "Withdrawal",
    "applications_page",
    "applications_visible_to",
    "apply_personal_info_change",
    "count_applications",
    "enterprises_by_ids",
    "handler_for",
    "import_enterprises",
    "import_qualifications",
    "is_qualified",
    "kinds",
    "load_applicant",
    "may_view_applications",
    "name_initials",
    "new_steps",
    "open_key",
    "pending_info_changes_for",
    "precheck",
    "province_code",
    "province_name",
    "qualifications_for_people",
    "qualifications_visible_to",
    "record_registration",
    "register",
    "registered_kinds",
    "resubmit",
    "return_for_correction",
    "seed_reference",
    "seed_registered_applicant",
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
