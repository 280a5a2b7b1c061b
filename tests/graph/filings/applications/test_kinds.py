"""Each of the five kinds over HTTP: filed with its own SMS code, pre-checked by the worker, shown with its steps;
and every refusal code through the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from db.models import Person, RegistrationStatus
from tests.domain.filings.helpers import id_number_born
from tests.filing_helpers import (
    applicant,
    applications,
    ban,
    codes,
    contract,
    file,
    global_id,
    make_enterprise,
    qualify,
    register,
    sms_code,
    today,
    verify,
)
from tests.helpers import Api
from tests.workers.burst import run_burst


async def setting_for(kind: str, api: Api, person: Person) -> dict[str, Any]:
    """State and inputs under which the kind passes."""
    enterprise = await make_enterprise()
    await qualify("01", temporary=True)
    await qualify("07", temporary=True)
    if kind == "INITIAL":
        return {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    if kind == "REREGISTRATION":
        await register(person, enterprise, ["01"], status=RegistrationStatus.LAPSED)
        return {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    expires = today() + timedelta(days=60)
    await register(person, enterprise, ["01"], temporary=True, expires_on=expires)
    if kind == "CHANGE":
        other = await make_enterprise()
        return {"enterpriseId": global_id("Enterprise", other.id), **contract()}
    if kind == "ADD_SPECIALTY":
        return {"specialtyCode": "07", **contract()}
    return {"specialtyCodes": ["01"], **contract()}  # RENEWAL


@pytest.mark.parametrize("kind", ["INITIAL", "CHANGE", "ADD_SPECIALTY", "RENEWAL", "REREGISTRATION"])
async def test_each_kind_is_filed_and_prechecked(api: Api, app: Any, kind: str) -> None:
    person = await applicant(api)
    fields = await setting_for(kind, api, person)
    code = await sms_code(api, app, kind)
    payload = await file(api, kind, fields, code)
    assert payload["errors"] == [], payload
    assert payload["application"]["kind"] == kind and payload["application"]["temporary"] is True
    await run_burst(app)
    node = (await applications(api, kind=kind))["edges"][0]["node"]
    assert node["status"] == "ENTERPRISE_CONFIRMATION", node
    assert [s["stage"] for s in node["steps"]] == ["SUBMISSION", "PRECHECK"]


async def test_a_code_for_one_kind_does_not_file_another(api: Api, app: Any) -> None:
    person = await applicant(api)
    fields = await setting_for("INITIAL", api, person)
    renewal_code = await sms_code(api, app, "RENEWAL")
    assert codes(await file(api, "INITIAL", fields, renewal_code)) == ["SMS_CODE_INVALID"]
    code = await sms_code(api, app, "INITIAL")
    assert (await file(api, "INITIAL", fields, code))["errors"] == []


async def test_the_code_follows_the_current_mobile(api: Api, app: Any) -> None:
    person = await applicant(api)
    fields = await setting_for("INITIAL", api, person)
    code = await sms_code(api, app, "INITIAL")
    await Person.filter(id=person.id).update(mobile="13700001111")
    assert codes(await file(api, "INITIAL", fields, code)) == ["SMS_CODE_INVALID"]


async def test_the_gates_over_http(api: Api, app: Any) -> None:
    person = await applicant(api, verified=False)
    fields = await setting_for("INITIAL", api, person)
    assert codes(await file(api, "INITIAL", fields, "123456")) == ["NOT_VERIFIED"]
    await verify(person.id)
    await ban(person, today() + timedelta(days=30))
    banned = await file(api, "INITIAL", fields, "123456")
    assert codes(banned) == ["FILING_BANNED"] and "日前不能提交申报" in banned["errors"][0]["message"]


async def test_an_incomplete_profile_names_what_is_missing(api: Api) -> None:
    await api.signed_up()
    person = await Person.get()
    await verify(person.id)
    payload = await file(api, "INITIAL", {}, "123456")
    assert codes(payload) == ["PROFILE_INCOMPLETE"]
    assert "电子邮箱" in payload["errors"][0]["message"] and "学历" in payload["errors"][0]["message"]


async def test_refusal_codes_of_the_rules_over_http(api: Api, app: Any) -> None:
    person = await applicant(api)
    enterprise = await make_enterprise()
    suspended = await make_enterprise(status="SUSPENDED")
    await qualify("01", issued_on=today() - timedelta(days=4 * 366))
    await qualify("07", temporary=True)
    base = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {**base, "enterpriseId": global_id("Enterprise", suspended.id), "continuingEducation": True},
            "ENTERPRISE_NOT_QUALIFIED",
        ),
        (base, "CONTINUING_EDUCATION_REQUIRED"),
        ({**base, "specialtyCodes": ["02"]}, "NOT_QUALIFIED_IN_SPECIALTY"),
        ({**base, "specialtyCodes": ["01", "07"], "continuingEducation": True}, "TEMPORARY_MIXED"),
    ]
    for fields, expected in cases:
        assert codes(await file(api, "INITIAL", fields, "123456", accept=False)) == sorted(
            [expected, "SMS_CODE_INVALID", "TERMS_NOT_ACCEPTED"]
        ), expected
    assert codes(await file(api, "CHANGE", {"enterpriseId": base["enterpriseId"], **contract()}, "123456")) == [
        "NOT_REGISTERED",
        "SMS_CODE_INVALID",
    ]
    await register(person, enterprise, ["01"], temporary=False, expires_on=today() + timedelta(days=200))
    assert "ALREADY_REGISTERED" in codes(await file(api, "INITIAL", base, "123456"))
    assert "KIND_NOT_OPEN" in codes(await file(api, "RENEWAL", {"specialtyCodes": ["01"], **contract()}, "123456"))
    change = {"enterpriseId": base["enterpriseId"], **contract()}
    assert {"KIND_NOT_OPEN", "SAME_ENTERPRISE"} <= set(codes(await file(api, "CHANGE", change, "123456")))
    add = await file(api, "ADD_SPECIALTY", {"specialtyCode": "01", **contract()}, "123456")
    assert "SPECIALTY_ALREADY_REGISTERED" in codes(add)
    assert "REGISTRATION_STATE_INVALID" not in codes(await file(api, "REREGISTRATION", base, "123456"))


async def test_renewal_window_and_specialties_over_http(api: Api, app: Any) -> None:
    person = await applicant(api)
    await register(person, await make_enterprise(), ["01"], temporary=True, expires_on=today() + timedelta(days=120))
    payload = await file(api, "RENEWAL", {"specialtyCodes": ["01", "07"], **contract()}, "123456")
    assert {"OUTSIDE_RENEWAL_WINDOW", "SPECIALTY_NOT_REGISTERED"} <= set(codes(payload))


async def test_sixty_five_and_over_cannot_file(api: Api, app: Any) -> None:
    old = id_number_born(today().replace(year=today().year - 66))
    await applicant(api, id_number=old, mobile="13600136000")
    await qualify("01", id_number=old)
    enterprise = await make_enterprise()
    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    code = await sms_code(api, app, "INITIAL", mobile="13600136000")
    assert codes(await file(api, "INITIAL", fields, code)) == ["AGE_LIMIT"]
