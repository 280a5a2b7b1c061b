"""The operation trail (操作轨迹): every business step of a person appends one entry to that person's hash chain.

Public API: `business_step` (the unit of work of a step that writes trail entries: `step.trail`, `step.enqueue`,
`step.publish`), `TrailAction`; `page`, `count`, `may_view` and `entries_visible_to` for reading; `verify_person_chain`,
`verify_all` and `ChainBreak` for the verifier.
"""

from domain.trail.actions import TrailAction
from domain.trail.chain import ChainBreak, compute_hash, verify_all, verify_person_chain
from domain.trail.reading import count, entries_visible_to, may_view, page
from domain.trail.step import BusinessStep, business_step

__all__ = [
    "BusinessStep",
    "ChainBreak",
    "TrailAction",
    "business_step",
    "compute_hash",
    "count",
    "entries_visible_to",
    "may_view",
    "page",
    "verify_all",
    "verify_person_chain",
]
