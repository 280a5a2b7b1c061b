"""Who may see what (IDOR rules), used by every loader and by node(id:)."""

from __future__ import annotations

from db.models import StaffRole
from domain.context import Actor

# Staff who review identity or filings; enterprises see only their employees' filings (later issues).
REVIEWING_ROLES = (StaffRole.ADMIN, StaffRole.PROVINCE, StaffRole.MINISTRY, StaffRole.SPECIALTY_MINISTRY)


def can_view_person(actor: Actor | None, person_id: int) -> bool:
    """The person themselves, or reviewing staff."""
    if actor is None:
        return False
    if actor.is_person:
        return actor.id == person_id
    return actor.has_role(*REVIEWING_ROLES)


def can_view_trail(actor: Actor | None, person_id: int) -> bool:
    """The trail is the person's own record; administrators may audit it."""
    if actor is None:
        return False
    return actor.id == person_id if actor.is_person else actor.has_role(StaffRole.ADMIN)
