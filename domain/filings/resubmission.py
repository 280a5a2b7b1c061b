"""补正 (return for correction) and resubmission. A reviewing stage returns a filing with everything to correct in
one notice (its RETURNED step lists the items; the return is a staff decision of `domain.review`, scope-checked);
the applicant resubmits once per notice and the filing goes back to the stage that returned it (that reviewer checks
the corrections; the pre-check is not run again): a conditional UPDATE on status and version, of many at once, one
wins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.models import Application, ApplicationKind, ApplicationStatus, ApplicationStep, StepOutcome
from domain.filings.drafts import handler_for
from domain.filings.kinds.free_text import NOTE_MAX_LENGTH, REASON_TEXT_MAX_LENGTH, bounded_text, clean_text
from domain.filings.kinds.personal_info import corrected_materials
from domain.filings.queues import entering
from domain.filings.steps import ActorRole, NewStep, Stage, append_step
from domain.kernel import clock
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.trail import TrailAction, business_step

MAX_ITEMS = 30
# The reviewing stages that may return a filing (who, and in whose scope: domain.review's transitions table).
STAGE_LABELS = {
    ApplicationStatus.ENTERPRISE_CONFIRMATION: "聘用企业确认",
    ApplicationStatus.SPECIALTY_REVIEW: "专业部门审查",
    ApplicationStatus.MINISTRY_REVIEW: "住房和城乡建设部审查",
}


@dataclass(frozen=True)
class CorrectionItem:
    """One thing to correct: a code the clients may switch on, the Chinese text, the input field if any."""

    code: str
    message: str
    field: str | None = None


@dataclass(frozen=True)
class Resubmission:
    """补正后重新提交: the filing (None for an id naming none of ours), the commitment accepted again, a note for
    the reviewer, and for a personal-info change the ID-card images uploaded anew (None keeps those filed)."""

    application_id: int | None
    accept_terms: bool
    note: str | None = None
    attachment_ids: tuple[int, ...] | None = None


def clean_items(items: list[CorrectionItem] | tuple[CorrectionItem, ...]) -> list[dict[str, Any]]:
    """The notice's items: at least one, at most MAX_ITEMS, each with a code and a bounded message."""
    if not items or len(items) > MAX_ITEMS:
        raise DomainError(ErrorCode.INVALID_INPUT, "items", f"补正事项应为1至{MAX_ITEMS}项。")
    cleaned = []
    for item in items:
        message = bounded_text(item.message, "items", REASON_TEXT_MAX_LENGTH, required=True, what="补正事项")
        code = item.code.strip().upper()
        if not code or len(code) > 40 or not code.replace("_", "").isalnum() or not code.isascii():
            raise DomainError(ErrorCode.INVALID_INPUT, "items", "补正事项代码不正确。")
        field = clean_text(item.field)[:60]  # a client's field name: control characters (NUL) dropped
        cleaned.append({"code": code, "message": message} | ({"field": field} if field else {}))
    return cleaned


async def _move(application: Application, to: ApplicationStatus, **changes: Any) -> None:
    """The conditional transition from RETURNED (status and version read) into `to`'s review queue; the loser of
    a race gets NOT_RETURNED."""
    moved = await Application.filter(id=application.id, status=application.status, version=application.version).update(
        **entering(application, to), version=application.version + 1, updated_at=clock.now(), **changes
    )
    if moved != 1:
        raise DomainError(ErrorCode.NOT_RETURNED, "id")


async def open_notice(application: Application) -> ApplicationStep:
    """The notice being answered: the latest step, a RETURNED one from a reviewing stage."""
    last = await ApplicationStep.filter(application_id=application.id).order_by("-seq").first()
    stages = {s.value for s in STAGE_LABELS}
    if last is None or last.outcome is not StepOutcome.RETURNED or last.stage not in stages:
        raise DomainError(ErrorCode.NOT_RETURNED, "id")
    return last


async def _own_returned(actor: Actor, application_id: int | None) -> tuple[Application, ApplicationStep]:
    application = None
    if application_id is not None:
        application = await Application.get_or_none(id=application_id, person_id=actor.id)
    if application is None:
        raise DomainError(ErrorCode.NOT_FOUND, "id", "未找到该申报。")
    if application.status is not ApplicationStatus.RETURNED:
        raise DomainError(ErrorCode.NOT_RETURNED, "id")
    return application, await open_notice(application)


async def _corrected_details(application: Application, attachment_ids: tuple[int, ...] | None) -> dict[str, Any]:
    """The filing's details with new ID-card images (personal-info change only)."""
    if attachment_ids is None:
        return {}
    if application.kind is not ApplicationKind.PERSONAL_INFO_CHANGE:
        raise DomainError(ErrorCode.INVALID_INPUT, "attachment_ids", "该类申报补正时无需提交附件。")
    return {"details": await corrected_materials(application, attachment_ids)}


async def resubmit(deps: Deps, actor: Actor, resubmission: Resubmission, meta: RequestMeta) -> Application:
    """补正后重新提交: once per notice; back to the stage that returned the filing, with a step, a trail entry and
    the step's event. No SMS code: the filing was confirmed by one, and the session is the applicant's."""
    if resubmission.accept_terms is not True:
        raise DomainError(ErrorCode.TERMS_NOT_ACCEPTED, "accept_terms")
    note = bounded_text(resubmission.note, "note", NOTE_MAX_LENGTH, required=False, what="补正说明")
    application, notice = await _own_returned(actor, resubmission.application_id)
    changes = await _corrected_details(application, resubmission.attachment_ids)
    back_to = ApplicationStatus(notice.stage)
    comment = f"申请人已补正并重新提交，退回至{STAGE_LABELS[back_to]}" + (f"。补正说明：{note}" if note else "")
    answer = [{"code": "ANSWERS_NOTICE", "message": f"答复第{notice.seq}步的补正通知"}]
    async with business_step(deps, meta) as step:
        await _move(application, back_to, **changes)
        await append_step(
            step, application, NewStep(Stage.CORRECTION, StepOutcome.DONE, ActorRole.APPLICANT, comment, answer)
        )
        label = handler_for(application.kind).label
        description = f"补正后重新提交{label}申报（编号{application.id}），退回至{STAGE_LABELS[back_to]}"
        await step.trail(actor.id, TrailAction.APPLICATION_RESUBMITTED, description)
    return await Application.get(id=application.id)
