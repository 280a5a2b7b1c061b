"""注销注册 and 证书更换 over HTTP: filed with their code, shown with their details, every rule a coded refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from db.models import Application, RegistrationStatus
from domain.filings import REPLACEMENT_COMMITMENT_TEXT
from tests.filing_helpers import applicant, applications, sms_code, today
from tests.graph.filings.other_kinds.helpers import errors_of, file_kind, registered
from tests.helpers import Api
from tests.workers.burst import run_burst


async def test_a_cancellation_is_filed_shown_with_its_reason_and_prechecked(api: Api, app: Any) -> None:
    person = await applicant(api)
    await registered(person)
    code = await sms_code(api, app, "CANCELLATION")
    payload = await file_kind(api, "CANCELLATION", {"reason": "CONTRACT_ENDED", "note": " 合同到期 "}, code)
    assert payload["errors"] == [], payload
    filed = payload["application"]
    assert (filed["kind"], filed["status"], filed["temporary"]) == ("CANCELLATION", "SUBMITTED", False)
    assert filed["details"] == {
        "__typename": "CancellationDetails",
        "cancellationReason": "CONTRACT_ENDED",
        "note": "合同到期",
    }
    assert [s["code"] for s in filed["specialties"]] == ["01"] and filed["enterprise"] is not None
    assert (await run_burst(app)).failed == 0
    node = (await applications(api, kind="CANCELLATION"))["edges"][0]["node"]
    assert node["status"] == "ENTERPRISE_CONFIRMATION"
    assert [(s["stage"], s["outcome"]) for s in node["steps"]] == [("SUBMISSION", "DONE"), ("PRECHECK", "PASSED")]
    again = await file_kind(api, "CANCELLATION", {"reason": "CONTRACT_ENDED"}, await sms_code(api, app, "CANCELLATION"))
    assert errors_of(again) == [(None, "APPLICATION_ALREADY_OPEN")]


async def test_a_replacement_is_filed_with_its_commitment(api: Api, app: Any) -> None:
    person = await applicant(api)
    await registered(person, temporary=True)
    code = await sms_code(api, app, "CERTIFICATE_REPLACEMENT")
    payload = await file_kind(api, "CERTIFICATE_REPLACEMENT", {"reason": "OTHER", "reasonText": "证书被水浸泡"}, code)
    assert payload["errors"] == [], payload
    filed = payload["application"]
    assert filed["temporary"] is True
    assert filed["details"] == {
        "__typename": "CertificateReplacementDetails",
        "replacementReason": "OTHER",
        "reasonText": "证书被水浸泡",
        "commitment": REPLACEMENT_COMMITMENT_TEXT,
    }
    assert (await Application.get()).details["commitment_version"] == "replacement-2026-01"
    assert (await run_burst(app)).failed == 0
    assert (await Application.get()).status.value == "ENTERPRISE_CONFIRMATION"


@pytest.mark.parametrize("kind", ["CANCELLATION", "CERTIFICATE_REPLACEMENT"])
@pytest.mark.parametrize("status", [None, RegistrationStatus.CANCELLED, RegistrationStatus.LAPSED])
async def test_only_for_an_active_registration(
    api: Api, app: Any, kind: str, status: RegistrationStatus | None
) -> None:
    person = await applicant(api)
    if status is not None:
        await registered(person, status=status)
    fields = {"reason": "CONTRACT_ENDED"} if kind == "CANCELLATION" else {"reason": "LOST"}
    payload = await file_kind(api, kind, fields, await sms_code(api, app, kind))
    assert errors_of(payload) == [(None, "NOT_REGISTERED")]
    assert payload["application"] is None and await Application.all().count() == 0


async def test_a_cancellation_reason_must_fit_and_every_error_comes_at_once(api: Api, app: Any) -> None:
    person = await applicant(api)  # born 1991: not 65
    await registered(person)
    code = await sms_code(api, app, "CANCELLATION")
    payload = await file_kind(api, "CANCELLATION", {"reason": "AGE_LIMIT", "note": "长" * 201}, code, accept=False)
    assert sorted(errors_of(payload)) == [
        ("acceptTerms", "TERMS_NOT_ACCEPTED"),
        ("note", "TEXT_TOO_LONG"),
        ("reason", "REASON_NOT_APPLICABLE"),
    ]
    expired = await file_kind(api, "CANCELLATION", {"reason": "REGISTRATION_EXPIRED"}, code)
    assert errors_of(expired) == [("reason", "REASON_NOT_APPLICABLE")]
    other = await file_kind(api, "CANCELLATION", {"reason": "OTHER", "note": "\u200b \u3000"}, code)
    assert errors_of(other) == [("note", "REQUIRED")]
    assert await Application.all().count() == 0
    accepted = await file_kind(api, "CANCELLATION", {"reason": "OTHER", "note": "受到行政处罚"}, code)  # the code kept
    assert accepted["errors"] == []


async def test_an_expired_registration_may_be_cancelled_for_expiry(api: Api, app: Any) -> None:
    person = await applicant(api)
    await registered(person, registered_on=today() - timedelta(days=1200), expires_on=today() - timedelta(days=10))
    payload = await file_kind(
        api, "CANCELLATION", {"reason": "REGISTRATION_EXPIRED"}, await sms_code(api, app, "CANCELLATION")
    )
    assert payload["errors"] == [] and payload["application"]["details"]["cancellationReason"] == "REGISTRATION_EXPIRED"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"reason": "OTHER"}, [("reasonText", "REQUIRED")]),
        ({"reason": "OTHER", "reasonText": "   "}, [("reasonText", "REQUIRED")]),
        ({"reason": "OTHER", "reasonText": "证" * 201}, [("reasonText", "TEXT_TOO_LONG")]),
        ({"reason": "DAMAGED", "reasonText": "证" * 50_000}, [("reasonText", "TEXT_TOO_LONG")]),
    ],
)
async def test_replacement_text_rules(
    api: Api, app: Any, fields: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    person = await applicant(api)
    await registered(person)
    payload = await file_kind(
        api, "CERTIFICATE_REPLACEMENT", fields, await sms_code(api, app, "CERTIFICATE_REPLACEMENT")
    )
    assert errors_of(payload) == expected
    assert "200字" in payload["errors"][0]["message"] or expected[0][1] == "REQUIRED"


async def test_the_code_is_bound_to_the_kind_and_the_person_must_be_verified(api: Api, app: Any) -> None:
    person = await applicant(api, verified=False)
    await registered(person)
    code = await sms_code(api, app, "CERTIFICATE_REPLACEMENT")
    payload = await file_kind(api, "CERTIFICATE_REPLACEMENT", {"reason": "LOST"}, code)
    assert errors_of(payload) == [(None, "NOT_VERIFIED")]
    from tests.filing_helpers import verify

    await verify(person.id)
    wrong_kind = await file_kind(api, "CANCELLATION", {"reason": "CONTRACT_ENDED"}, code)
    assert errors_of(wrong_kind) == [("smsCode", "SMS_CODE_INVALID")]
    assert (await file_kind(api, "CERTIFICATE_REPLACEMENT", {"reason": "LOST"}, code))["errors"] == []


async def test_malformed_input_is_never_a_server_error(api: Api, app: Any) -> None:
    person = await applicant(api)
    await registered(person)
    query = """mutation($input: FileCancellationInput!) { fileCancellation(input: $input) { errors { code } } }"""
    body = await api.gql(query, {"input": {"reason": "BORED", "acceptTerms": True, "smsCode": "1"}})
    refusal = body["errors"][0]  # a malformed request, coded, naming the field
    assert body["data"] is None and refusal["extensions"]["code"] == "INVALID_INPUT"
    assert "input.reason" in refusal["message"] and "CancellationReason" in refusal["extensions"]["detail"]
    payload = await file_kind(api, "CANCELLATION", {"reason": "CONTRACT_ENDED"}, "x" * 5000)
    assert errors_of(payload) == [("smsCode", "SMS_CODE_INVALID")]
    api.token = None
    api.client.cookies.clear()
    anonymous = await api.gql(query, {"input": {"reason": "OTHER", "acceptTerms": True, "smsCode": "123456"}})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
