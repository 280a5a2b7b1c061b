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
from domain.filings.kinds.free_text import NOTE_MAX_LENGTH, bounded_text
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
from domain.filings.precheck import NEXT_STAGE_TEXT, findings, reason_items
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
from domain.filings.queues import (
    MINISTRY_SCOPE,
    REVIEW_STAGES,
    deadline_workdays,
    entering,
    leaving,
    next_stage_after,
    pending_specialty_reviews,
    queue_key,
    scope_at,
)
from domain.filings.reference import (
    MAX_REPORTED_ERRORS,
    MAX_SUGGESTIONS,
    PROVINCES,
    ImportReport,
    RowError,
    enterprises_by_ids,
    import_enterprises,
    import_jobs_for,
    import_qualifications,
    is_qualified,
    name_initials,
    province_code,
    province_name,
    qualifications_for_people,
    qualifications_visible_to,
    queue_import,
    run_import_job,
    seed_reference,
    suggest_enterprises,
)
from domain.filings.registrations import (
    PROVINCE_CHARACTERS,
    RegistrationFacts,
    record_registration,
    registration_number,
)
from domain.filings.resubmission import (
    STAGE_LABELS,
    CorrectionItem,
    Resubmission,
    clean_items,
    open_notice,
    resubmit,
)
from domain.filings.reviewer_only import REVIEWER_KEYS, ReviewerOnlyReason, for_applicant
from domain.filings.specialties import SPECIALTIES, Specialty, specialty, specialty_by_code_or_name
from domain.filings.steps import ActorRole, NewStep, Stage, append_step, step_event
from domain.filings.submission import open_key, sms_purpose, submit
from domain.filings.withdrawal import WITHDRAWABLE, Withdrawal, withdraw

__all__ = [
    "CANCELLATION_REASON_LABELS",
    "DEMO_APPLICANTS",
    "MAX_REPORTED_ERRORS",
    "MAX_SUGGESTIONS",
    "MINISTRY_SCOPE",
    "NEXT_STAGE_TEXT",
    "NOTE_MAX_LENGTH",
    "PROVINCES",
    "PROVINCE_CHARACTERS",
    "REPLACEMENT_COMMITMENT_TEXT",
    "REPLACEMENT_REASON_LABELS",
    "REVIEWER_KEYS",
    "REVIEW_STAGES",
    "SPECIALTIES",
    "STAGE_LABELS",
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
    "NewStep",
    "PendingInfoChange",
    "PersonalInfoDraft",
    "RegistrationFacts",
    "RegistrationStatus",
    "RenewalDraft",
    "ReplacementDraft",
    "ReplacementReason",
    "ReregistrationDraft",
    "Resubmission",
    "ReviewerOnlyReason",
    "RowError",
    "Specialty",
    "Stage",
    "StepOutcome",
    "Submission",
    "Withdrawal",
    "append_step",
    "applications_page",
    "applications_visible_to",
    "apply_personal_info_change",
    "bounded_text",
    "clean_items",
    "count_applications",
    "deadline_workdays",
    "entering",
    "enterprises_by_ids",
    "findings",
    "for_applicant",
    "handler_for",
    "import_enterprises",
    "import_jobs_for",
    "import_qualifications",
    "is_qualified",
    "kinds",
    "leaving",
    "load_applicant",
    "may_view_applications",
    "name_initials",
    "new_steps",
    "next_stage_after",
    "open_key",
    "open_notice",
    "pending_info_changes_for",
    "pending_specialty_reviews",
    "province_code",
    "province_name",
    "qualifications_for_people",
    "qualifications_visible_to",
    "queue_import",
    "queue_key",
    "reason_items",
    "record_registration",
    "register",
    "registered_kinds",
    "registration_number",
    "resubmit",
    "run_import_job",
    "scope_at",
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
