"""graphql-core's own refusals carry a code too: a value its type cannot take (a malformed date, an unknown enum
value, a missing required field) is INVALID_INPUT with a Chinese message naming where; a document that does not
parse or validate is GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED. None of them runs a resolver."""

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


async def test_a_malformed_date_is_invalid_input_naming_the_field(api: Api) -> None:
    await api.signed_up()
    variables = {
        "input": {
            "enterpriseId": "RW50ZXJwcmlzZTox",
            "contractStart": "2026-13-01",
            "contractEnd": "2029-01-01",
            "specialtyCodes": ["01"],
            "acceptTerms": True,
            "smsCode": "123456",
        }
    }
    error = only_error(await api.gql(INITIAL, variables))
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "input.contractStart" in error["message"] and "参数值不正确" in error["message"]
    assert "2026-13-01" in error["extensions"]["detail"]


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
