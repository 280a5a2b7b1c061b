"""补正 (return for correction) and resubmission: a reviewing stage returns a filing with the items to correct (one
notice, listed on its RETURNED step); the applicant resubmits once per notice, and the filing goes back to the
stage that returned it. Both transitions are conditional UPDATEs on the application's version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.expressions import F

from db.models import Application, ApplicationStatus, ApplicationStep, StaffRole, StepOutcome
from domain.filings.kinds.free_text import NOTE_MAX_LENGTH, REASON_TEXT_MAX_LENGTH, bounded_text
from domain.kernel import clock
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.trail import BusinessStep, TrailAction, business_step

MAX_ITEMS = 30
APPLICANT_ROLE = "APPLICANT"
RESUBMITTED_STAGE = "CORRECTION"  # the applicant's answer to a notice
# Who may return a filing at each reviewing stage (the review issue adds the scope: whose filings each may see).
RETURNING_ROLES: dict[ApplicationStatus, StaffRole] = {
    ApplicationStatus.ENTERPRISE_CONFIRMATION: StaffRole.ENTERPRISE,
    ApplicationStatus.SPECIALTY_REVIEW: StaffRole.SPECIALTY_MINISTRY,
    ApplicationStatus.MINISTRY_REVIEW: StaffRole.MINISTRY,
}
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
    """补正后重新提交: the filing, the commitment accepted again, a note for the reviewer."""

    application_id: int
    accept_terms: bool
    note: str | None = None


def clean_items(items: list[CorrectionItem]) -> list[dict[str, Any]]:
    """The notice's items: at least one, at most MAX_ITEMS, each with a code and a bounded message."""
    if not items or len(items) > MAX_ITEMS:
        raise DomainError(ErrorCode.INVALID_INPUT, "items", f"补正事项应为1至{MAX_ITEMS}项。")
    cleaned = []
    for item in items:
        message = bounded_text(item.message, "items", REASON_TEXT_MAX_LENGTH, required=True, what="补正事项")
        code = item.code.strip().upper()
        if not code.replace("_", "").isalnum() or len(code) > 40:
            raise DomainError(ErrorCode.INVALID_INPUT, "items", "补正事项代码不正确。")
        cleaned.append({"code": code, "message": message} | ({"field": item.field[:60]} if item.field else {}))
    return cleaned


async def _next_seq(application_id: int) -> int:
    last = await ApplicationStep.filter(application_id=application_id).order_by("-seq").first()
    return 1 if last is None else last.seq + 1


async def _move(application: Application, to: ApplicationStatus) -> None:
    """The conditional transition: from the status and version read, or `NOT_RETURNED`/`CONFLICT` for the loser."""
    moved = await Application.filter(id=application.id, status=application.status, version=application.version).update(
        status=to, version=F("version") + 1, updated_at=clock.now()
    )
    if moved != 1:
        code = ErrorCode.NOT_RETURNED if application.status is ApplicationStatus.RETURNED else ErrorCode.CONFLICT
        raise DomainError(code, "id")


def _step_event(application: Application, step: ApplicationStep) -> dict[str, Any]:
    return {"type": "application.step", "applicationId": application.id, "seq": step.seq}


async def _write_step(step: BusinessStep, application: Application, **values: Any) -> ApplicationStep:
    row = await ApplicationStep.create(
        application_id=application.id, seq=await _next_seq(application.id), created_at=clock.now(), **values
    )
    step.publish(application.person_id, _step_event(application, row))  # type: ignore[attr-defined]
    return row


def _require_returning_staff(staff: Actor, stage: ApplicationStatus) -> StaffRole:
    role = RETURNING_ROLES.get(stage)
    if role is None:
        raise DomainError(ErrorCode.CONFLICT, "id", "该申报当前不在审查环节，不能退回补正。")
    if not staff.has_role(role):
        raise DomainError(ErrorCode.FORBIDDEN)
    return role


async def return_for_correction(
    deps: Deps,
    meta: RequestMeta,
    application_id: int,
    items: list[CorrectionItem],
    staff: Actor,
    comment: str | None = None,
    deadline_on: date | None = None,
) -> Application:
    """退回补正: the reviewing stage's staff send the filing back with everything to correct in one notice."""
    application = await Application.get_or_none(id=application_id)
    if application is None:
        raise DomainError(ErrorCode.NOT_FOUND, "id")
    stage = ApplicationStatus(application.status)
    role = _require_returning_staff(staff, stage)
    listed = clean_items(items)
    text = bounded_text(comment, "comment", NOTE_MAX_LENGTH, required=False, what="退回意见")
    async with business_step(deps, meta) as step:
        await _move(application, ApplicationStatus.RETURNED)
        await _write_step(
            step,
            application,
            stage=stage.value,
            outcome=StepOutcome.RETURNED,
            actor_role=role.value,
            staff_id=staff.id,
            comment=text or None,
            items=listed,
            deadline_on=deadline_on,
        )
        summary = "；".join(i["message"] for i in listed)
        await step.trail(
            application.person_id,  # type: ignore[attr-defined]
            TrailAction.APPLICATION_RETURNED,
            f"申报被退回补正（{STAGE_LABELS[stage]}）：{summary}"[:500],
            actor="工作人员",
        )
    return await Application.get(id=application_id)


async def returned_from(application: Application) -> ApplicationStep:
    """The notice being answered: the latest step, a RETURNED one (its stage is where the filing goes back to)."""
    last = await ApplicationStep.filter(application_id=application.id).order_by("-seq").first()
    if last is None or last.outcome is not StepOutcome.RETURNED or last.stage not in {s.value for s in RETURNING_ROLES}:
        raise DomainError(ErrorCode.NOT_RETURNED, "id")
    return last


async def resubmit(deps: Deps, actor: Actor, resubmission: Resubmission, meta: RequestMeta) -> Application:
    """补正后重新提交: once per notice (a conditional UPDATE: of many at once, one wins, the others get
    `NOT_RETURNED`); the filing goes back to the stage that returned it, with a step, a trail entry, an event."""
    if not resubmission.accept_terms:
        raise DomainError(ErrorCode.TERMS_NOT_ACCEPTED, "accept_terms")
    note = bounded_text(resubmission.note, "note", NOTE_MAX_LENGTH, required=False, what="补正说明")
    application = await Application.get_or_none(id=resubmission.application_id, person_id=actor.id)
    if application is None:
        raise DomainError(ErrorCode.NOT_FOUND, "id")
    if application.status is not ApplicationStatus.RETURNED:
        raise DomainError(ErrorCode.NOT_RETURNED, "id")
    notice = await returned_from(application)
    back_to = ApplicationStatus(notice.stage)
    async with business_step(deps, meta) as step:
        await _move(application, back_to)
        answer = {"code": "ANSWERS_NOTICE", "message": f"答复第{notice.seq}步的补正通知"}
        await _write_step(
            step,
            application,
            stage=RESUBMITTED_STAGE,
            outcome=StepOutcome.DONE,
            actor_role=APPLICANT_ROLE,
            comment=note or "已按补正通知修改，重新提交",
            items=[answer],
        )
        waiting_for = RETURNING_ROLES[back_to].value
        await _write_step(step, application, stage=back_to.value, outcome=StepOutcome.PENDING, actor_role=waiting_for)
        await step.trail(
            actor.id, TrailAction.APPLICATION_RESUBMITTED, f"补正后重新提交申报，退回至{STAGE_LABELS[back_to]}"
        )
    return await Application.get(id=application.id)
