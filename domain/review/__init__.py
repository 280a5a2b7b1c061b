"""Review (审查): the one table of allowed transitions, staff decisions in their scopes, staff accounts, the state
diagram generated from the table; the pre-check with the reviewer's findings, the automatic confirmation policy,
the review queue, working-day deadlines and the overdue cron."""

from domain.review.automation import AutoPass, auto_confirm_rule, auto_passes
from domain.review.decisions import Decision, decide
from domain.review.diagram import markdown as diagram_markdown
from domain.review.diagram import mermaid as diagram_mermaid
from domain.review.findings import Finding, FindingSeverity, is_clean, review_findings
from domain.review.overdue import flag_overdue, overdue_text
from domain.review.precheck import precheck
from domain.review.queue import (
    QueueCursor,
    QueueItem,
    QueueRequest,
    precheck_findings,
    queue_keys,
    review_queue,
    review_queue_count,
)
from domain.review.scopes import find_in_scope
from domain.review.staff import check_specialty_codes, create_staff_account, create_staff_user
from domain.review.transitions import DECIDED, STAFF_ACTIONS, TRANSITIONS, Action, Transition, rows_from

__all__ = [
    "DECIDED",
    "STAFF_ACTIONS",
    "TRANSITIONS",
    "Action",
    "AutoPass",
    "Decision",
    "Finding",
    "FindingSeverity",
    "QueueCursor",
    "QueueItem",
    "QueueRequest",
    "Transition",
    "auto_confirm_rule",
    "auto_passes",
    "check_specialty_codes",
    "create_staff_account",
    "create_staff_user",
    "decide",
    "diagram_markdown",
    "diagram_mermaid",
    "find_in_scope",
    "flag_overdue",
    "is_clean",
    "overdue_text",
    "precheck",
    "precheck_findings",
    "queue_keys",
    "review_findings",
    "review_queue",
    "review_queue_count",
    "rows_from",
]
