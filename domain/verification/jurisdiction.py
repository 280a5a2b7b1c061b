"""Which provincial authority may verify a person on site: the one rule, used by every on-site step.

A person belongs, for on-site verification, to the province of their resident ID number's area code (GB/T 2260:
its first two digits), which every applicant has, registered or not. When registration filings exist, the province
of the person's employer joins here, in `onsite_provinces`, and nowhere else.
"""

from __future__ import annotations

from db.models import Person
from domain.accounts import ResidentId
from domain.kernel.actors import Actor
from domain.kernel.errors import DomainError, ErrorCode


async def onsite_provinces(resident: ResidentId, person: Person | None) -> frozenset[str]:
    """The provinces (two-digit GB/T 2260 codes) whose officers may open this person's on-site case. `person` is
    None for an ID number nobody registered: the answer must not depend on it for such a number."""
    del person  # the employer's province (from the filings) joins here once filings exist
    return frozenset({resident.number[:2]})


async def require_jurisdiction(staff: Actor, resident: ResidentId, person: Person | None) -> None:
    """Refuse an officer of another province, with one answer whether the ID number is registered or not."""
    if staff.province_code is None or staff.province_code not in await onsite_provinces(resident, person):
        raise DomainError(ErrorCode.OUTSIDE_JURISDICTION, "id_number")
