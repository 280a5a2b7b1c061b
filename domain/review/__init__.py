"""Review (审查): the one table of allowed transitions, staff decisions in their scopes, staff accounts, the state
diagram generated from the table."""

from domain.review.decisions import Decision, decide
from domain.review.diagram import markdown as diagram_markdown
from domain.review.diagram import mermaid as diagram_mermaid
from domain.review.scopes import find_in_scope
from domain.review.staff import check_specialty_codes, create_staff_account, create_staff_user
from domain.review.transitions import DECIDED, STAFF_ACTIONS, TRANSITIONS, Action, Transition, rows_from

__all__ = [
    "DECIDED",
    "STAFF_ACTIONS",
    "TRANSITIONS",
    "Action",
    "Decision",
    "Transition",
    "check_specialty_codes",
    "create_staff_account",
    "create_staff_user",
    "decide",
    "diagram_markdown",
    "diagram_mermaid",
    "find_in_scope",
    "rows_from",
]
