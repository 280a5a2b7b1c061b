"""Which review queue a filing waits in, and since when until which deadline.

A filing that waits for a reviewer carries `queue_key` = `STAGE|scope`: `ENTERPRISE_CONFIRMATION|E:<enterprise id>`,
`SPECIALTY_REVIEW|S:<specialty code>` (one specialty at a time, in code order), `MINISTRY_REVIEW|M`. Every queue is
then one index range read in keyset order. Each transition writes these columns in its conditional UPDATE, from
`entering` (a stage) or `leaving` (decided, returned, withdrawn)."""

from __future__ import annotations

from typing import Any

from db.models import Application, ApplicationStatus
from domain.filings.specialties import specialty
from domain.kernel import clock
from domain.kernel.access import SPECIALTY_REVIEWED_KINDS
from domain.kernel.settings import get_settings
from domain.kernel.workdays import add_workdays

MINISTRY_SCOPE = "M"
REVIEW_STAGES = (
    ApplicationStatus.ENTERPRISE_CONFIRMATION,
    ApplicationStatus.SPECIALTY_REVIEW,
    ApplicationStatus.MINISTRY_REVIEW,
)


def deadline_workdays(stage: ApplicationStatus) -> int:
    """The stage's time limit in working days (settings: 5, 10, 20)."""
    settings = get_settings()
    return {
        ApplicationStatus.ENTERPRISE_CONFIRMATION: settings.review_enterprise_workdays,
        ApplicationStatus.SPECIALTY_REVIEW: settings.review_specialty_workdays,
        ApplicationStatus.MINISTRY_REVIEW: settings.review_ministry_workdays,
    }[stage]


def pending_specialty_reviews(application: Application) -> list[str]:
    """The filing's specialties that need their specialty ministry's review and have not passed it, in code order
    (none for a kind that grants or extends no specialty)."""
    if application.kind not in SPECIALTY_REVIEWED_KINDS:
        return []
    reviewed = set(application.reviewed_specialty_codes or [])
    codes = sorted(set(application.specialty_codes or []))
    return [c for c in codes if (s := specialty(c)) is not None and s.needs_specialty_review and c not in reviewed]


def queue_key(stage: ApplicationStatus, scope: str) -> str:
    """`STAGE|scope`: one review queue."""
    return f"{stage.value}|{scope}"


def scope_at(application: Application, stage: ApplicationStatus) -> str:
    """Whose queue the filing waits in at this stage."""
    if stage is ApplicationStatus.ENTERPRISE_CONFIRMATION:
        return f"E:{application.enterprise_id}"  # type: ignore[attr-defined]
    if stage is ApplicationStatus.SPECIALTY_REVIEW:
        return f"S:{pending_specialty_reviews(application)[0]}"
    return MINISTRY_SCOPE


def next_stage_after(application: Application, stage: ApplicationStatus | None) -> ApplicationStatus:
    """The review stage after `stage` (None = after the pre-check): enterprise confirmation when the filing names
    an employer, specialty review while a specialty needs one, then the ministry."""
    if stage is None and application.enterprise_id is not None:  # type: ignore[attr-defined]
        return ApplicationStatus.ENTERPRISE_CONFIRMATION
    if stage is not ApplicationStatus.MINISTRY_REVIEW and pending_specialty_reviews(application):
        return ApplicationStatus.SPECIALTY_REVIEW
    return ApplicationStatus.MINISTRY_REVIEW


def entering(application: Application, stage: ApplicationStatus) -> dict[str, Any]:
    """The columns a transition into a review stage writes: status, queue, entry time, deadline (working days)."""
    now = clock.now()
    return {
        "status": stage,
        "queue_key": queue_key(stage, scope_at(application, stage)),
        "stage_entered_at": now,
        "stage_deadline_on": add_workdays(clock.business_date(), deadline_workdays(stage)),
        "overdue_notified_at": None,
    }


def leaving(status: ApplicationStatus) -> dict[str, Any]:
    """The columns a transition out of the review queues writes (returned, decided, withdrawn)."""
    return {"status": status, "queue_key": None, "stage_deadline_on": None, "overdue_notified_at": None}
