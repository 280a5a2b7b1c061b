"""The kinds that change a registration and reissue its certificate (seal check + 1, the previous version no
longer current), cancellation (no new version) and the personal-info change."""

from __future__ import annotations

from typing import Any

from db.models import (
    Application,
    ApplicationKind,
    Certificate,
    OutboxMessage,
    Person,
    RegisteredSpecialty,
    Registration,
    RegistrationStatus,
    TrailEntry,
)
from domain import accounts, certificates
from domain.kernel import clock, keys
from tests.domain.certificates.helpers import (
    apply,
    approved,
    current,
    make_enterprise,
    qualified_person,
    queued,
    recorded,
    registered,
    sms_texts,
)
from tests.domain.filings.helpers import id_number_born

DAY_S = 86_400


def deps(app: Any) -> Any:
    return app.state.deps


async def expiries(person: Person) -> dict[str, Any]:
    registration = await Registration.get(person_id=person.id)
    rows = await RegisteredSpecialty.filter(registration_id=registration.id, active=True)
    return {row.specialty_code: row.expires_on for row in rows}


async def test_change_moves_the_registration_to_the_new_employer_keeping_number_and_expiry(app: Any) -> None:
    person = await qualified_person(("01",))
    first = await registered(deps(app), person, await make_enterprise(province="11"), ["01"])
    before = await expiries(person)
    clock.advance(200 * DAY_S)
    new_employer = await make_enterprise(province="31")
    assert await apply(deps(app), await approved(person, ApplicationKind.CHANGE, new_employer)) == "issued"

    registration = await Registration.get(person_id=person.id)
    assert registration.enterprise_id == new_employer.id  # type: ignore[attr-defined]
    assert registration.number == first.number  # the first employer's province stays in the number
    assert await expiries(person) == before
    second = await current(person)
    assert (second.number, second.seal_check, second.reason) == (first.number, 1, "CHANGE")
    assert second.snapshot["enterprise_name"] == new_employer.name
    assert second.snapshot["number_with_check"] == f"{first.number}(01)"
    old = await Certificate.get(id=first.id)
    assert (old.current_key, old.superseded_reason) == (None, "CHANGED") and old.superseded_at is not None


async def test_add_specialty_gets_its_own_three_years(app: Any) -> None:
    person = await qualified_person(("01", "07"))
    await registered(deps(app), person, await make_enterprise(), ["01"])
    before = await expiries(person)
    clock.advance(400 * DAY_S)
    today = clock.business_date()
    assert await apply(deps(app), await approved(person, ApplicationKind.ADD_SPECIALTY, codes=["07"])) == "issued"
    assert await expiries(person) == {"01": before["01"], "07": today.replace(year=today.year + 3)}
    snapshot = (await current(person)).snapshot
    assert [s["code"] for s in snapshot["specialties"]] == ["01", "07"]
    assert (await current(person)).seal_check == 1


async def test_renewal_extends_the_chosen_specialties_three_years_from_their_expiry(app: Any) -> None:
    person = await qualified_person(("01", "07"))
    await registered(deps(app), person, await make_enterprise(), ["01", "07"])
    before = await expiries(person)
    clock.advance(1000 * DAY_S)
    assert await apply(deps(app), await approved(person, ApplicationKind.RENEWAL, codes=["07"])) == "issued"
    after = await expiries(person)
    assert after == {"01": before["01"], "07": before["07"].replace(year=before["07"].year + 3)}
    snapshot = (await current(person)).snapshot
    assert {s["code"]: s["expires_on"] for s in snapshot["specialties"]} == {
        code: day.isoformat() for code, day in after.items()
    }


async def test_cancellation_ends_the_registration_and_its_certificate_without_a_new_one(app: Any) -> None:
    person = await qualified_person()
    first = await registered(deps(app), person, await make_enterprise(), ["01"])
    clock.advance(30 * DAY_S)
    application = await approved(person, ApplicationKind.CANCELLATION, details={"reason": "OTHER"})
    assert await apply(deps(app), application) == "cancelled"

    registration = await Registration.get(person_id=person.id)
    assert (registration.status, registration.ended_on) == (RegistrationStatus.CANCELLED, clock.business_date())
    assert await Certificate.filter(person_id=person.id).count() == 1
    old = await Certificate.get(id=first.id)
    assert (old.current_key, old.superseded_reason) == (None, "CANCELLED")
    assert await certificates.current_certificate(person.id) is None
    assert await TrailEntry.exists(person_id=person.id, action="REGISTRATION_CANCELLED")
    assert "您的一级建造师注册已注销，原注册证书作废。" in (await sms_texts(person.mobile))[-1]


async def test_replacement_reissues_with_the_next_seal_check_code(app: Any) -> None:
    person = await qualified_person()
    first = await registered(deps(app), person, await make_enterprise(), ["01"])
    for _ in range(2):
        clock.advance(DAY_S)
        replacement = await approved(person, ApplicationKind.CERTIFICATE_REPLACEMENT, details={"reason": "LOST"})
        assert await apply(deps(app), replacement) == "issued"

    versions = await certificates.versions_of(person.id)
    assert [(v.number_with_check, v.current, v.superseded_reason) for v in versions] == [
        (f"{first.number}(02)", True, None),
        (f"{first.number}(01)", False, "REPLACED"),
        (f"{first.number}(00)", False, "REPLACED"),
    ]
    assert (await certificates.current_certificate(person.id)) == versions[0]
    assert (await certificates.certificate_by_id(first.id)) == versions[2]
    assert await certificates.certificate_by_id(first.id + 1000) is None
    assert (await Registration.get(person_id=person.id)).seal_check == 2


async def test_a_recorded_registration_without_a_certificate_is_reissued(app: Any) -> None:
    person = await qualified_person()
    registration = await recorded(person, await make_enterprise(), ["01"])
    replacement = await approved(person, ApplicationKind.CERTIFICATE_REPLACEMENT, details={"reason": "DAMAGED"})
    assert await apply(deps(app), replacement) == "issued"
    certificate = await current(person)
    assert (certificate.number, certificate.seal_check) == (registration.number, 1)


async def test_personal_info_change_updates_the_person_and_reissues(app: Any) -> None:
    person = await qualified_person()
    await registered(deps(app), person, await make_enterprise(), ["01"])
    new_number = id_number_born(person.birth_date)
    details = {
        "changes": ["NAME", "ID_NUMBER"],
        "new_name": "王五",
        "new_id_number_cipher": keys.encrypt(new_number),
        "new_id_number_masked": accounts.mask_id_number(new_number),
    }
    assert await apply(deps(app), await approved(person, ApplicationKind.PERSONAL_INFO_CHANGE, details=details)) == (
        "issued"
    )
    changed = await Person.get(id=person.id)
    assert (changed.real_name, changed.id_number_digest) == ("王五", accounts.id_number_digest(new_number))
    certificate = await current(person)
    assert certificate.seal_check == 1
    assert (certificate.snapshot["name"], certificate.snapshot["id_number_masked"]) == (
        "王五",
        accounts.mask_id_number(new_number),
    )
    assert await TrailEntry.exists(person_id=person.id, action="PERSONAL_INFO_CHANGED")


async def test_personal_info_change_of_an_unregistered_person_issues_nothing(app: Any) -> None:
    person = await qualified_person()
    application = await approved(person, ApplicationKind.PERSONAL_INFO_CHANGE, details={"new_name": "赵六"})
    assert await apply(deps(app), application) == "applied"
    assert (await Person.get(id=person.id)).real_name == "赵六"
    assert not await Certificate.exists(person_id=person.id)
    assert (await Application.get(id=application.id)).effect_applied_at is not None


async def test_an_effect_that_cannot_apply_writes_nothing_and_fails_visibly(app: Any) -> None:
    person = await qualified_person()
    application = await approved(person, ApplicationKind.CHANGE, await make_enterprise())
    message_id = await queued(application)
    assert await certificates.apply_approval(deps(app), message_id) == "failed: NOT_REGISTERED"
    assert (await Application.get(id=application.id)).effect_applied_at is None
    message = await OutboxMessage.get(id=message_id)
    assert message.failed_at is not None and (message.last_error or "").startswith("NOT_REGISTERED")
    assert not await Certificate.exists(person_id=person.id)
    assert await sms_texts(person.mobile) == []
    assert await certificates.apply_approval(deps(app), message_id) == "skipped"  # failed rows are not re-run
