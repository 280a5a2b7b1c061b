"""The kinds of filing, each plugged into `domain.filings.drafts` when its module is imported (add a kind: write
its module with a draft, rules, row fields and `register(...)`, and import it here)."""

from domain.filings.kinds import (
    add_specialty,
    cancellation,
    change,
    initial,
    personal_info,
    renewal,
    replacement,
    reregistration,
)

__all__ = [
    "add_specialty",
    "cancellation",
    "change",
    "initial",
    "personal_info",
    "renewal",
    "replacement",
    "reregistration",
]
