"""The first steps of a person: captcha, register, login, viewer."""

from tests.helpers import VIEWER, Api


async def test_register_login_viewer(api: Api) -> None:
    registered = await api.register()
    assert registered["errors"] == []
    assert registered["person"]["idNumberMasked"] == "3604**********0071"
    assert registered["person"]["gender"] == "MALE"
    logged = await api.login()
    assert logged["errors"] == [], logged
    api.token = logged["token"]
    body = await api.gql(VIEWER, {"first": 20})
    viewer = body["data"]["viewer"]
    assert viewer["mobileMasked"] == "138****8001"
    actions = [edge["node"]["action"] for edge in viewer["trail"]["edges"]]
    assert actions == ["LOGIN_SUCCEEDED", "REGISTER"]
