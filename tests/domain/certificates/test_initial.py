"""初始注册 / 重新注册 approved: a registration with a new number, its specialties valid 3 years, certificate 00."""

from __future__ import annotations

from datetime import date
from typing import Any

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Attachment,
    Certificate,
    OutboxMessage,
    RegisteredSpecialty,
    Registration,
    RegistrationSerial,
    RegistrationStatus,
    TrailEntry,
)
from domain import certificates
from domain.kernel import clock
from tests.domain.certificates.helpers import (
    apply,
    approved,
    make_enterprise,
    qualified_person,
    queued,
    recorded,
    registered,
    sms_texts,
)

SNAPSHOT_KEYS = {
    "name",
    "gender",
    "birth_date",
    "id_number_masked",
    "number_with_check",
    "enterprise_name",
    "enterprise_id",
    "province_code",
    "specialties",
    "temporary",
    "issuer",
    "issued_on",
    "photo_attachment_id",
    "signature_attachment_id",
}


def deps(app: Any) -> Any:
    return app.state.deps


async def test_initial_registration_issues_number_specialties_and_certificate_00(app: Any) -> None:
    person = await qualified_person(("01", "07"), issued_on=date(2019, 5, 1))
    enterprise = await make_enterprise(province="32")
    application = await approved(person, ApplicationKind.INITIAL, enterprise, ["01", "07"])
    message_id = await queued(application)

    assert await certificates.apply_approval(deps(app), message_id) == "issued"

    year = clock.business_date().year % 100
    registration = await Registration.get(person_id=person.id)
    assert registration.number == f"苏13219{year:02d}00001"
    assert (registration.status, registration.seal_check, registration.enterprise_id) == (  # type: ignore[attr-defined]
        RegistrationStatus.ACTIVE,
        0,
        enterprise.id,
    )
    today = clock.business_date()
    held = await RegisteredSpecialty.filter(registration_id=registration.id).order_by("specialty_code")
    assert [(r.specialty_code, r.registered_on, r.expires_on) for r in held] == [
        ("01", today, today.replace(year=today.year + 3)),
        ("07", today, today.replace(year=today.year + 3)),
    ]
    certificate = await Certificate.get(person_id=person.id)
    assert (certificate.seal_check, certificate.current_key, certificate.application_id) == (  # type: ignore[attr-defined]
        0,
        registration.id,
        application.id,
    )
    assert set(certificate.snapshot) == SNAPSHOT_KEYS
    assert certificate.snapshot["number_with_check"] == f"{registration.number}(00)"
    assert certificate.snapshot["specialties"] == [
        {"code": "01", "name": "建筑工程", "expires_on": held[0].expires_on.isoformat()},
        {"code": "07", "name": "市政公用工程", "expires_on": held[1].expires_on.isoformat()},
    ]
    assert certificate.snapshot["enterprise_name"] == enterprise.name
    assert certificate.snapshot["issuer"] == "中华人民共和国住房和城乡建设部"
    assert certificate.snapshot["name"] == person.real_name
    assert certificate.snapshot["gender"] in ("M", "F")
    assert certificate.snapshot["birth_date"] == person.birth_date.isoformat()
    assert (await Application.get(id=application.id)).effect_applied_at is not None
    assert (await OutboxMessage.get(id=message_id)).done_at is not None
    trail = await TrailEntry.filter(person_id=person.id, action="CERTIFICATE_ISSUED")
    assert [t.description for t in trail] == [
        f"证书已签发：注册编号{registration.number}(00)（初始注册，申报编号{application.id}）"
    ]
    assert any(f"注册编号{registration.number}(00)" in text for text in await sms_texts(person.mobile))
    assert (await RegistrationSerial.get(province_code="32")).last_serial == 1


async def test_the_job_run_twice_issues_once(app: Any) -> None:
    person = await qualified_person()
    application = await approved(person, ApplicationKind.INITIAL, await make_enterprise(), ["01"])
    message_id = await queued(application)
    assert await certificates.apply_approval(deps(app), message_id) == "issued"
    assert await certificates.apply_approval(deps(app), message_id) == "skipped"
    # a second outbox row for the same application (a duplicate hand-off) finds the effect applied
    assert await certificates.apply_approval(deps(app), await queued(application)) == "skipped"
    assert await Certificate.filter(person_id=person.id).count() == 1
    assert await TrailEntry.filter(person_id=person.id, action="CERTIFICATE_ISSUED").count() == 1
    assert len(await sms_texts(person.mobile)) == 1


async def test_a_filing_not_approved_has_no_effect(app: Any) -> None:
    person = await qualified_person()
    for status in (ApplicationStatus.MINISTRY_REVIEW, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN):
        application = await approved(person, ApplicationKind.INITIAL, await make_enterprise(), ["01"], status=status)
        assert await apply(deps(app), application) == "skipped"
        assert (await Application.get(id=application.id)).effect_applied_at is None
    assert not await Registration.exists(person_id=person.id)
    assert await certificates.apply_approval(deps(app), "not-a-uuid") == "skipped"


async def test_an_announced_filing_still_gets_its_effect(app: Any) -> None:
    person = await qualified_person()
    enterprise = await make_enterprise()
    application = await approved(
        person, ApplicationKind.INITIAL, enterprise, ["01"], status=ApplicationStatus.ANNOUNCED
    )
    assert await apply(deps(app), application) == "issued"


async def test_reregistration_reactivates_the_registration_with_a_new_number_and_check_00(app: Any) -> None:
    person = await qualified_person(("01",))
    first = await registered(deps(app), person, await make_enterprise(province="11"), ["01"])
    assert await apply(deps(app), await approved(person, ApplicationKind.CANCELLATION)) == "cancelled"
    other = await qualified_person(("01",))  # takes serial 2 in Beijing meanwhile
    await registered(deps(app), other, await make_enterprise(province="11"), ["01"])

    new_employer = await make_enterprise(province="11")
    application = await approved(person, ApplicationKind.REREGISTRATION, new_employer, ["01", "07"])
    assert await apply(deps(app), application) == "issued"

    registration = await Registration.get(person_id=person.id)
    assert registration.status is RegistrationStatus.ACTIVE and registration.ended_on is None
    assert registration.number != first.number and registration.number.endswith("00003")
    assert registration.enterprise_id == new_employer.id  # type: ignore[attr-defined]
    versions = await certificates.versions_of(person.id)
    assert [(v.number, v.seal_check, v.current, v.superseded_reason) for v in versions] == [
        (registration.number, 0, True, None),
        (first.number, 0, False, "CANCELLED"),
    ]
    held = {r.specialty_code: r.active for r in await RegisteredSpecialty.filter(registration_id=registration.id)}
    assert held == {"01": True, "07": True}


async def test_numbers_use_the_first_employers_province_and_the_qualification_year(app: Any) -> None:
    year = clock.business_date().year % 100
    shanghai, beijing = await make_enterprise(province="31"), await make_enterprise(province="11")
    numbers = []
    for enterprise, issued in ((shanghai, date(2015, 3, 1)), (beijing, date(2021, 9, 1)), (shanghai, date(2018, 1, 1))):
        person = await qualified_person(("01",), issued_on=issued)
        await registered(deps(app), person, enterprise, ["01"])
        numbers.append((await Registration.get(person_id=person.id)).number)
    assert numbers == [f"沪13115{year:02d}00001", f"京11121{year:02d}00001", f"沪13118{year:02d}00002"]


async def test_a_number_already_held_outside_the_counter_is_skipped(app: Any) -> None:
    year = clock.business_date().year
    enterprise = await make_enterprise(province="11")
    seeded = await qualified_person(("01",), issued_on=date(2019, 5, 1))
    await recorded(seeded, enterprise, ["01"], qualified_year=2019)  # the dev seed's way: serial 1, no counter
    assert (await Registration.get(person_id=seeded.id)).number == f"京11119{year % 100:02d}00001"
    person = await qualified_person(("01",), issued_on=date(2019, 5, 1))
    await registered(deps(app), person, enterprise, ["01"])
    assert (await Registration.get(person_id=person.id)).number == f"京11119{year % 100:02d}00002"


async def test_reregistration_after_a_lapse_ends_the_version_still_current(app: Any) -> None:
    person = await qualified_person(("01",))
    first = await registered(deps(app), person, await make_enterprise(), ["01"])
    await Registration.filter(person_id=person.id).update(status=RegistrationStatus.LAPSED)  # as a lapse leaves it
    application = await approved(person, ApplicationKind.REREGISTRATION, await make_enterprise(), ["01"])
    assert await apply(deps(app), application) == "issued"
    old = await Certificate.get(id=first.id)
    assert (old.current_key, old.superseded_reason) == (None, "LAPSED")
    new = await Certificate.get(person_id=person.id, current_key__isnull=False)
    assert (new.seal_check, new.application_id) == (0, application.id)  # type: ignore[attr-defined]
    assert new.number != first.number


async def test_the_snapshot_names_the_current_photo_and_signature(app: Any) -> None:
    person = await qualified_person()
    now = clock.now()
    ids = {}
    for name, kind, current in (("old", "PHOTO", False), ("photo", "PHOTO", True), ("signature", "SIGNATURE", True)):
        row = await Attachment.create(
            person_id=person.id, kind=kind, storage_name=f"{person.id}-{name}.jpg", content_type="image/jpeg",
            size_bytes=1, width=295, height=413, sha256="0" * 64, current=current, created_at=now,
        )  # fmt: skip
        ids[name] = row.id
    certificate = await registered(deps(app), person, await make_enterprise(), ["01"])
    assert certificate.snapshot["photo_attachment_id"] == ids["photo"]
    assert certificate.snapshot["signature_attachment_id"] == ids["signature"]
