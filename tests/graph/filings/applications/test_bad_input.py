"""Bad input on every filing mutation (missing, malformed, oversized, wrong enterprise id, dates out of order) comes
back as coded UserErrors in the payload: never a 500, never a top-level error, nothing written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from db.models import Application
from tests.filing_helpers import (
    MUTATIONS,
    WITHDRAW,
    applicant,
    codes,
    contract,
    file,
    global_id,
    iso,
    make_enterprise,
    register,
    today,
)
from tests.helpers import Api

KINDS = sorted(MUTATIONS)
ENTERPRISE_KINDS = ("INITIAL", "CHANGE", "REREGISTRATION")
SPECIALTY_FIELD = {"INITIAL": "specialtyCodes", "REREGISTRATION": "specialtyCodes", "RENEWAL": "specialtyCodes"}


def fields_of(error: dict[str, Any]) -> str | None:
    return error["field"][0] if error["field"] else None


@pytest.mark.parametrize("kind", KINDS)
async def test_missing_everything(api: Api, kind: str) -> None:
    await applicant(api)
    payload = await file(api, kind, {}, "", accept=False)
    assert payload["application"] is None
    found = {(fields_of(e), e["code"]) for e in payload["errors"]}
    assert ("acceptTerms", "TERMS_NOT_ACCEPTED") in found and ("smsCode", "REQUIRED") in found
    assert ("contractStart", "REQUIRED") in found and ("contractEnd", "REQUIRED") in found
    if kind in ENTERPRISE_KINDS:
        assert ("enterpriseId", "REQUIRED") in found
    assert await Application.all().count() == 0


@pytest.mark.parametrize("kind", KINDS)
async def test_dates_out_of_order_and_malformed_code(api: Api, kind: str) -> None:
    await applicant(api)
    start = today() - timedelta(days=5)
    dates = {"contractStart": iso(start), "contractEnd": iso(start - timedelta(days=1))}
    payload = await file(api, kind, dates, "abc")
    found = {(fields_of(e), e["code"]) for e in payload["errors"]}
    assert ("contractEnd", "CONTRACT_DATES_INVALID") in found and ("smsCode", "SMS_CODE_INVALID") in found
    assert all(e["message"] for e in payload["errors"])


@pytest.mark.parametrize("kind", ENTERPRISE_KINDS)
@pytest.mark.parametrize("enterprise_id", ["junk", "", "RW50ZXJwcmlzZTox", "UGVyc29uOjE=", "x" * 5000, "99999999999"])
async def test_wrong_enterprise_ids(api: Api, kind: str, enterprise_id: str) -> None:
    await applicant(api)
    payload = await file(api, kind, {"enterpriseId": enterprise_id, **contract()}, "123456")
    assert ("enterpriseId", "ENTERPRISE_NOT_FOUND") in {(fields_of(e), e["code"]) for e in payload["errors"]}


@pytest.mark.parametrize("kind", KINDS)
async def test_oversized_input(api: Api, kind: str) -> None:
    await applicant(api)
    huge = "9" * 100_000
    extra: dict[str, Any] = {"specialtyCode": huge} if kind == "ADD_SPECIALTY" else {}
    if kind in SPECIALTY_FIELD:
        extra = {"specialtyCodes": [huge] * 50}
    payload = await file(api, kind, {**contract(), **extra}, huge)
    found = {(fields_of(e), e["code"]) for e in payload["errors"]}
    assert ("smsCode", "SMS_CODE_INVALID") in found
    if extra:
        assert any(code == "INVALID_INPUT" for _f, code in found), found
    assert all(len(e["message"]) < 200 for e in payload["errors"])


async def test_enterprise_of_another_type_or_deleted(api: Api) -> None:
    person = await applicant(api)
    wrong_type = global_id("Person", person.id)
    payload = await file(api, "INITIAL", {"enterpriseId": wrong_type, **contract()}, "123456")
    assert "ENTERPRISE_NOT_FOUND" in codes(payload)


async def test_a_malformed_date_is_invalid_date_in_the_payload(api: Api) -> None:
    """A Date that is no date (a person's typing) is the mutation's own INVALID_DATE on that field, HTTP 200,
    nothing run and nothing written; never a 500, never a top-level error."""
    await applicant(api)
    name, input_type = MUTATIONS["INITIAL"]
    query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ errors {{ field code }} }} }}"
    for bad in ("2024-13-45", "tomorrow", "9" * 10_000):
        variables = {"input": {"contractStart": bad, "acceptTerms": True, "smsCode": "123456"}}
        response = await api.post(query, variables)
        assert response.status_code == 200
        body = response.json()
        assert "errors" not in body, body
        assert body["data"][name]["errors"] == [{"field": ["contractStart"], "code": "INVALID_DATE"}]
    assert await Application.all().count() == 0


@pytest.mark.parametrize("application_id", ["junk", "", "QXBwbGljYXRpb246MA==", "RW50ZXJwcmlzZTox", "z" * 3000])
async def test_withdraw_with_bad_ids(api: Api, application_id: str) -> None:
    await applicant(api)
    payload = (await api.gql(WITHDRAW, {"input": {"id": application_id}}))["data"]["withdrawApplication"]
    assert [(fields_of(e), e["code"]) for e in payload["errors"]] == [("id", "NOT_FOUND")]


@pytest.mark.parametrize("kind", KINDS)
async def test_anonymous_callers_are_refused(api: Api, kind: str) -> None:
    name, input_type = MUTATIONS[kind]
    query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ errors {{ code }} }} }}"
    body = await api.gql(query, {"input": {"acceptTerms": True, "smsCode": "123456"}})
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_registered_kinds_with_bad_specialties(api: Api) -> None:
    person = await applicant(api)
    await register(person, await make_enterprise(), ["01"], temporary=True)
    add = await file(api, "ADD_SPECIALTY", {"specialtyCode": "1' OR 1=1", **contract()}, "123456")
    assert ("specialtyCode", "INVALID_INPUT") in {(fields_of(e), e["code"]) for e in add["errors"]}
    renew = await file(api, "RENEWAL", {"specialtyCodes": ["01", "<script>"], **contract()}, "123456")
    assert ("specialtyCodes", "INVALID_INPUT") in {(fields_of(e), e["code"]) for e in renew["errors"]}
