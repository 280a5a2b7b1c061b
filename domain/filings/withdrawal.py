"""撤回申报: the applicant withdraws a filing that is not yet decided (a conditional update on status and version; the
open_key is cleared so the kind can be filed again), with its step, trail entry and event."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import Application, ApplicationStatus, StepOutcome
from domain.filings.drafts import handler_for
from domain.filings.queues import leaving
from domain.filings.steps import ActorRole, NewStep, Stage, append_step
from domain.kernel import clock
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.trail import TrailAction, business_step

DECIDED = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.ANNOUNCED,
    ApplicationStatus.REFUSED,
    ApplicationStatus.WITHDRAWN,
)
WITHDRAWABLE = tuple(status for status in ApplicationStatus if status not in DECIDED)


@dataclass(frozen=True)
class Withdrawal:
    """撤回申报: the application (its database id; None for an id that names no application of ours)."""

    application_id: int | None


async def withdraw(deps: Deps, actor: Actor, request: Withdrawal, meta: RequestMeta) -> Application:
    """Withdraw the actor's own open filing; NOT_FOUND for anyone else's (no telling whose it is)."""
    application = None
    if request.application_id is not None:
        application = await Application.get_or_none(id=request.application_id, person_id=actor.id)
    if application is None:
        raise DomainError(ErrorCode.NOT_FOUND, "id", "未找到该申报。")
    if application.status in DECIDED:
        raise DomainError(ErrorCode.APPLICATION_NOT_WITHDRAWABLE, "id")
    now = clock.now()
    async with business_step(deps, meta) as step:
        updated = await Application.filter(
            id=application.id, version=application.version, status__in=list(WITHDRAWABLE)
        ).update(
            **leaving(ApplicationStatus.WITHDRAWN),
            open_key=None,
            decided_at=now,
            updated_at=now,
            version=application.version + 1,
        )
        if updated != 1:  # a review decision or another withdrawal came first
            raise DomainError(ErrorCode.CONFLICT, "id", "该申报的状态刚刚发生变化，请刷新后重试。")
        await append_step(
            step, application, NewStep(Stage.WITHDRAWAL, StepOutcome.WITHDRAWN, ActorRole.APPLICANT, "申请人撤回申报")
        )
        label = handler_for(application.kind).label
        await step.trail(actor.id, TrailAction.APPLICATION_WITHDRAWN, f"撤回{label}申报（编号{application.id}）")
    await application.refresh_from_db()
    return application
