"""待办队列 (reviewQueue): the filings waiting for a staff member, oldest first, in keyset pages.

Each queue is one `queue_key` (`STAGE|scope`, see domain.filings.queues), read from the index
`(queue_key, stage_entered_at, id)` (or `(queue_key, stage_deadline_on, id)` for overdue items, most overdue
first): one LIMIT query per key, each one index range, merged here. No OFFSET; a count only when asked.
Scopes: ENTERPRISE its own enterprise's confirmations; SPECIALTY_MINISTRY its specialties' reviews (one key per
specialty, from StaffUser.specialty_codes); MINISTRY the ministry review; ADMIN every queue. A stage outside the
role, or a role without a queue (PROVINCE, applicants), is FORBIDDEN."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.expressions import Q

from db.models import Application, ApplicationStatus, ApplicationStep, StaffRole, StaffUser
from domain import filings
from domain.kernel import clock
from domain.kernel.actors import Actor
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.workdays import workdays_between
from domain.review.findings import Finding, FindingSeverity

ROLE_STAGES = {
    StaffRole.ENTERPRISE.value: (ApplicationStatus.ENTERPRISE_CONFIRMATION,),
    StaffRole.SPECIALTY_MINISTRY.value: (ApplicationStatus.SPECIALTY_REVIEW,),
    StaffRole.MINISTRY.value: (ApplicationStatus.MINISTRY_REVIEW,),
    StaffRole.ADMIN.value: filings.REVIEW_STAGES,
}
BY_ENTRY, BY_DEADLINE = "E", "D"
MAX_ID = 2**31 - 1  # integer primary keys are 32-bit on PostgreSQL


@dataclass(frozen=True)
class QueueCursor:
    """Where a page ends: the sort value (entry time or deadline, ISO text) and the id; the order it belongs to."""

    order: str
    at: str
    id: int

    def text(self) -> str:
        """As put in an opaque client cursor."""
        return f"{self.order}|{self.at}|{self.id}"

    @classmethod
    def parse(cls, text: str, overdue: bool) -> QueueCursor:
        """From `text`; INVALID_INPUT (field `after`) when malformed or of the other order."""
        order, _, rest = text.partition("|")
        at, _, key = rest.rpartition("|")
        valid = order == (BY_DEADLINE if overdue else BY_ENTRY) and key.isascii() and key.isdigit()
        if not valid or len(key) > len(str(MAX_ID)) or int(key) > MAX_ID or not _sort_value(at, overdue):
            raise DomainError(ErrorCode.INVALID_INPUT, "after", "分页游标不正确，请从第一页重新查询。")
        return cls(order, at, int(key))


MIN_CURSOR_YEAR, MAX_CURSOR_YEAR = 1900, 9000


def _sort_value(at: str, overdue: bool) -> date | datetime | None:
    """The cursor's date (overdue order) or time with its offset (entry order); None when it is neither."""
    try:
        value: date | datetime = date.fromisoformat(at) if overdue else datetime.fromisoformat(at)
    except ValueError:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        return None  # stored times are UTC: a naive one compares differently per backend
    if not MIN_CURSOR_YEAR <= value.year <= MAX_CURSOR_YEAR:
        return None  # 9999-12-31T23:59-01:00 overflows the database's date range once in UTC
    return value


@dataclass(frozen=True)
class QueueItem:
    """One filing waiting in a queue, with its stage, entry time, deadline and the pre-check's findings."""

    application: Application
    stage: ApplicationStatus
    entered_at: datetime
    deadline_on: date
    overdue: bool
    workdays_left: int  # negative: working days past the deadline
    findings: list[Finding]
    cursor: QueueCursor


@dataclass(frozen=True)
class QueueRequest:
    """What the caller asked: a stage (None = every stage of the role), a page size, a cursor, overdue only."""

    stage: ApplicationStatus | None = None
    first: int = 20
    after: str | None = None
    overdue: bool = False


async def queue_keys(actor: Actor | None, stage: ApplicationStatus | None) -> list[str]:
    """The queues the actor reads at `stage` (None = all its stages), sorted; FORBIDDEN outside the role."""
    if actor is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED)
    stages = ROLE_STAGES.get(actor.role or "", ()) if not actor.is_person else ()
    if not stages or (stage is not None and stage not in stages):
        raise DomainError(ErrorCode.FORBIDDEN)
    wanted = [stage] if stage is not None else list(stages)
    keys: list[str] = []
    for one in wanted:
        keys += await _keys_of(actor, one)
    return sorted(keys)


async def _keys_of(actor: Actor, stage: ApplicationStatus) -> list[str]:
    if actor.has_role(StaffRole.ADMIN):
        return await distinct_keys(stage)
    if stage is ApplicationStatus.ENTERPRISE_CONFIRMATION:
        return [filings.queue_key(stage, f"E:{actor.enterprise_id}")] if actor.enterprise_id is not None else []
    if stage is ApplicationStatus.SPECIALTY_REVIEW:
        codes = await StaffUser.filter(id=actor.id).values_list("specialty_codes", flat=True)
        held: list[str] = codes[0] if codes and isinstance(codes[0], list) else []
        return [filings.queue_key(stage, f"S:{code}") for code in sorted(set(held))]
    return [filings.queue_key(stage, filings.MINISTRY_SCOPE)]


async def distinct_keys(stage: ApplicationStatus) -> list[str]:
    """Every non-empty queue of a stage (for ADMIN), one index seek per queue (a skip scan)."""
    low, high = f"{stage.value}|", f"{stage.value}}}"  # "}" sorts right after "|"
    keys: list[str] = []
    while True:
        found = (
            await Application.filter(queue_key__gt=keys[-1] if keys else low, queue_key__lt=high)
            .order_by("queue_key")
            .limit(1)
            .values_list("queue_key", flat=True)
        )
        if not found:
            return keys
        keys.append(str(found[0]))


def key_query(key: str, request: QueueRequest, today: date) -> Any:
    """One queue's next rows after the cursor, in index order: a single index range, LIMIT first + 1."""
    query = Application.filter(queue_key=key)
    column = "stage_deadline_on" if request.overdue else "stage_entered_at"
    if request.overdue:
        query = query.filter(stage_deadline_on__lt=today)
    if request.after is not None:
        cursor = QueueCursor.parse(request.after, request.overdue)
        at = _sort_value(cursor.at, request.overdue)
        later: dict[str, Any] = {f"{column}__gt": at}
        query = query.filter(**{f"{column}__gte": at}).filter(Q(**later) | Q(id__gt=cursor.id))
    return query.order_by(column, "id").limit(request.first + 1)


async def review_queue(actor: Actor | None, request: QueueRequest) -> tuple[list[QueueItem], bool]:
    """One page of the actor's queue(s), oldest first (overdue: earliest deadline first); and whether more."""
    keys = await queue_keys(actor, request.stage)
    today = clock.business_date()
    rows: list[Application] = []
    for key in keys:
        rows += await key_query(key, request, today)
    order = _deadline_order if request.overdue else _entry_order
    merged = heapq.nsmallest(request.first + 1, rows, key=order)
    page = merged[: request.first]
    found = await precheck_findings(row.id for row in page)
    return [_item(row, today, found.get(row.id, []), request.overdue) for row in page], len(merged) > request.first


async def review_queue_count(actor: Actor | None, request: QueueRequest) -> int:
    """How many filings the queue(s) hold (only when a client asks for totalCount): one index count per key."""
    today = clock.business_date()
    total = 0
    for key in await queue_keys(actor, request.stage):
        query = Application.filter(queue_key=key)
        if request.overdue:
            query = query.filter(stage_deadline_on__lt=today)
        total += await query.count()
    return total


def _entry_order(row: Application) -> tuple[datetime, int]:
    return (row.stage_entered_at or datetime.min, row.id)


def _deadline_order(row: Application) -> tuple[date, int]:
    return (row.stage_deadline_on or date.min, row.id)


def _item(row: Application, today: date, found: list[Finding], overdue_order: bool) -> QueueItem:
    entered, deadline = row.stage_entered_at, row.stage_deadline_on
    assert entered is not None and deadline is not None  # a filing in a queue has both (filings.entering)
    left = workdays_between(today, deadline) if deadline >= today else -workdays_between(deadline, today)
    cursor = (
        QueueCursor(BY_DEADLINE, deadline.isoformat(), row.id)
        if overdue_order
        else QueueCursor(BY_ENTRY, entered.isoformat(), row.id)
    )
    return QueueItem(row, ApplicationStatus(row.status), entered, deadline, deadline < today, left, found, cursor)


async def precheck_findings(application_ids: Iterable[int]) -> dict[int, list[Finding]]:
    """The findings recorded on each filing's latest PRECHECK step, in one query."""
    wanted = sorted(set(application_ids))
    if not wanted:
        return {}
    steps = await ApplicationStep.filter(application_id__in=wanted, stage="PRECHECK").order_by("seq")
    found: dict[int, list[Finding]] = {}
    for step in steps:  # a later pre-check replaces an earlier one
        found[step.application_id] = [_finding(item) for item in step.items if "severity" in item]  # type: ignore[attr-defined]
    return found


def _finding(item: dict[str, Any]) -> Finding:
    severity = (
        FindingSeverity.WARNING if item.get("severity") == FindingSeverity.WARNING.value else FindingSeverity.INFO
    )
    return Finding(str(item.get("code", "")), str(item.get("message", "")), severity, str(item.get("rule", "")))
