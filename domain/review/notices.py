"""What a decision tells the applicant: the trail entry and the SMS notice (text without the signature, which
`accounts.notify_by_sms` prepends)."""

from __future__ import annotations

from typing import Any

from db.models import Application, ApplicationStatus
from domain import filings
from domain.review.transitions import Action, Transition
from domain.trail import TrailAction

S = ApplicationStatus
WAITING = {
    S.ENTERPRISE_CONFIRMATION: "待聘用企业确认",
    S.SPECIALTY_REVIEW: "待专业部门审查",
    S.MINISTRY_REVIEW: "待住房和城乡建设部审查",
}
TRAIL_TEXT_MAX = 500


def _stage_label(row: Transition) -> str:
    return filings.STAGE_LABELS.get(row.source, "") if row.source is not None else ""


def _what(application: Application) -> str:
    return f"{filings.handler_for(application.kind).label}申报（编号{application.id}）"


def _passed(application: Application, row: Transition) -> str:
    """At specialty review: the specialty that passed (the first pending one before the move)."""
    if row.source is S.SPECIALTY_REVIEW:
        code = filings.pending_specialty_reviews(application)[0]
        known = filings.specialty(code)
        return f"{_stage_label(row)}（{known.name if known else code}）"
    return _stage_label(row)


def trail_entry(
    application: Application, row: Transition, comment: str, items: list[dict[str, Any]]
) -> tuple[TrailAction, str]:
    """The applicant's trail entry for this decision (`application` as read before the move)."""
    what, stage = _what(application), _stage_label(row)
    if row.action is Action.RETURN:
        summary = "；".join(item["message"] for item in items)
        return TrailAction.APPLICATION_RETURNED, f"{what}被退回补正（{stage}）：{summary}"[:TRAIL_TEXT_MAX]
    if row.target is S.REFUSED:
        return TrailAction.APPLICATION_REFUSED, f"{what}经{stage}，不予批准：{comment}"[:TRAIL_TEXT_MAX]
    if row.target is S.APPROVED:
        return TrailAction.APPLICATION_APPROVED, f"{what}经{stage}，准予批准"
    action = TrailAction.APPLICATION_CONFIRMED if row.action is Action.CONFIRM else TrailAction.APPLICATION_REVIEWED
    return action, f"{what}通过{_passed(application, row)}，{WAITING[row.target]}"


def sms_text(application: Application, row: Transition) -> str:
    """The SMS notice of this decision (`application` as read before the move)."""
    what, stage = _what(application), _stage_label(row)
    if row.action is Action.RETURN:
        return f"您的{what}需要补正（{stage}），请登录系统查看补正事项并重新提交。"
    if row.target is S.REFUSED:
        return f"您的{what}经{stage}，未予批准，请登录系统查看理由。"
    if row.target is S.APPROVED:
        return f"您的{what}已获批准，请登录系统查看。"
    return f"您的{what}已通过{_passed(application, row)}，现{WAITING[row.target]}。"
