"""Who acts, and from where: the actor behind a session and the request's meta."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class RequestMeta:
    """Where a request came from, for the trail, the logs and per-IP limits."""

    ip: str
    user_agent: str

    @classmethod
    def internal(cls, source: str) -> RequestMeta:
        """Meta for work started by the system itself (jobs, commands)."""
        return cls(ip="0.0.0.0", user_agent=source)  # noqa: S104 - a label, not a bind address


class ActorKind(str, Enum):
    """Who is acting."""

    PERSON = "PERSON"
    STAFF = "STAFF"


@dataclass(frozen=True)
class Actor:
    """An authenticated caller, resolved from a session."""

    kind: ActorKind
    id: int
    session_id: int
    role: str | None = None  # StaffRole value for staff
    enterprise_id: int | None = None
    province_code: str | None = None
    label: str = ""
    specialty_codes: tuple[str, ...] = ()  # SPECIALTY_MINISTRY: the specialties it reviews

    @property
    def is_person(self) -> bool:
        """An applicant."""
        return self.kind is ActorKind.PERSON

    def has_role(self, *roles: Any) -> bool:
        """Staff with one of the roles (given as StaffRole or its value)."""
        wanted = {getattr(r, "value", r) for r in roles}
        return self.kind is ActorKind.STAFF and self.role in wanted
