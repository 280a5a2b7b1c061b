"""The pre-check's findings for the reviewer, one rule at a time: age, qualification age and continuing education,
one employer, duplicate ID numbers, attachment completeness, contract dates, bans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from db.models import Application, ApplicationKind, ApplicationStatus, AttachmentKind, Person
from domain import review
from domain.kernel import clock
from tests.domain.filings.helpers import make_person
from tests.domain.review.helpers import attach
from tests.filing_helpers import ban, make_enterprise, qualification, register


def today() -> date:
    return clock.business_date()


def years_ago(years: int, days: int = 0) -> date:
    return today().replace(year=today().year - years) - timedelta(days=days)


async def filing(person: Person, kind: ApplicationKind = ApplicationKind.INITIAL, **columns: Any) -> Application:
    now = clock.now()
    values: dict[str, Any] = {
        "specialty_codes": ["01"],
        "contract_start": today() - timedelta(days=30),
        "contract_end": today() + timedelta(days=365 * 5),
        **columns,
    }
    return await Application.create(
        person_id=person.id,
        kind=kind,
        status=ApplicationStatus.SUBMITTED,
        terms_version="2024.1",
        terms_accepted_at=now,
        submitted_at=now,
        updated_at=now,
        **values,
    )


async def ready(born: date = date(1985, 6, 15), issued: date | None = None) -> Person:
    person = await make_person(born)
    await qualification(person.id_number_digest, person.id_number_masked, "01", issued_on=issued)
    await attach(person)
    return person


async def found(application: Application) -> dict[str, review.Finding]:
    return {f.code: f for f in await review.review_findings(application)}


async def test_a_clean_filing_has_only_information(app: Any) -> None:
    person = await ready()
    enterprise = await make_enterprise()
    result = await found(await filing(person, enterprise_id=enterprise.id))
    assert set(result) == {"AGE", "QUALIFICATION_AGE", "ATTACHMENTS_COMPLETE"}
    assert all(f.severity is review.FindingSeverity.INFO for f in result.values())
    assert review.is_clean(list(result.values()))
    assert result["AGE"].rule == "age" and "周岁" in result["AGE"].message
    item = result["AGE"].as_item()
    assert set(item) == {"code", "message", "severity", "rule"} and item["severity"] == "INFO"


async def test_age_and_the_years_left_to_65(app: Any) -> None:
    young = await found(await filing(await ready(born=years_ago(40))))
    assert young["AGE"].severity.value == "INFO" and "距65周岁还有25年" in young["AGE"].message
    old = await found(await filing(await ready(born=years_ago(63, days=10))))
    assert old["AGE"].severity.value == "WARNING" and "距65周岁还有2年" in old["AGE"].message
    assert not review.is_clean(list(old.values()))


async def test_qualification_age_and_continuing_education(app: Any) -> None:
    person = await ready(issued=years_ago(5))
    undeclared = await found(await filing(person))
    missing = undeclared["CONTINUING_EDUCATION_MISSING"]
    assert missing.severity.value == "WARNING" and missing.rule == "continuing_education" and "5年" in missing.message
    declared = await found(await filing(person, details={"continuing_education": True}))
    assert (
        declared["QUALIFICATION_AGE"].severity.value == "INFO"
        and "已申报继续教育" in declared["QUALIFICATION_AGE"].message
    )
    renewal = await found(await filing(person, ApplicationKind.CERTIFICATE_REPLACEMENT))  # no qualification rule
    assert "QUALIFICATION_AGE" not in renewal and "CONTINUING_EDUCATION_MISSING" not in renewal


async def test_one_employer(app: Any) -> None:
    person = await ready()
    registered_with, other, third = await make_enterprise(), await make_enterprise(), await make_enterprise()
    await register(person, registered_with, ["01"])
    elsewhere = await found(await filing(person, enterprise_id=other.id))
    assert elsewhere["REGISTERED_WITH_ANOTHER_ENTERPRISE"].rule == "one_employer"
    change = await filing(person, ApplicationKind.CHANGE, enterprise_id=other.id)
    assert "REGISTERED_WITH_ANOTHER_ENTERPRISE" not in await found(change)  # a change names the new employer
    await filing(person, ApplicationKind.RENEWAL, enterprise_id=third.id, open_key=f"{person.id}:RENEWAL")
    both = await found(change)
    assert both["OTHER_FILING_ANOTHER_ENTERPRISE"].severity.value == "WARNING"


async def test_duplicate_id_numbers(app: Any) -> None:
    person, other = await ready(), await ready()
    taken = await filing(
        person, ApplicationKind.PERSONAL_INFO_CHANGE, details={"new_id_number_digest": other.id_number_digest}
    )
    assert (await found(taken))["DUPLICATE_ID_NUMBER"].rule == "duplicate_id"
    await filing(
        other,
        ApplicationKind.PERSONAL_INFO_CHANGE,
        details={"new_id_number_digest": person.id_number_digest},
        open_key=f"{other.id}:PERSONAL_INFO_CHANGE",
    )
    plain = await found(await filing(person, ApplicationKind.CERTIFICATE_REPLACEMENT))
    assert plain["DUPLICATE_ID_NUMBER_IN_FILING"].severity.value == "WARNING"
    assert "DUPLICATE_ID_NUMBER" not in plain


async def test_attachment_completeness(app: Any) -> None:
    person = await make_person()
    await attach(person, (AttachmentKind.PHOTO, AttachmentKind.SIGNATURE))
    await attach(person, (AttachmentKind.ID_CARD_FRONT,), current=False)  # replaced: does not count
    result = await found(await filing(person, ApplicationKind.CERTIFICATE_REPLACEMENT))
    missing = result["ATTACHMENTS_MISSING"]
    assert missing.severity.value == "WARNING" and missing.rule == "attachments"
    assert "身份证正面、身份证反面、手持身份证半身照" in missing.message and "证件照" not in missing.message
    assert "ATTACHMENTS_COMPLETE" not in result


async def test_contract_dates(app: Any) -> None:
    person = await ready()
    short = await found(await filing(person, contract_end=today() + timedelta(days=400)))
    assert short["CONTRACT_ENDS_BEFORE_EXPIRY"].rule == "contract_dates"
    future = await found(await filing(person, contract_start=today() + timedelta(days=10)))
    assert future["CONTRACT_NOT_STARTED"].severity.value == "WARNING" and "CONTRACT_ENDS_BEFORE_EXPIRY" not in future
    registered = await make_enterprise()
    await register(person, registered, ["01"], expires_on=today() + timedelta(days=200))
    change = await filing(
        person, ApplicationKind.CHANGE, enterprise_id=registered.id, contract_end=today() + timedelta(days=300)
    )
    assert "CONTRACT_ENDS_BEFORE_EXPIRY" not in await found(change)  # a change keeps the expiry (200 days away)


async def test_bans(app: Any) -> None:
    person = await ready()
    assert "FILING_BAN" not in await found(await filing(person))
    await ban(person, years_ago(5))  # long over: not a finding
    assert "FILING_BAN" not in await found(await filing(person))
    await ban(person, years_ago(1))
    ended = await found(await filing(person))
    assert ended["FILING_BAN"].rule == "bans" and "已届满" in ended["FILING_BAN"].message
    await ban(person, today() + timedelta(days=30))
    current = [f for f in await review.review_findings(await filing(person)) if f.code == "FILING_BAN"]
    assert len(current) == 2 and "尚在限制期内" in current[0].message
