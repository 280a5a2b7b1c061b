"""A live session's cookie on a POST without (or with a wrong) CSRF header: the request runs anonymous, as before
(a cross-site form cannot act as the person, and login or register still work for a client holding an old
cookie), but `viewer` and anything needing a login answer CSRF_TOKEN_REQUIRED instead of a silent null or
"please log in". Bearer and GET are unchanged."""

from __future__ import annotations

from typing import Any

from domain import accounts
from tests.helpers import Api

VIEWER = "{ viewer { realName } }"
STAFF_VIEWER = "{ staffViewer { username } }"
LOGOUT = "mutation { logout { ok } }"


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def as_cookie(api: Api, query: str, headers: dict[str, str]) -> dict[str, Any]:
    response = await api.client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_cookie_post_without_the_csrf_header_is_told_why(api: Api) -> None:
    token = await api.signed_up()
    api.client.cookies.set("portal_session", token)
    for headers in ({}, {"x-csrf-token": "0" * 43}, {"x-csrf-token": ""}):
        viewer = await as_cookie(api, VIEWER, headers)
        assert viewer["data"] == {"viewer": None} and codes(viewer) == ["CSRF_TOKEN_REQUIRED"]
        assert "x-csrf-token" in viewer["errors"][0]["message"]
        staff = await as_cookie(api, STAFF_VIEWER, headers)
        assert staff["data"] == {"staffViewer": None} and codes(staff) == ["CSRF_TOKEN_REQUIRED"]
        logout = await as_cookie(api, LOGOUT, headers)
        assert logout["data"] is None and codes(logout) == ["CSRF_TOKEN_REQUIRED"]
        captcha = await as_cookie(api, "{ captcha { id } }", headers)  # what needs no login still works
        assert captcha["data"]["captcha"]["id"] and "errors" not in captcha
    right = {"x-csrf-token": accounts.csrf_token(token)}
    viewer = await as_cookie(api, VIEWER, right)
    assert viewer["data"]["viewer"]["realName"] and "errors" not in viewer
    by_get = await api.client.get("/graphql", params={"query": VIEWER})  # reads over GET need no header
    assert by_get.status_code == 200 and by_get.json()["data"]["viewer"]["realName"]


async def test_a_dead_session_s_cookie_is_plain_anonymous(api: Api) -> None:
    token = await api.signed_up()
    assert (await api.gql(LOGOUT))["data"]["logout"]["ok"] is True
    api.client.cookies.set("portal_session", token)
    viewer = await as_cookie(api, VIEWER, {})
    assert viewer == {"data": {"viewer": None}, "extensions": viewer["extensions"]}
    logout = await as_cookie(api, LOGOUT, {})
    assert codes(logout) == ["UNAUTHENTICATED"]


async def test_bearer_and_anonymous_requests_are_unchanged(api: Api) -> None:
    token = await api.signed_up()
    as_bearer = await api.gql(VIEWER, token=token)
    assert as_bearer["data"]["viewer"]["realName"] and "errors" not in as_bearer
    api.client.cookies.clear()
    anonymous = await as_cookie(api, VIEWER, {})
    assert anonymous["data"] == {"viewer": None} and "errors" not in anonymous
    api.client.cookies.set("portal_session", token)  # a Bearer header wins over the cookie: no CSRF needed
    both = await api.client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"})
    assert both.status_code == 200 and both.json()["data"]["viewer"]["realName"]
