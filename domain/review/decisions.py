"""Staff decisions (确认, 审查通过, 不予注册, 退回补正) as rows of the transitions table. Each is one unit of work: the
conditional UPDATE (status and version; queue columns from `filings.entering`/`leaving`), a ProgressStep naming the
staff user with the comment and the next stage's deadline, the applicant's trail entry, the step's event, an SMS
notice; on approval the filing closes and its effect is queued (APPLY_APPROVAL); a refusal for false materials
also bans filing for a year. Of racing decisions exactly one wins; the others get CONFLICT."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from db.models import Application, ApplicationStatus, FilingBan, Person, StepOutcome
from domain import accounts, filings
from domain.filings import ActorRole, CorrectionItem, NewStep, Stage
from domain.kernel import clock
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, ErrorCode
from domain.kernel.jobs import Job
from domain.review.automation import AutoPass, auto_passes, record_auto_passes
from domain.review.notices import sms_text, trail_entry
from domain.review.queue import precheck_findings
from domain.review.scopes import acts_on_current_specialty, find_in_scope
from domain.review.transitions import DECIDED, Action, Transition, applicable, roles_for, rows_from
from domain.trail import BusinessStep, business_step

STAFF_ROLES = (ActorRole.ENTERPRISE, ActorRole.SPECIALTY_MINISTRY, ActorRole.MINISTRY)
OUTCOMES = {
    Action.CONFIRM: StepOutcome.PASSED,
    Action.APPROVE: StepOutcome.PASSED,
    Action.REJECT: StepOutcome.REFUSED,
    Action.RETURN: StepOutcome.RETURNED,
}
CLOSING = (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED)
BAN_REASON = "提供虚假材料，不予注册（申报编号{id}），一年内不得申报"


@dataclass(frozen=True)
class Decision:
    """A staff decision on a filing (its database id; None or 0 for an id naming none): the action, a comment
    (required to refuse), the items to correct (a return: one to thirty), and whether the materials were false
    (the ministry's refusal only: a one-year ban on filing)."""

    application_id: int | None
    action: Action
    comment: str | None = None
    items: tuple[CorrectionItem, ...] = ()
    false_materials: bool = False


@dataclass(frozen=True)
class Checked:
    """The decision's input, cleaned."""

    comment: str
    items: list[dict[str, Any]]


def staff_role(actor: Actor | None, action: Action) -> ActorRole:
    """The actor's role as the table names it; FORBIDDEN for a role that never takes this action."""
    if actor is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED)
    role = ActorRole(actor.role) if not actor.is_person and actor.role in {r.value for r in STAFF_ROLES} else None
    if role is None or role not in roles_for(action):
        raise DomainError(ErrorCode.FORBIDDEN)
    return role


def check_input(decision: Decision, role: ActorRole) -> Checked:
    """Comment bounded (required to refuse), items only and always for a return, falseMaterials only on the
    ministry's refusal."""
    action = decision.action
    what = "不予注册的理由" if action is Action.REJECT else "审查意见"
    comment = filings.bounded_text(
        decision.comment, "comment", filings.NOTE_MAX_LENGTH, required=action is Action.REJECT, what=what
    )
    if action is Action.RETURN:
        items = filings.clean_items(decision.items)
    elif decision.items:
        raise DomainError(ErrorCode.INVALID_INPUT, "items", "只有退回补正时才能填写补正事项。")
    else:
        items = []
    if decision.false_materials and not (action is Action.REJECT and role is ActorRole.MINISTRY):
        raise DomainError(ErrorCode.INVALID_INPUT, "false_materials", "只有住建部不予注册时才能认定提供虚假材料。")
    return Checked(comment, items)


def rows_for(actor: Actor, role: ActorRole, application: Application, action: Action) -> list[Transition]:
    """The table's rows for this filing's status, action and the actor's role; ALREADY_DECIDED for a closed
    filing, NOT_AT_STAGE when it waits elsewhere (another stage, or another specialty's turn)."""
    if application.status in DECIDED:
        raise DomainError(ErrorCode.ALREADY_DECIDED, "id")
    rows = [row for row in rows_from(application.status, action) if row.actor is role]
    if not rows or not acts_on_current_specialty(actor, application):
        raise DomainError(ErrorCode.NOT_AT_STAGE, "id")
    return rows


def _after(application: Application, action: Action) -> tuple[Application, dict[str, Any]]:
    """The filing as it will be (for the guards and the next queue), and the columns that change besides status:
    a specialty approved joins the reviewed ones."""
    after = copy.copy(application)  # the automatic confirmation policy may mark more specialties reviewed on it
    if application.status is ApplicationStatus.SPECIALTY_REVIEW and action is Action.APPROVE:
        reviewed = [*(application.reviewed_specialty_codes or []), filings.pending_specialty_reviews(application)[0]]
        after.reviewed_specialty_codes = reviewed
        return after, {"reviewed_specialty_codes": reviewed}
    return after, {}


def columns(application: Application, target: ApplicationStatus, extra: dict[str, Any]) -> dict[str, Any]:
    """What the conditional UPDATE writes: queue columns, version, times; a closing decision frees the kind."""
    now = clock.now()
    moved = filings.entering(application, target) if target in filings.REVIEW_STAGES else filings.leaving(target)
    if target in CLOSING:
        moved |= {"open_key": None, "decided_at": now}
    return moved | extra | {"version": application.version + 1, "updated_at": now}


async def decide(deps: Deps, actor: Actor | None, decision: Decision, meta: RequestMeta) -> Application:
    """Take a staff decision on a filing in the actor's scope, as the transitions table allows."""
    role = staff_role(actor, decision.action)
    assert actor is not None  # staff_role
    application = await find_in_scope(actor, decision.application_id)
    rows = rows_for(actor, role, application, decision.action)
    checked = check_input(decision, role)
    after, extra = _after(application, decision.action)
    row = applicable(after, rows)
    passes, target = await _automated(after, row.target)
    if passes:
        extra["reviewed_specialty_codes"] = after.reviewed_specialty_codes
    changes = columns(after, target, extra)
    deadline = changes.get("stage_deadline_on")
    async with business_step(deps, meta) as step:
        moved = await Application.filter(
            id=application.id, status=application.status, version=application.version
        ).update(**changes)
        if moved != 1:
            raise DomainError(ErrorCode.CONFLICT, "id", "该申报刚刚已由他人办理，请刷新后查看。")
        await _record(step, actor, application, row, checked, None if passes else deadline)
        await record_auto_passes(step, application, passes, deadline)
        if decision.false_materials:
            await _ban(actor, application)
    return await Application.get(id=application.id)


async def _automated(after: Application, target: ApplicationStatus) -> tuple[list[AutoPass], ApplicationStatus]:
    """A decision that moves the filing into a specialty review: the automatic confirmation policy may pass it on
    at once, as the pre-check does (its findings decide); `after` then holds the specialties it passed."""
    if target is not ApplicationStatus.SPECIALTY_REVIEW:
        return [], target
    found = (await precheck_findings([after.id])).get(after.id, [])
    return auto_passes(after, target, found)


async def _record(
    step: BusinessStep, actor: Actor, application: Application, row: Transition, checked: Checked, deadline: Any
) -> None:
    """The step, the trail entry, the SMS notice and, on approval, the effect's job (all in the step)."""
    outcome = OUTCOMES[row.action]
    stage = Stage(application.status.value)  # where the decision was taken (the row's source)
    new = NewStep(stage, outcome, row.actor, checked.comment or None, checked.items, deadline, actor.id)
    await filings.append_step(step, application, new)
    person = await Person.get(id=application.person_id)  # type: ignore[attr-defined]
    action, description = trail_entry(application, row, checked.comment, checked.items)
    await step.trail(person.id, action, description, actor=STAFF_LABELS[row.actor])
    await accounts.notify_by_sms(step, person.mobile, sms_text(application, row))
    if row.target is ApplicationStatus.APPROVED:
        await step.enqueue(Job.APPLY_APPROVAL, {"application_id": application.id})


STAFF_LABELS = {
    ActorRole.ENTERPRISE: "聘用企业",
    ActorRole.SPECIALTY_MINISTRY: "专业部门",
    ActorRole.MINISTRY: "住房和城乡建设部",
}


async def _ban(actor: Actor, application: Application) -> None:
    """False materials: no filing for one year from today (29 February → 28 February)."""
    today = clock.business_date()
    try:
        ends_on = today.replace(year=today.year + 1)
    except ValueError:
        ends_on = today.replace(year=today.year + 1, day=28)
    await FilingBan.create(
        person_id=application.person_id,  # type: ignore[attr-defined]
        reason=BAN_REASON.format(id=application.id)[:200],
        ends_on=ends_on,
        staff_id=actor.id,
        created_at=clock.now(),
    )
