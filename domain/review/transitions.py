"""The one table of allowed transitions of a filing: from status × action → to status, who may do it, and when a
row applies (its guard, read on the filing as it will be after the move). Staff decisions run through this table
(`domain.review.decisions`); the applicant's and the system's moves live in filings (submit, pre-check, resubmit,
withdraw) and announcements (announce), and tests hold them to the rows here; the README diagram is generated
from it (`python manage.py review-diagram`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from db.models import Application, ApplicationKind, ApplicationStatus
from domain import filings
from domain.filings import ActorRole

S = ApplicationStatus


class Action(str, Enum):
    """What moves a filing."""

    SUBMIT = "SUBMIT"  # 申请人提交
    PRECHECK_ACCEPT = "PRECHECK_ACCEPT"  # 系统预审通过，受理
    PRECHECK_REFUSE = "PRECHECK_REFUSE"  # 系统预审不通过
    CONFIRM = "CONFIRM"  # 聘用企业确认
    APPROVE = "APPROVE"  # 审查通过（专业部门：该专业；住建部：准予注册）
    REJECT = "REJECT"  # 不予注册
    RETURN = "RETURN"  # 退回补正
    RESUBMIT = "RESUBMIT"  # 补正后重新提交
    WITHDRAW = "WITHDRAW"  # 申请人撤回
    ANNOUNCE = "ANNOUNCE"  # 公告


Guard = Callable[[Application], bool]


def is_cancellation(application: Application) -> bool:
    """注销: it ends after the employer's confirmation."""
    return application.kind is ApplicationKind.CANCELLATION


def names_employer(application: Application) -> bool:
    """The filing names an employer, who confirms it first."""
    return application.enterprise_id is not None  # type: ignore[attr-defined]


def specialty_pending(application: Application) -> bool:
    """A specialty of the filing still waits for its specialty ministry's review."""
    return bool(filings.pending_specialty_reviews(application))


@dataclass(frozen=True)
class Transition:
    """One row: `source` (None = a new filing) × `action` → `target`, by `actor`; the first row of a source and
    action whose guard holds applies (no guard: always). `by` names the code that performs it."""

    source: ApplicationStatus | None
    action: Action
    target: ApplicationStatus
    actor: ActorRole
    guard: Guard | None = None
    when: str = ""  # the guard in words, for the diagram
    by: str = "domain.review"


def _withdrawals() -> tuple[Transition, ...]:
    open_statuses = (S.SUBMITTED, S.ENTERPRISE_CONFIRMATION, S.SPECIALTY_REVIEW, S.MINISTRY_REVIEW, S.RETURNED)
    return tuple(
        Transition(status, Action.WITHDRAW, S.WITHDRAWN, ActorRole.APPLICANT, by="domain.filings.withdraw")
        for status in open_statuses
    )


def _returns() -> tuple[Transition, ...]:
    rows = []
    for stage, role in (
        (S.ENTERPRISE_CONFIRMATION, ActorRole.ENTERPRISE),
        (S.SPECIALTY_REVIEW, ActorRole.SPECIALTY_MINISTRY),
        (S.MINISTRY_REVIEW, ActorRole.MINISTRY),
    ):
        rows.append(Transition(stage, Action.RETURN, S.RETURNED, role))
        rows.append(
            Transition(S.RETURNED, Action.RESUBMIT, stage, ActorRole.APPLICANT, None, f"returned at {stage.value}",
                       "domain.filings.resubmit")
        )  # fmt: skip
    return tuple(rows)


PRECHECK = "domain.filings.precheck"
TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, Action.SUBMIT, S.SUBMITTED, ActorRole.APPLICANT, by="domain.filings.submit"),
    Transition(S.SUBMITTED, Action.PRECHECK_ACCEPT, S.ENTERPRISE_CONFIRMATION, ActorRole.SYSTEM, names_employer,
               "names an employer", PRECHECK),
    Transition(S.SUBMITTED, Action.PRECHECK_ACCEPT, S.SPECIALTY_REVIEW, ActorRole.SYSTEM, specialty_pending,
               "a specialty needs its ministry", PRECHECK),
    Transition(S.SUBMITTED, Action.PRECHECK_ACCEPT, S.MINISTRY_REVIEW, ActorRole.SYSTEM, by=PRECHECK),
    Transition(S.SUBMITTED, Action.PRECHECK_REFUSE, S.REFUSED, ActorRole.SYSTEM, by=PRECHECK),
    Transition(S.ENTERPRISE_CONFIRMATION, Action.CONFIRM, S.APPROVED, ActorRole.ENTERPRISE, is_cancellation,
               "cancellation"),
    Transition(S.ENTERPRISE_CONFIRMATION, Action.CONFIRM, S.SPECIALTY_REVIEW, ActorRole.ENTERPRISE, specialty_pending,
               "a specialty needs its ministry"),
    Transition(S.ENTERPRISE_CONFIRMATION, Action.CONFIRM, S.MINISTRY_REVIEW, ActorRole.ENTERPRISE),
    Transition(S.SPECIALTY_REVIEW, Action.APPROVE, S.SPECIALTY_REVIEW, ActorRole.SPECIALTY_MINISTRY,
               specialty_pending, "another specialty waits"),
    Transition(S.SPECIALTY_REVIEW, Action.APPROVE, S.MINISTRY_REVIEW, ActorRole.SPECIALTY_MINISTRY),
    Transition(S.SPECIALTY_REVIEW, Action.REJECT, S.REFUSED, ActorRole.SPECIALTY_MINISTRY),
    Transition(S.MINISTRY_REVIEW, Action.APPROVE, S.APPROVED, ActorRole.MINISTRY),
    Transition(S.MINISTRY_REVIEW, Action.REJECT, S.REFUSED, ActorRole.MINISTRY),
    *_returns(),
    *_withdrawals(),
    Transition(S.APPROVED, Action.ANNOUNCE, S.ANNOUNCED, ActorRole.MINISTRY, by="domain.announcements"),
)  # fmt: skip
DECIDED = (S.APPROVED, S.ANNOUNCED, S.REFUSED, S.WITHDRAWN)
STAFF_ACTIONS = (Action.CONFIRM, Action.APPROVE, Action.REJECT, Action.RETURN)


def rows_from(source: ApplicationStatus | None, action: Action) -> list[Transition]:
    """The rows of a source and action, in table order."""
    return [row for row in TRANSITIONS if row.source == source and row.action is action]


def roles_for(action: Action) -> set[ActorRole]:
    """Who may ever take this action, at any stage."""
    return {row.actor for row in TRANSITIONS if row.action is action}


def applicable(application_after: Application, rows: list[Transition]) -> Transition:
    """The first row whose guard holds on the filing as it will be after the move."""
    for row in rows:
        if row.guard is None or row.guard(application_after):
            return row
    raise LookupError("the table has no unguarded last row for this source and action")
