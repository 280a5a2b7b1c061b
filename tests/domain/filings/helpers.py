"""Domain-level set-up for the filing rules: people of any age, verified, with a complete profile."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from stdnum.cn import ric

from db.models import Person
from domain import accounts, filings
from domain.kernel.errors import DomainError, DomainErrors
from tests.filing_helpers import verify

_sequence = count(11)


def id_number_born(born: date) -> str:
    """A valid resident ID number (GB 11643 check character) of someone born on that day."""
    first17 = f"110101{born:%Y%m%d}{next(_sequence) % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


async def make_person(born: date = date(1985, 6, 15), complete: bool = True, verified: bool = True) -> Person:
    number = id_number_born(born)
    resident = accounts.parse_id_number(number)
    profile: dict[str, Any] = (
        {"ethnicity": "汉族", "email": "a@example.com", "education": "大学本科", "degree": "学士", "school": "同济大学"}
        if complete
        else {"email": "a@example.com"}
    )
    person = await Person.create(
        real_name="李四",
        mobile=f"139{next(_sequence):08d}",
        password_hash="not-a-login",
        **accounts.id_number_columns(resident),
        **profile,
    )
    if verified:
        await verify(person.id)
    return person


async def errors_of(person: Person, draft: Any) -> list[str]:
    """The kind's refusal codes for this draft, as the rules see the person now (sorted)."""
    handler = filings.handler_for(draft.kind)
    found: list[DomainError] = await handler.check(await filings.load_applicant(person), draft)
    return sorted(e.code.value for e in found)


def codes_raised(exc: DomainError | DomainErrors) -> list[str]:
    items = exc.errors if isinstance(exc, DomainErrors) else [exc]
    return sorted(e.code.value for e in items)
