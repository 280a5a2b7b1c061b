"""Attachment URLs signed for their viewer: they work in <img src> (no header), for that attachment only, until
they expire or the viewer's session ends; tampered, expired or malformed links are a 403 JSON error, never a 500."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from db.models import StaffRole, TrailEntry
from domain import accounts
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.graph.accounts.uploads.helpers import fetch, noisy_image, uploaded
from tests.helpers import VALID_ID_2, Api
from tests.verification_helpers import open_case, staff_token


async def img_src(api: Api, url: str) -> httpx.Response:
    """What a browser's <img src> sends: no Authorization header, no cookie."""
    api.client.cookies.clear()
    return await api.client.get(url)


def forbidden(response: httpx.Response) -> bool:
    body = response.json()
    return response.status_code == 403 and body["code"] == "FORBIDDEN" and "链接" in body["message"]


async def test_the_url_works_without_a_header_until_it_expires(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "PHOTO", noisy_image(600, 900))
    query = parse_qs(urlsplit(attachment["url"]).query)
    assert set(query) == {"session", "expires", "signature"}

    response = await img_src(api, attachment["url"])

    assert response.status_code == 200 and response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"] == "image/jpeg"
    clock.advance(get_settings().attachment_url_ttl_s - 5)
    assert (await img_src(api, attachment["url"])).status_code == 200
    clock.advance(10)
    assert forbidden(await img_src(api, attachment["url"]))
    assert (await img_src(api, urlsplit(attachment["url"]).path)).status_code == 401  # unsigned, no session


async def test_a_tampered_or_malformed_link_is_403_never_500(api: Api) -> None:
    await api.signed_up()
    mine = await uploaded(api, "PHOTO", noisy_image(600, 900))
    other_card = await uploaded(api, "ID_CARD_FRONT", noisy_image(1000, 630))
    path, query = mine["url"].split("?")
    params = parse_qs(query)
    session, expires, signature = params["session"][0], params["expires"][0], params["signature"][0]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    other_path = urlsplit(other_card["url"]).path

    for url in (
        f"{path}?session={session}&expires={expires}&signature={flipped}",
        f"{path}?session={int(session) + 1}&expires={expires}&signature={signature}",
        f"{path}?session={session}&expires={int(expires) + 3600}&signature={signature}",
        f"{other_path}?{query}",  # the signature is for one attachment only
        f"{path}?session={session}&expires={expires}&signature={signature.upper()}",
        f"{path}?session=-1&expires={'9' * 40}&signature=zz",
        f"{path}?session={session}&signature={signature}",
        f"{path}?session=%00&expires=%0d%0a&signature={'a' * 5000}",
    ):
        assert forbidden(await img_src(api, url)), url
    assert (await img_src(api, mine["url"])).status_code == 200


async def test_a_link_dies_with_its_session_and_serves_only_its_viewer(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "PHOTO", noisy_image(600, 900))
    owner = api.token
    other = await api.signed_up(id_number=VALID_ID_2, mobile="13800138002")

    assert (await fetch(api, attachment["url"], other)).status_code == 404  # a session wins over the link
    await api.gql("mutation { logout { ok } }", token=owner)

    assert forbidden(await img_src(api, attachment["url"]))


async def test_a_staff_link_is_checked_and_written_to_the_trail(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "ID_CARD_FRONT", noisy_image(1000, 630))
    attachment_id = int(urlsplit(attachment["url"]).path.rsplit("/", 1)[1])
    province_token = await staff_token(api, StaffRole.PROVINCE, "province-test")
    await open_case(api, province_token)
    province = await accounts.resolve_session(province_token)
    enterprise = await accounts.resolve_session(await staff_token(api, StaffRole.ENTERPRISE, "enterprise-test"))
    assert province is not None and enterprise is not None

    response = await img_src(api, accounts.attachment_link(attachment_id, province))

    assert response.status_code == 200
    entry = await TrailEntry.filter(action="ATTACHMENT_VIEWED_BY_STAFF").get()
    assert entry.actor == "工作人员 province-test" and entry.ip == "203.0.113.10"
    assert (await img_src(api, accounts.attachment_link(attachment_id, enterprise))).status_code == 404
    assert await TrailEntry.filter(action="ATTACHMENT_VIEWED_BY_STAFF").count() == 1
