"""国籍, the degree/education rule and profileOptions over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from db.models import Person
from tests.graph.accounts.helpers import trail
from tests.helpers import Api

UPDATE = """mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  errors { field code message }
  person { nationality nationalityLabel ethnicity education degree profileComplete } } }"""
OPTIONS = "query { profileOptions { nationalities { code label } ethnicities { code label } educations { code label } degrees { code label } } }"  # noqa: E501


async def _update(api: Api, **fields: Any) -> dict[str, Any]:
    body = await api.gql(UPDATE, {"input": fields})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["updateProfile"]
    return result


async def test_profile_options_are_public_with_china_first(api: Api) -> None:
    body = await api.gql(OPTIONS)
    assert "errors" not in body, body
    options = body["data"]["profileOptions"]
    assert options["nationalities"][:4] == [
        {"code": "CN", "label": "中国"},
        {"code": "HK", "label": "中国香港"},
        {"code": "MO", "label": "中国澳门"},
        {"code": "TW", "label": "中国台湾"},
    ]
    assert len(options["nationalities"]) == 249
    assert options["ethnicities"][0] == {"code": "汉族", "label": "汉族"} and len(options["ethnicities"]) == 56
    assert options["educations"][0] == {"code": "DOCTORATE", "label": "博士研究生"}
    assert [o["code"] for o in options["degrees"]] == ["DOCTOR", "MASTER", "BACHELOR", "NONE"]


async def test_every_option_code_is_accepted_by_update_profile(api: Api) -> None:
    await api.signed_up()
    options = (await api.gql(OPTIONS))["data"]["profileOptions"]
    for option in options["nationalities"][:5] + options["nationalities"][-3:]:
        result = await _update(api, nationality=option["code"])
        assert result["errors"] == [] and result["person"]["nationalityLabel"] == option["label"]
    for option in options["ethnicities"][:3]:
        assert (await _update(api, ethnicity=option["code"]))["person"]["ethnicity"] == option["code"]


async def test_nationality_defaults_to_china_and_can_change(api: Api) -> None:
    token = await api.signed_up()
    viewer = (await api.gql("query { viewer { nationality nationalityLabel } }"))["data"]["viewer"]
    assert viewer == {"nationality": "CN", "nationalityLabel": "中国"}
    result = await _update(api, nationality="hk")
    assert result["errors"] == [] and result["person"]["nationality"] == "HK"
    assert result["person"]["nationalityLabel"] == "中国香港"
    assert (await Person.get()).nationality == "HK"
    [entry] = [e for e in await trail(api, token) if e["action"] == "PROFILE_UPDATED"]
    assert entry["description"] == "修改个人基本信息：国籍"


@pytest.mark.parametrize("code", ["ZZ", "CHN", "中国", "", "C" * 5000])
async def test_an_unknown_nationality_is_a_field_error(api: Api, code: str) -> None:
    await api.signed_up()
    result = await _update(api, nationality=code)
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(["nationality"], "INVALID_INPUT")]
    assert (await Person.get()).nationality == "CN"


async def test_the_ethnic_group_is_optional_for_a_complete_profile(api: Api) -> None:
    await api.signed_up()
    fields = {"email": "a@example.com", "education": "BACHELOR", "degree": "BACHELOR", "school": "同济大学"}
    result = await _update(api, **fields)
    assert result["errors"] == [] and result["person"]["ethnicity"] is None
    assert result["person"]["profileComplete"] is True


@pytest.mark.parametrize(
    ("education", "degree"),
    [("BACHELOR", "DOCTOR"), ("COLLEGE", "BACHELOR"), ("TECHNICAL_SECONDARY", "MASTER"), ("OTHER", "BACHELOR")],
)
async def test_a_degree_above_the_education_is_refused_on_degree(api: Api, education: str, degree: str) -> None:
    await api.signed_up()
    result = await _update(api, education=education, degree=degree)
    [error] = result["errors"]
    assert (error["field"], error["code"]) == (["degree"], "DEGREE_MISMATCH")
    assert error["message"].startswith("学位与学历不符：")
    row = await Person.get()
    assert (row.education, row.degree) == (None, None)


@pytest.mark.parametrize(
    ("education", "degree"),
    [("DOCTORATE", "DOCTOR"), ("MASTER", "DOCTOR"), ("BACHELOR", "MASTER"), ("COLLEGE", "NONE"), ("MASTER", "NONE")],
)
async def test_a_fitting_pair_is_saved(api: Api, education: str, degree: str) -> None:
    await api.signed_up()
    result = await _update(api, education=education, degree=degree)
    assert result["errors"] == [] and (result["person"]["education"], result["person"]["degree"]) == (education, degree)


async def test_the_stored_half_counts(api: Api) -> None:
    await api.signed_up()
    assert (await _update(api, education="BACHELOR", degree="BACHELOR"))["errors"] == []
    lowered = await _update(api, education="COLLEGE")  # the stored 学士 no longer fits
    assert [(e["field"], e["code"]) for e in lowered["errors"]] == [(["degree"], "DEGREE_MISMATCH")]
    assert "大学专科" in lowered["errors"][0]["message"]
    raised = await _update(api, degree="DOCTOR")  # nor does a doctorate on the stored 大学本科
    assert [(e["field"], e["code"]) for e in raised["errors"]] == [(["degree"], "DEGREE_MISMATCH")]
    assert (await _update(api, education="COLLEGE", degree="NONE"))["errors"] == []
    assert (await _update(api, school="北京大学"))["errors"] == []  # other fields are not held up


async def test_every_error_is_told_at_once_with_the_degree(api: Api) -> None:
    await api.signed_up()
    result = await _update(api, nationality="ZZ", email="nope", education="COLLEGE", degree="MASTER")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        (["nationality"], "INVALID_INPUT"),
        (["email"], "INVALID_EMAIL"),
        (["degree"], "DEGREE_MISMATCH"),
    ]
    assert result["person"] is None


@pytest.mark.parametrize("round_", range(5))
async def test_two_concurrent_halves_never_combine_into_a_mismatch(api: Api, round_: int) -> None:
    """Each request alone fits the stored pair (本科, 无): 学士 on 本科, and 专科 with 无. Together they would make
    (专科, 学士); the row lock makes the later one see the earlier one and refuse."""
    await api.signed_up()
    assert (await _update(api, education="BACHELOR", degree="NONE"))["errors"] == []
    degree_first, education_first = await asyncio.gather(
        _update(api, degree="BACHELOR"), _update(api, education="COLLEGE")
    )
    outcomes = sorted([[e["code"] for e in degree_first["errors"]], [e["code"] for e in education_first["errors"]]])
    assert outcomes == [[], ["DEGREE_MISMATCH"]]
    row = await Person.get()
    assert (row.education, row.degree) in {("大学本科", "学士"), ("大学专科", "无")}
