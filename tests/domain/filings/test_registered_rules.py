"""变更注册, 增项注册 and 延续注册: rules for a registered person, each with its refusal code."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from db.models import Enterprise, Person
from domain import filings
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.domain.filings.helpers import errors_of, make_person
from tests.filing_helpers import make_enterprise, qualification


def today() -> date:
    return clock.business_date()


def contract() -> dict[str, date]:
    return {"contract_start": today() - timedelta(days=30), "contract_end": today() + timedelta(days=700)}


async def registered(
    temporary: bool = True, codes: tuple[str, ...] = ("01",), expires_in_days: int = 600
) -> tuple[Person, Enterprise]:
    person = await make_person()
    for code in codes:
        await qualification(person.id_number_digest, person.id_number_masked, code, temporary=temporary)
    enterprise = await make_enterprise()
    facts = filings.RegistrationFacts(
        person.id, enterprise.id, list(codes), temporary=temporary, expires_on=today() + timedelta(days=expires_in_days)
    )
    await filings.record_registration(facts)
    return person, enterprise


async def test_change_of_employer(app: Any) -> None:
    person, current = await registered()
    other = await make_enterprise()
    draft = filings.ChangeDraft(enterprise_id=other.id, **contract())
    assert await errors_of(person, draft) == []
    assert await errors_of(person, replace(draft, enterprise_id=current.id)) == ["SAME_ENTERPRISE"]
    revoked = await make_enterprise(status="REVOKED")
    assert await errors_of(person, replace(draft, enterprise_id=revoked.id)) == ["ENTERPRISE_NOT_QUALIFIED"]
    assert await errors_of(person, replace(draft, contract_start=None)) == ["REQUIRED"]


async def test_change_needs_a_registration(app: Any) -> None:
    person = await make_person()
    other = await make_enterprise()
    assert await errors_of(person, filings.ChangeDraft(enterprise_id=other.id, **contract())) == ["NOT_REGISTERED"]


async def test_change_is_for_temporary_holders_by_policy(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    person, _ = await registered(temporary=False)
    draft = filings.ChangeDraft(enterprise_id=(await make_enterprise()).id, **contract())
    assert await errors_of(person, draft) == ["KIND_NOT_OPEN"]
    monkeypatch.setattr(get_settings(), "filing_change_temporary_only", False)
    assert await errors_of(person, draft) == []


async def test_additional_specialty(app: Any) -> None:
    person, _ = await registered(codes=("01",))
    await qualification(person.id_number_digest, person.id_number_masked, "07", temporary=True)
    draft = filings.AddSpecialtyDraft(specialty_code="07", **contract())
    assert await errors_of(person, draft) == []
    assert await errors_of(person, replace(draft, specialty_code="01")) == ["SPECIALTY_ALREADY_REGISTERED"]
    assert await errors_of(person, replace(draft, specialty_code="02")) == ["NOT_QUALIFIED_IN_SPECIALTY"]
    assert await errors_of(person, replace(draft, specialty_code="xx")) == ["INVALID_INPUT"]
    assert await errors_of(person, replace(draft, specialty_code=None)) == ["REQUIRED"]
    assert await errors_of(await make_person(), draft) == ["NOT_QUALIFIED_IN_SPECIALTY", "NOT_REGISTERED"]


async def test_additional_specialty_needs_a_qualified_employer(app: Any) -> None:
    person, employer = await registered(codes=("01",))
    await qualification(person.id_number_digest, person.id_number_masked, "07", temporary=True)
    await Enterprise.filter(id=employer.id).update(qualification_status="SUSPENDED")
    draft = filings.AddSpecialtyDraft(specialty_code="07", **contract())
    assert await errors_of(person, draft) == ["ENTERPRISE_NOT_QUALIFIED"]


@pytest.mark.parametrize(
    ("expires_in_days", "expected"),
    [(91, ["OUTSIDE_RENEWAL_WINDOW"]), (90, []), (30, []), (29, ["OUTSIDE_RENEWAL_WINDOW"])],
)
async def test_renewal_window(app: Any, expires_in_days: int, expected: list[str]) -> None:
    person, _ = await registered(expires_in_days=expires_in_days)
    draft = filings.RenewalDraft(specialty_codes=["01"], **contract())
    assert await errors_of(person, draft) == expected


async def test_renewal_of_a_specialty_not_held(app: Any) -> None:
    person, _ = await registered(expires_in_days=60)
    draft = filings.RenewalDraft(specialty_codes=["01", "07"], **contract())
    assert await errors_of(person, draft) == ["SPECIALTY_NOT_REGISTERED"]
    assert await errors_of(person, replace(draft, specialty_codes=[])) == ["REQUIRED"]


async def test_renewal_is_for_temporary_holders_by_policy(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    person, _ = await registered(temporary=False, expires_in_days=60)
    draft = filings.RenewalDraft(specialty_codes=["01"], **contract())
    assert await errors_of(person, draft) == ["KIND_NOT_OPEN"]
    monkeypatch.setattr(get_settings(), "filing_renewal_temporary_only", False)
    assert await errors_of(person, draft) == []
    monkeypatch.setattr(get_settings(), "filing_renewal_opens_days", 30)
    monkeypatch.setattr(get_settings(), "filing_renewal_closes_days", 10)
    assert await errors_of(person, draft) == ["OUTSIDE_RENEWAL_WINDOW"]  # the window is a setting
