"""graphql-core's own refusals carry a code too: a value its type cannot take (an unknown enum value, a missing
required field) is INVALID_INPUT with a Chinese message naming where; a document that does not parse or validate is
GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED. None of them runs a resolver. A malformed date, which a person
may mistype, is the mutation's own INVALID_DATE in its payload instead."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api

WITHDRAW = "mutation($input: WithdrawApplicationInput!) { withdrawApplication(input: $input) { errors { code } } }"
REPLACE = """mutation($input: FileCertificateReplacementInput!) {
  fileCertificateReplacement(input: $input) { errors { code } } }"""
INITIAL = """mutation($input: FileInitialRegistrationInput!) {
  fileInitialRegistration(input: $input) { errors { code } } }"""


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    assert len(body["errors"]) == 1, body
    error: dict[str, Any] = body["errors"][0]
    return error


INITIAL_FIELDS = """mutation($input: FileInitialRegistrationInput!) {
  fileInitialRegistration(input: $input) { errors { field code message } application { id } } }"""


def initial_input(**dates: Any) -> dict[str, Any]:
    return {
        "input": {
            "enterpriseId": "RW50ZXJwcmlzZTox",
            "contractStart": "2026-01-01",
            "contractEnd": "2029-01-01",
            "specialtyCodes": ["01"],
            "acceptTerms": True,
            "smsCode": "123456",
            **dates,
        }
    }


async def test_a_malformed_date_is_invalid_date_in_the_payload_naming_the_field(api: Api) -> None:
    await api.signed_up()
    for bad in ("2026-13-01", "2026/05/01", "20260501", "2026-02-30", "", "2026-W01-1"):
        body = await api.gql(INITIAL_FIELDS, initial_input(contractStart=bad))
        assert "errors" not in body, body  # not a top-level error: the mutation's own payload answers
        payload = body["data"]["fileInitialRegistration"]
        assert payload["application"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["contractStart"], "INVALID_DATE")], bad
        assert "年-月-日" in payload["errors"][0]["message"]
    both = await api.gql(INITIAL_FIELDS, initial_input(contractStart=5, contractEnd="tomorrow"))
    errors = both["data"]["fileInitialRegistration"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        (["contractStart"], "INVALID_DATE"),
        (["contractEnd"], "INVALID_DATE"),
    ]
    literal = await api.gql(
        'mutation { fileInitialRegistration(input: {enterpriseId: "RW50ZXJwcmlzZTox", contractStart: "2026-1-1", '
        'contractEnd: "2029-01-01", specialtyCodes: ["01"], acceptTerms: true, smsCode: "123456"}) '
        "{ errors { field code } } }"
    )
    assert literal["data"]["fileInitialRegistration"]["errors"] == [
        {"field": ["contractStart"], "code": "INVALID_DATE"}
    ]


async def test_an_unknown_enum_value_is_invalid_input(api: Api) -> None:
    await api.signed_up()
    variables = {"input": {"reason": "BORED", "acceptTerms": True, "smsCode": "123456"}}
    error = only_error(await api.gql(REPLACE, variables))
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "input.reason" in error["message"]


async def test_a_missing_variable_and_a_bad_literal_are_invalid_input(api: Api) -> None:
    missing = only_error(await api.gql(WITHDRAW, {}))
    assert missing["extensions"]["code"] == "INVALID_INPUT" and "（input）" in missing["message"]
    literal = await api.gql("{ enterprises(keyword: 5) { name } }")
    assert literal["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_documents_that_do_not_parse_or_validate_are_coded(api: Api) -> None:
    syntax = only_error(await api.gql("{ viewer { "))
    assert syntax["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    unknown = await api.gql("{ viewer { noSuchField } }")
    assert {error["extensions"]["code"] for error in unknown["errors"]} == {"GRAPHQL_VALIDATION_FAILED"}
