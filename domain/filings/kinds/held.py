"""What a person holds, as the rules of cancellation and certificate replacement read it (plain values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from db.models import RegistrationStatus
from domain.filings.drafts import ApplicationFields
from domain.filings.eligibility import Applicant
from domain.kernel.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class HeldRegistration:
    """A person's registration: its status and the expiry of each active specialty."""

    status: RegistrationStatus
    expiries: tuple[date, ...] = ()
    temporary: bool = False

    def all_expired(self, today: date) -> bool:
        """Every active specialty is past its expiry (a registration with none counts as expired)."""
        return all(expires_on < today for expires_on in self.expiries)


def held_by(applicant: Applicant) -> HeldRegistration | None:
    """The applicant's registration as plain values (None without one)."""
    reg = applicant.registration
    if reg is None:
        return None
    expiries = tuple(row.expires_on for row in applicant.registered.values())
    return HeldRegistration(RegistrationStatus(reg.status), expiries, reg.temporary)


def active_errors(held: HeldRegistration | None) -> list[DomainError]:
    """`NOT_REGISTERED` unless the person holds an ACTIVE registration."""
    if held is None or held.status is not RegistrationStatus.ACTIVE:
        return [DomainError(ErrorCode.NOT_REGISTERED)]
    return []


def registration_fields(applicant: Applicant, details: dict[str, Any]) -> ApplicationFields:
    """The row of a filing about the registration held (cancellation, replacement): its employer and specialties."""
    reg = applicant.active_registration
    return ApplicationFields(
        temporary=bool(reg and reg.temporary),
        enterprise_id=reg.enterprise_id if reg else None,  # type: ignore[attr-defined]
        specialty_codes=sorted(applicant.registered),
        details=details,
    )
