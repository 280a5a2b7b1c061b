"""Automatic confirmation (审查自动化): a policy (REVIEW_AUTO_CONFIRM, off by default) lets a clean filing (no
WARNING finding) of an allowed kind pass the enterprise confirmation or a specialty review at once. Each pass is a
step by SYSTEM naming its rule and reason. The ministry's decision is never automated (the settings refuse it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.models import Application, ApplicationStatus, StepOutcome
from domain import filings
from domain.filings import ActorRole, NewStep, Stage
from domain.kernel.settings import get_settings
from domain.review.findings import Finding, is_clean
from domain.trail import BusinessStep

STAGE_LABELS = {
    ApplicationStatus.ENTERPRISE_CONFIRMATION: "聘用企业确认",
    ApplicationStatus.SPECIALTY_REVIEW: "专业部门审查",
}
KIND_LABELS = {
    "INITIAL": "初始注册",
    "CHANGE": "变更注册",
    "ADD_SPECIALTY": "增项注册",
    "RENEWAL": "延续注册",
    "REREGISTRATION": "重新注册",
    "CERTIFICATE_REPLACEMENT": "证书更换",
    "PERSONAL_INFO_CHANGE": "个人信息修改",
}


@dataclass(frozen=True)
class AutoPass:
    """One stage passed by the policy: which, the rule that allowed it, and (specialty review) the specialty."""

    stage: ApplicationStatus
    rule: str
    specialty_code: str | None = None

    def as_step(self, kind: str) -> NewStep:
        """The step recording it: SYSTEM, PASSED, the rule and the reason in the comment and the items."""
        where = STAGE_LABELS[self.stage] + (f"（专业{self.specialty_code}）" if self.specialty_code else "")
        reason = f"系统预审无警示事项，{KIND_LABELS.get(kind, kind)}按审查自动化政策自动通过{where}"
        item = {"code": "AUTO_CONFIRMED", "message": reason + "。", "severity": "INFO", "rule": self.rule}
        comment = f"{where}：系统自动通过（规则 {self.rule}）。{reason}。"
        return NewStep(Stage(self.stage.value), StepOutcome.PASSED, ActorRole.SYSTEM, comment, [item])


def auto_confirm_rule(stage: ApplicationStatus, kind: str) -> str | None:
    """The policy entry allowing this stage for this kind, as `REVIEW_AUTO_CONFIRM=STAGE:KIND`; None if none."""
    pair = f"{stage.value}:{kind}"
    return f"REVIEW_AUTO_CONFIRM={pair}" if pair in get_settings().review_auto_confirm else None


def auto_passes(
    application: Application, stage: ApplicationStatus, found: list[Finding]
) -> tuple[list[AutoPass], ApplicationStatus]:
    """From `stage` (just entered), the stages the policy passes at once and the stage the filing then waits in.
    A specialty review passed marks its specialty reviewed on `application` (the caller writes the column)."""
    passes: list[AutoPass] = []
    if not is_clean(found):
        return passes, stage
    kind = getattr(application.kind, "value", application.kind)
    while (rule := auto_confirm_rule(stage, kind)) is not None:
        code = None
        if stage is ApplicationStatus.SPECIALTY_REVIEW:
            code = filings.pending_specialty_reviews(application)[0]
            application.reviewed_specialty_codes = [*(application.reviewed_specialty_codes or []), code]
        passes.append(AutoPass(stage, rule, code))
        stage = filings.next_stage_after(application, stage)
    return passes, stage


async def record_auto_passes(
    step: BusinessStep, application: Application, passes: list[AutoPass], deadline: Any
) -> None:
    """One SYSTEM step per stage the policy passed; the last carries the deadline of the stage now waited in."""
    kind = getattr(application.kind, "value", application.kind)
    for index, passed in enumerate(passes):
        new = passed.as_step(kind)
        if index == len(passes) - 1:
            new = NewStep(new.stage, new.outcome, new.actor_role, new.comment, new.items, deadline)
        await filings.append_step(step, application, new)
