"""进度: the stages a filing passes, who acts at each, and how a step is written (numbered, with its event)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from db.models import Application, ApplicationStep, StepOutcome
from domain.kernel import clock
from domain.trail import BusinessStep


class Stage(str, Enum):
    """Where a step happened. The review issue adds its stages' transitions; the names are fixed here."""

    SUBMISSION = "SUBMISSION"  # 申报提交
    PRECHECK = "PRECHECK"  # 系统预审
    ENTERPRISE_CONFIRMATION = "ENTERPRISE_CONFIRMATION"  # 聘用企业确认
    SPECIALTY_REVIEW = "SPECIALTY_REVIEW"  # 专业部门审查
    MINISTRY_REVIEW = "MINISTRY_REVIEW"  # 住建部审查
    CORRECTION = "CORRECTION"  # 补正（申请人重新提交）
    ANNOUNCEMENT = "ANNOUNCEMENT"  # 公告
    WITHDRAWAL = "WITHDRAWAL"  # 申请人撤回


class ActorRole(str, Enum):
    """Who acted at a step."""

    APPLICANT = "APPLICANT"
    SYSTEM = "SYSTEM"
    ENTERPRISE = "ENTERPRISE"
    SPECIALTY_MINISTRY = "SPECIALTY_MINISTRY"
    MINISTRY = "MINISTRY"


def step_event(application_id: int, seq: int) -> dict[str, Any]:
    """The hint a person's clients get for each new step (they reload the step, owner-checked)."""
    return {"type": "application.step", "applicationId": application_id, "seq": seq}


@dataclass(frozen=True)
class NewStep:
    """A step to append: where, with what outcome, by whom; the comment, the items (reasons found, items to
    correct: [{"code", "message", "field"?}]), the deadline when there is one and the staff user who acted."""

    stage: Stage
    outcome: StepOutcome
    actor_role: ActorRole
    comment: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    deadline_on: date | None = None
    staff_id: int | None = None


async def append_step(step: BusinessStep, application: Application, new: NewStep) -> ApplicationStep:
    """The next step of a filing, inside the business step (after the transition's conditional update, which
    serializes writers of one application); its event goes to the person after the commit."""
    last = await ApplicationStep.filter(application_id=application.id).order_by("-seq").first()
    row = await ApplicationStep.create(
        application_id=application.id,
        seq=(last.seq if last is not None else 0) + 1,
        stage=new.stage.value,
        outcome=new.outcome,
        actor_role=new.actor_role.value,
        comment=new.comment,
        items=new.items,
        created_at=clock.now(),
        deadline_on=new.deadline_on,
        staff_id=new.staff_id,
    )
    person_id: int = application.person_id  # type: ignore[attr-defined]
    step.publish(person_id, step_event(application.id, row.seq))
    return row
