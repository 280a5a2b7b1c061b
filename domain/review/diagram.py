"""The review state diagram (Mermaid), generated from the transitions table: the README and docs/review-states.md
show this text, and a test keeps the committed file equal to it."""

from __future__ import annotations

from db.models import ApplicationStatus
from domain.review.transitions import TRANSITIONS, Transition

STATE_LABELS = {
    ApplicationStatus.SUBMITTED: "已提交，待系统预审",
    ApplicationStatus.ENTERPRISE_CONFIRMATION: "聘用企业确认（5个工作日）",
    ApplicationStatus.SPECIALTY_REVIEW: "专业部门审查（10个工作日，逐个专业）",
    ApplicationStatus.MINISTRY_REVIEW: "住建部审查（20个工作日）",
    ApplicationStatus.RETURNED: "退回补正",
    ApplicationStatus.APPROVED: "准予注册",
    ApplicationStatus.ANNOUNCED: "已公告",
    ApplicationStatus.REFUSED: "不予注册",
    ApplicationStatus.WITHDRAWN: "已撤回",
}
FINAL = (ApplicationStatus.ANNOUNCED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN)


def _edge(row: Transition) -> str:
    source = row.source.value if row.source is not None else "[*]"
    label = f"{row.action.value} by {row.actor.value}" + (f" (if {row.when})" if row.when else "")
    return f"    {source} --> {row.target.value}: {label}"


def mermaid() -> str:
    """`stateDiagram-v2` text: one state per status with its Chinese label, one edge per table row, in order."""
    lines = ["stateDiagram-v2"]
    lines += [f"    {status.value}: {label}" for status, label in STATE_LABELS.items()]
    lines += [_edge(row) for row in TRANSITIONS]
    lines += [f"    {status.value} --> [*]" for status in FINAL]
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """docs/review-states.md: the diagram in a fenced block, with how it is made."""
    return (
        "# Review states\n\n"
        "Generated from `domain/review/transitions.py` by `python manage.py review-diagram`; a test keeps this file\n"
        "equal to the table. Each edge is one row: action by role (and the condition, when there is one); of the\n"
        "rows with the same source and action, the first whose condition holds applies.\n\n"
        "```mermaid\n" + mermaid() + "```\n"
    )
