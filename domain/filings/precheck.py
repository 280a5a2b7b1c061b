"""The automatic pre-check (系统预审): the worker runs a filing's rules again on fresh data, then moves it to its
first review stage, or refuses it with every reason listed on the step. A conditional update makes it act once."""

from __future__ import annotations

from typing import Any

from db.models import Application, ApplicationStatus, Person, StepOutcome
from domain.filings.drafts import handler_for
from domain.filings.eligibility import load_applicant, require_may_file
from domain.filings.queues import entering, leaving, next_stage_after
from domain.filings.steps import ActorRole, NewStep, Stage, append_step
from domain.kernel import clock, outbox
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError
from domain.trail import BusinessStep, TrailAction, business_step

SYSTEM = RequestMeta.internal("precheck")
NEXT_STAGE_TEXT = {
    ApplicationStatus.ENTERPRISE_CONFIRMATION: "待聘用企业确认",
    ApplicationStatus.SPECIALTY_REVIEW: "待专业部门审查",
    ApplicationStatus.MINISTRY_REVIEW: "待住房和城乡建设部审查",
}


async def findings(application: Application) -> list[DomainError]:
    """Every reason the filing cannot go on, read now (gates and the kind's rules; an empty list passes)."""
    person = await Person.get(id=application.person_id)  # type: ignore[attr-defined]
    try:
        await require_may_file(person)
    except DomainError as exc:
        return [exc]
    handler = handler_for(application.kind)
    return await handler.check(await load_applicant(person), handler.from_row(application))


def reason_items(errors: list[DomainError]) -> list[dict[str, str]]:
    """The step's items: each reason with its code (and field when it has one)."""
    return [{"code": e.code.value, "message": e.message, **({"field": e.field} if e.field else {})} for e in errors]


async def precheck(deps: Deps, outbox_id: str) -> str:
    """Job body: pre-check the filing of one outbox row; `skipped` when already done (a job may run twice)."""
    message = await outbox.claim(outbox_id)
    if message is None:
        return "skipped"
    application = await Application.get_or_none(id=int(message.payload["application_id"]))
    if application is None or application.status is not ApplicationStatus.SUBMITTED:
        await outbox.mark_done(message)
        return "skipped"
    errors = await findings(application)
    async with business_step(deps, SYSTEM) as step:
        outcome = await _apply(step, application, errors)
        await outbox.mark_done(message)
    return outcome


async def _apply(step: BusinessStep, application: Application, errors: list[DomainError]) -> str:
    """PASSED → the first review stage; else REFUSED (open_key cleared) with the reasons: once (conditional)."""
    now = clock.now()
    passed = not errors
    stage = next_stage_after(application, None)
    changes: dict[str, Any] = {"updated_at": now, "version": application.version + 1}
    if passed:
        changes.update(entering(application, stage))
    else:
        changes.update(leaving(ApplicationStatus.REFUSED), open_key=None, decided_at=now)
    updated = await Application.filter(
        id=application.id, status=ApplicationStatus.SUBMITTED, version=application.version
    ).update(**changes)
    if updated != 1:
        return "skipped"  # another run (or a withdrawal) got there first
    person_id: int = application.person_id  # type: ignore[attr-defined]
    if passed:
        passed_step = NewStep(
            Stage.PRECHECK,
            StepOutcome.PASSED,
            ActorRole.SYSTEM,
            f"系统预审通过，{NEXT_STAGE_TEXT[stage]}",
            deadline_on=changes["stage_deadline_on"],
        )
        await append_step(step, application, passed_step)
        await step.trail(
            person_id, TrailAction.APPLICATION_PRECHECKED, f"申报（编号{application.id}）通过系统预审", "系统"
        )
        return "passed"
    comment = "系统预审未通过，不予受理：" + "；".join(e.message.rstrip("。") for e in errors) + "。"
    refused_step = NewStep(Stage.PRECHECK, StepOutcome.REFUSED, ActorRole.SYSTEM, comment, reason_items(errors))
    await append_step(step, application, refused_step)
    await step.trail(person_id, TrailAction.APPLICATION_REFUSED, f"申报（编号{application.id}）未通过系统预审", "系统")
    return "refused"
