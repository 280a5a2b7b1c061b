"""Review (审查): the state machine of a filing from enterprise confirmation to the ministry's decision, staff
scopes, the review queue, working-day deadlines and review automation."""

from domain.review.automation import AutoPass, auto_confirm_rule, auto_passes
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

__all__ = [
    "AutoPass",
    "Finding",
    "FindingSeverity",
    "QueueCursor",
    "QueueItem",
    "QueueRequest",
    "auto_confirm_rule",
    "auto_passes",
    "flag_overdue",
    "is_clean",
    "overdue_text",
    "precheck",
    "precheck_findings",
    "queue_keys",
    "review_findings",
    "review_queue",
    "review_queue_count",
]
