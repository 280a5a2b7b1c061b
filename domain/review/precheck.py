"""The automatic pre-check (系统预审), the job body: the filing's rules run again on fresh data (domain.filings),
then it moves to its first review stage with the reviewer's findings on the step, passing at once the stages the
automatic confirmation policy allows; or it is refused with every reason listed. A conditional update makes it act
once."""

from __future__ import annotations

from typing import Any

from db.models import Application, ApplicationStatus, StepOutcome
from domain import filings
from domain.filings import ActorRole, NewStep, Stage
from domain.kernel import clock, outbox
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError
from domain.review.automation import auto_passes, record_auto_passes
from domain.review.findings import Finding, review_findings
from domain.trail import BusinessStep, TrailAction, business_step

SYSTEM = RequestMeta.internal("precheck")


async def precheck(deps: Deps, outbox_id: str) -> str:
    """Job body: pre-check the filing of one outbox row; `skipped` when already done (a job may run twice)."""
    message = await outbox.claim(outbox_id)
    if message is None:
        return "skipped"
    application = await Application.get_or_none(id=int(message.payload["application_id"]))
    if application is None or application.status is not ApplicationStatus.SUBMITTED:
        await outbox.mark_done(message)
        return "skipped"
    errors = await filings.findings(application)
    found = [] if errors else await review_findings(application)
    async with business_step(deps, SYSTEM) as step:
        outcome = await (_pass(step, application, found) if not errors else _refuse(step, application, errors))
        await outbox.mark_done(message)
    return outcome


async def _transition(application: Application, changes: dict[str, Any]) -> bool:
    """The conditional update from SUBMITTED at the version read: False when another run got there first."""
    changes.update(updated_at=clock.now(), version=application.version + 1)
    updated = await Application.filter(
        id=application.id, status=ApplicationStatus.SUBMITTED, version=application.version
    ).update(**changes)
    return updated == 1


async def _pass(step: BusinessStep, application: Application, found: list[Finding]) -> str:
    """PASSED → the first review stage (and on past the stages the policy confirms at once), findings recorded."""
    first = filings.next_stage_after(application, None)
    passes, stage = auto_passes(application, first, found)
    changes = filings.entering(application, stage)
    if any(p.stage is ApplicationStatus.SPECIALTY_REVIEW for p in passes):
        changes["reviewed_specialty_codes"] = application.reviewed_specialty_codes
    if not await _transition(application, changes):
        return "skipped"  # another run (or a withdrawal) got there first
    deadline = changes["stage_deadline_on"]
    comment = f"系统预审通过，{filings.NEXT_STAGE_TEXT[first]}"
    items = [f.as_item() for f in found]
    await filings.append_step(
        step,
        application,
        NewStep(Stage.PRECHECK, StepOutcome.PASSED, ActorRole.SYSTEM, comment, items, None if passes else deadline),
    )
    await record_auto_passes(step, application, passes, deadline)
    text = f"申报（编号{application.id}）通过系统预审" + ("，并按政策自动确认" if passes else "")
    await step.trail(_person_id(application), TrailAction.APPLICATION_PRECHECKED, text, "系统")
    return "passed"


async def _refuse(step: BusinessStep, application: Application, errors: list[DomainError]) -> str:
    """REFUSED (open_key cleared) with every reason on the step."""
    now = clock.now()
    if not await _transition(
        application, {**filings.leaving(ApplicationStatus.REFUSED), "open_key": None, "decided_at": now}
    ):
        return "skipped"
    comment = "系统预审未通过，不予受理：" + "；".join(e.message.rstrip("。") for e in errors) + "。"
    refused = NewStep(Stage.PRECHECK, StepOutcome.REFUSED, ActorRole.SYSTEM, comment, filings.reason_items(errors))
    await filings.append_step(step, application, refused)
    text = f"申报（编号{application.id}）未通过系统预审"
    await step.trail(_person_id(application), TrailAction.APPLICATION_REFUSED, text, "系统")
    return "refused"


def _person_id(application: Application) -> int:
    return int(application.person_id)  # type: ignore[attr-defined]
