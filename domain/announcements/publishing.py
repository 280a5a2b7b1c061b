"""发布公告: the ministry batches approved filings into the year's next numbered announcement. In one unit of work:
the announcement row (year, seq: unique per year), every filing moved APPROVED → ANNOUNCED by a conditional update, an
ANNOUNCEMENT step, a trail entry and an event for each person. Two concurrent publishes get two numbers, or one wins
and the other gets a coded error; a publish that fails leaves nothing behind (so the numbers have no gaps)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from db.models import Announcement, Application, ApplicationStatus, StaffRole, StepOutcome
from domain import filings
from domain.kernel import clock
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.settings import get_settings
from domain.trail import BusinessStep, TrailAction, business_step

TITLE_MAX_LENGTH = 200
DEFAULT_TITLE = "住房和城乡建设部关于一级建造师注册人员名单的公告"
PUBLISHER = "住房和城乡建设部"
NUMBER_TRIES = 10  # a concurrent publish took the number: count again in a fresh transaction (one wins a round)


@dataclass(frozen=True)
class PublishRequest:
    """发布公告: an optional title; the filings to publish (database ids), or None for every approved filing not
    yet announced, the oldest decided first, up to the cap (setting ANNOUNCEMENT_MAX_APPLICATIONS)."""

    title: str | None = None
    application_ids: tuple[int, ...] | None = None


def number_text(year: int, seq: int) -> str:
    """The announcement's number as printed: 住房和城乡建设部公告 2026年第3号."""
    return f"住房和城乡建设部公告 {year}年第{seq}号"


def _require_ministry(actor: Actor | None) -> Actor:
    if actor is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED)
    if not actor.has_role(StaffRole.MINISTRY):
        raise DomainError(ErrorCode.FORBIDDEN)
    return actor


def _clean_title(title: str | None) -> str:
    """Controls (NUL) and invisible characters dropped, spaces collapsed; the default title when blank."""
    text = filings.bounded_text(title, "title", TITLE_MAX_LENGTH, required=False, what="公告标题")
    return text or DEFAULT_TITLE


def _clean_ids(ids: tuple[int, ...] | None) -> tuple[int, ...] | None:
    if ids is None:
        return None
    wanted = tuple(sorted(set(ids)))
    cap = get_settings().announcement_max_applications
    if len(wanted) > cap:
        raise DomainError(ErrorCode.INVALID_INPUT, "application_ids", f"一次公告最多{cap}件申报。")
    if not wanted:
        raise DomainError(ErrorCode.NOTHING_TO_ANNOUNCE, "application_ids")
    return wanted


async def publish(deps: Deps, actor: Actor | None, request: PublishRequest, meta: RequestMeta) -> Announcement:
    """Publish the year's next announcement (MINISTRY staff only)."""
    staff = _require_ministry(actor)
    title = _clean_title(request.title)
    wanted = _clean_ids(request.application_ids)
    if wanted is not None:
        await _require_approved(wanted)
    for _ in range(NUMBER_TRIES):
        try:
            return await _publish_once(deps, staff, title, wanted, meta)
        except IntegrityError:  # another publish took this number first: its filings are no longer APPROVED
            continue
    raise DomainError(ErrorCode.CONFLICT, None, "其他工作人员正在发布公告，请稍后重试。")


async def _require_approved(ids: tuple[int, ...]) -> None:
    """Every filing named exists and is approved, not yet announced (checked again by the conditional update)."""
    rows = await Application.filter(id__in=list(ids)).only("id", "status")
    if len(rows) != len(ids):
        raise DomainError(ErrorCode.NOT_FOUND, "application_ids", "所选申报不存在。")
    if any(row.status is not ApplicationStatus.APPROVED for row in rows):
        raise DomainError(ErrorCode.APPLICATION_NOT_APPROVED, "application_ids")


async def _publish_once(
    deps: Deps, staff: Actor, title: str, wanted: tuple[int, ...] | None, meta: RequestMeta
) -> Announcement:
    async with business_step(deps, meta) as step:
        announcement = await _numbered(staff, title)
        claimed = await _claim(announcement, wanted)
        for application in claimed:
            await _record(step, announcement, application)
        announcement.application_count = len(claimed)
        await announcement.save(update_fields=["application_count"])
    return announcement


async def _numbered(staff: Actor, title: str) -> Announcement:
    """The year's next number; the unique (year, seq) index refuses a second one (IntegrityError)."""
    year = clock.business_date().year
    last = await Announcement.filter(year=year).order_by("-seq").only("seq").first()
    seq = (last.seq if last is not None else 0) + 1
    return await Announcement.create(
        year=year, seq=seq, title=title, published_at=clock.now(), staff_id=staff.id, application_count=0
    )


async def _claim(announcement: Announcement, wanted: tuple[int, ...] | None) -> list[Application]:
    """APPROVED → ANNOUNCED for the filings named, or the oldest decided up to the cap (a conditional update: a
    filing another publish took is no longer APPROVED). Named filings are all or nothing."""
    if wanted is None:
        cap = get_settings().announcement_max_applications
        candidates = Application.filter(status=ApplicationStatus.APPROVED).order_by("decided_at", "id").limit(cap)
        ids = [row.id for row in await candidates.only("id")]
    else:
        ids = list(wanted)
    updated = 0
    if ids:
        updated = await Application.filter(id__in=ids, status=ApplicationStatus.APPROVED).update(
            status=ApplicationStatus.ANNOUNCED,
            announcement_id=announcement.id,
            updated_at=announcement.published_at,
            version=F("version") + 1,
        )
    if wanted is not None and updated != len(wanted):
        raise DomainError(ErrorCode.APPLICATION_NOT_APPROVED, "application_ids")
    if updated == 0:
        raise DomainError(ErrorCode.NOTHING_TO_ANNOUNCE)
    return list(await Application.filter(announcement_id=announcement.id).order_by("id"))


async def _record(step: BusinessStep, announcement: Announcement, application: Application) -> None:
    """The filing's ANNOUNCEMENT step (its event goes to the person) and the person's trail entry."""
    number = number_text(announcement.year, announcement.seq)
    comment = f"已列入{number}"
    new = filings.NewStep(filings.Stage.ANNOUNCEMENT, StepOutcome.DONE, filings.ActorRole.MINISTRY, comment)
    await filings.append_step(step, application, new)
    label = filings.handler_for(application.kind).label
    person_id: int = application.person_id  # type: ignore[attr-defined]
    description = f"{label}申报（编号{application.id}）已列入{number}"
    await step.trail(person_id, TrailAction.APPLICATION_ANNOUNCED, description, PUBLISHER)
