"""初始注册 and 重新注册 rules, each with its refusal code; every error at once."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, timedelta
from typing import Any

from db.models import Application, ApplicationKind, ApplicationStatus, Person
from domain import filings
from domain.filings import RegistrationStatus
from domain.kernel import clock
from tests.domain.filings.helpers import errors_of, make_person
from tests.filing_helpers import make_enterprise, qualification


def today() -> date:
    return clock.business_date()


async def qualify(person: Person, specialty: str = "01", **facts: Any) -> None:
    await qualification(person.id_number_digest, person.id_number_masked, specialty, **facts)


async def ready(born: date = date(1985, 6, 15), **facts: Any) -> tuple[Person, filings.InitialDraft]:
    """A verified person qualified in 01, and an initial registration draft that passes."""
    person = await make_person(born)
    await qualify(person, "01", **facts)
    enterprise = await make_enterprise()
    draft = filings.InitialDraft(
        enterprise_id=enterprise.id,
        contract_start=today() - timedelta(days=30),
        contract_end=today() + timedelta(days=700),
        specialty_codes=["01"],
    )
    return person, draft


async def test_a_good_draft_passes(app: Any) -> None:
    person, draft = await ready()
    assert await errors_of(person, draft) == []


async def test_already_registered(app: Any) -> None:
    person, draft = await ready()
    await filings.record_registration(filings.RegistrationFacts(person.id, draft.enterprise_id or 0, ["01"]))
    assert await errors_of(person, draft) == ["ALREADY_REGISTERED"]


async def test_an_ended_registration_files_a_reregistration_instead(app: Any) -> None:
    person, draft = await ready()
    facts = filings.RegistrationFacts(person.id, draft.enterprise_id or 0, ["01"], status=RegistrationStatus.CANCELLED)
    await filings.record_registration(facts)
    assert await errors_of(person, draft) == ["REGISTRATION_STATE_INVALID"]
    rereg = filings.ReregistrationDraft(**asdict(draft))
    assert await errors_of(person, rereg) == []


async def test_age_65_is_refused_and_64_passes(app: Any) -> None:
    turned_65 = today().replace(year=today().year - 65)
    person, draft = await ready(born=turned_65)
    assert await errors_of(person, draft) == ["AGE_LIMIT"]
    younger, draft = await ready(born=turned_65 + timedelta(days=1))
    assert await errors_of(younger, draft) == []


async def test_qualification_over_three_years_needs_continuing_education(app: Any) -> None:
    person, draft = await ready(issued_on=today().replace(year=today().year - 3) - timedelta(days=1))
    assert await errors_of(person, draft) == ["CONTINUING_EDUCATION_REQUIRED"]
    assert await errors_of(person, replace(draft, continuing_education=True)) == []
    fresh, draft = await ready(issued_on=today().replace(year=today().year - 3))
    assert await errors_of(fresh, draft) == []  # exactly three years: still within


async def test_enterprise_must_exist_and_be_qualified(app: Any) -> None:
    person, draft = await ready()
    suspended = await make_enterprise(status="SUSPENDED")
    assert await errors_of(person, replace(draft, enterprise_id=suspended.id)) == ["ENTERPRISE_NOT_QUALIFIED"]
    assert await errors_of(person, replace(draft, enterprise_id=0)) == ["ENTERPRISE_NOT_FOUND"]
    assert await errors_of(person, replace(draft, enterprise_id=2**31 - 1)) == ["ENTERPRISE_NOT_FOUND"]
    assert await errors_of(person, replace(draft, enterprise_id=None)) == ["REQUIRED"]


async def test_specialties_must_be_known_and_qualified(app: Any) -> None:
    person, draft = await ready()
    assert await errors_of(person, replace(draft, specialty_codes=["02"])) == ["NOT_QUALIFIED_IN_SPECIALTY"]
    assert await errors_of(person, replace(draft, specialty_codes=["99"])) == ["INVALID_INPUT"]
    assert await errors_of(person, replace(draft, specialty_codes=["01"] * 21)) == ["INVALID_INPUT"]
    assert await errors_of(person, replace(draft, specialty_codes=[])) == ["REQUIRED"]
    assert await errors_of(person, replace(draft, specialty_codes=["01", "01"])) == []  # the same one once


async def test_contract_dates(app: Any) -> None:
    person, draft = await ready()
    day = today()
    cases = {
        (day - timedelta(days=10), day - timedelta(days=20)): ["CONTRACT_DATES_INVALID"],  # end before start
        (day - timedelta(days=10), day - timedelta(days=10)): ["CONTRACT_DATES_INVALID"],  # end = start
        (day - timedelta(days=400), day - timedelta(days=1)): ["CONTRACT_DATES_INVALID"],  # ended
        (day - timedelta(days=400), day): ["CONTRACT_DATES_INVALID"],  # ends today: not running on
        (day + timedelta(days=1), day + timedelta(days=400)): ["CONTRACT_DATES_INVALID"],  # not started
        (date(1900, 1, 1), day + timedelta(days=400)): ["CONTRACT_DATES_INVALID"],  # absurd start
        (day, date(9999, 12, 31)): ["CONTRACT_DATES_INVALID"],  # absurd end
        (None, day + timedelta(days=400)): ["REQUIRED"],
        (None, None): ["REQUIRED", "REQUIRED"],
        (day, day + timedelta(days=1)): [],
    }
    for (start, end), expected in cases.items():
        assert await errors_of(person, replace(draft, contract_start=start, contract_end=end)) == expected, (start, end)


async def test_temporary_and_permanent_specialties_are_filed_apart(app: Any) -> None:
    person, draft = await ready()
    await qualify(person, "07", temporary=True)
    assert await errors_of(person, replace(draft, specialty_codes=["01", "07"])) == ["TEMPORARY_MIXED"]
    assert await errors_of(person, replace(draft, specialty_codes=["07"])) == []


async def test_every_error_at_once(app: Any) -> None:
    person, draft = await ready(born=today().replace(year=today().year - 70))
    wrong = replace(draft, enterprise_id=0, contract_end=draft.contract_start, specialty_codes=["02"])
    assert await errors_of(person, wrong) == [
        "AGE_LIMIT",
        "CONTRACT_DATES_INVALID",
        "ENTERPRISE_NOT_FOUND",
        "NOT_QUALIFIED_IN_SPECIALTY",
    ]


async def rereg(person: Person, draft: filings.InitialDraft) -> list[str]:
    return await errors_of(person, filings.ReregistrationDraft(**asdict(draft)))


async def test_reregistration_needs_an_ended_registration_or_a_refusal(app: Any) -> None:
    person, draft = await ready()
    assert await rereg(person, draft) == ["REGISTRATION_STATE_INVALID"]  # never registered nor refused
    now = clock.now()
    await Application.create(
        person_id=person.id,
        kind=ApplicationKind.INITIAL,
        status=ApplicationStatus.REFUSED,
        terms_version="t",
        terms_accepted_at=now,
        submitted_at=now,
        updated_at=now,
        decided_at=now,
    )
    assert await rereg(person, draft) == []


async def test_reregistration_after_lapse_revocation_or_while_active(app: Any) -> None:
    for status, expected in (
        (RegistrationStatus.LAPSED, []),
        (RegistrationStatus.ACTIVE, ["ALREADY_REGISTERED"]),
        (RegistrationStatus.REVOKED, ["REGISTRATION_STATE_INVALID"]),  # within 2 years of the revocation
    ):
        person, draft = await ready()
        facts = filings.RegistrationFacts(person.id, draft.enterprise_id or 0, ["01"], status=status)
        await filings.record_registration(facts)
        assert await rereg(person, draft) == expected, status
