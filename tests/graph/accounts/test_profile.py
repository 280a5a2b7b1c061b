"""updateProfile over HTTP: normalised fields saved and on the trail, invalid fields save nothing."""

from __future__ import annotations

from tests.graph.accounts.helpers import assert_unauthenticated, has_chinese, trail
from tests.helpers import Api

UPDATE_PROFILE = """mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  errors { field code message }
  person { ethnicity email education degree school profileComplete } } }"""
PROFILE = "query { viewer { ethnicity email education degree school profileComplete } }"


async def test_update_profile_saves_valid_fields(api: Api) -> None:
    token = await api.signed_up()
    before = await api.gql(PROFILE)
    assert before["data"]["viewer"]["profileComplete"] is False
    profile = {
        "ethnicity": "维吾尔族",
        "email": " Zhang.San@Example.COM ",
        "education": "BACHELOR",
        "degree": "BACHELOR",
        "school": "  同济大学   土木工程学院 ",
    }
    body = await api.gql(UPDATE_PROFILE, {"input": profile})
    assert "errors" not in body
    saved = {
        "ethnicity": "维吾尔族",
        "email": "Zhang.San@example.com",
        "education": "BACHELOR",
        "degree": "BACHELOR",
        "school": "同济大学 土木工程学院",
        "profileComplete": True,
    }
    assert body["data"]["updateProfile"] == {"errors": [], "person": saved}
    assert (await api.gql(PROFILE))["data"]["viewer"] == saved
    [entry] = [e for e in await trail(api, token) if e["action"] == "PROFILE_UPDATED"]
    for label in ("民族", "电子邮箱", "学历", "学位", "毕业院校"):
        assert label in entry["description"]

    body = await api.gql(UPDATE_PROFILE, {"input": {"school": "清华大学"}})  # omitted fields stay
    assert body["data"]["updateProfile"]["person"] == saved | {"school": "清华大学"}
    entries = [e for e in await trail(api, token) if e["action"] == "PROFILE_UPDATED"]
    assert len(entries) == 2 and "民族" not in entries[-1]["description"]


async def test_update_profile_reports_invalid_fields_and_saves_nothing(api: Api) -> None:
    token = await api.signed_up()
    body = await api.gql(
        UPDATE_PROFILE, {"input": {"ethnicity": "火星族", "email": "not-an-email", "school": "北", "degree": "MASTER"}}
    )
    assert "errors" not in body
    result = body["data"]["updateProfile"]
    assert result["person"] is None
    found = {tuple(e["field"]): e["code"] for e in result["errors"]}
    assert found == {("ethnicity",): "INVALID_INPUT", ("email",): "INVALID_EMAIL", ("school",): "INVALID_INPUT"}
    assert all(has_chinese(e["message"]) for e in result["errors"])
    viewer = (await api.gql(PROFILE))["data"]["viewer"]
    assert viewer == {
        "ethnicity": None, "email": None, "education": None, "degree": None, "school": None, "profileComplete": False
    }  # fmt: skip
    assert "PROFILE_UPDATED" not in [e["action"] for e in await trail(api, token)]


async def test_update_profile_needs_a_login(api: Api) -> None:
    assert_unauthenticated(await api.gql(UPDATE_PROFILE, {"input": {"ethnicity": "汉族"}}))
