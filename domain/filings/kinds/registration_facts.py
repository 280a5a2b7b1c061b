"""What a person holds, as the rules of cancellation and certificate replacement read it (plain values, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.models import RegisteredSpecialty, Registration, RegistrationStatus
from domain.kernel.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class SpecialtyHeld:
    """One registered specialty and its own expiry."""

    code: str
    expires_on: date
    active: bool = True


@dataclass(frozen=True)
class RegistrationFacts:
    """A person's registration: its status and its specialties."""

    status: RegistrationStatus
    specialties: tuple[SpecialtyHeld, ...] = ()

    def all_expired(self, today: date) -> bool:
        """Every active specialty is past its expiry (a registration with none counts as expired)."""
        return all(s.expires_on < today for s in self.specialties if s.active)


def require_active(registration: RegistrationFacts | None) -> RegistrationFacts:
    """`NOT_REGISTERED` unless the person holds an ACTIVE registration."""
    if registration is None or registration.status is not RegistrationStatus.ACTIVE:
        raise DomainError(ErrorCode.NOT_REGISTERED)
    return registration


async def registration_facts(person_id: int) -> RegistrationFacts | None:
    """The person's registration read fresh from the database, or None."""
    registration = await Registration.get_or_none(person_id=person_id)
    if registration is None:
        return None
    rows = await RegisteredSpecialty.filter(registration_id=registration.id).order_by("specialty_code")
    held = tuple(SpecialtyHeld(code=s.specialty_code, expires_on=s.expires_on, active=s.active) for s in rows)
    return RegistrationFacts(status=RegistrationStatus(registration.status), specialties=held)
