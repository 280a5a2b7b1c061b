"""The file route: who may fetch an attachment, with which headers, and staff views on the trail."""

from __future__ import annotations

import re

from db.models import StaffRole, TrailEntry
from tests.graph.accounts.uploads.helpers import fetch, noisy_image, uploaded
from tests.helpers import VALID_ID_2, VIEWER, Api
from tests.verification_helpers import open_case, staff_token


async def test_file_is_served_to_its_owner_with_safe_headers(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "PHOTO", noisy_image(600, 900), filename="我的照片.jpg")

    response = await fetch(api, attachment["url"], api.token)

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(r'inline; filename="photo-\d+\.jpg"', disposition), disposition
    assert "no-store" in response.headers["cache-control"]
    assert "sandbox" in response.headers["content-security-policy"]


async def test_file_is_hidden_from_other_people_and_anonymous_callers(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "PHOTO", noisy_image(600, 900))
    owner = api.token
    other = await api.signed_up(id_number=VALID_ID_2, mobile="13800138002")
    assert other != owner

    assert (await fetch(api, attachment["url"], other)).status_code == 404
    api.client.cookies.clear()  # the logins above left session cookies in the client
    unsigned = attachment["url"].split("?")[0]  # the signed link works alone (test_signed_links)
    assert (await fetch(api, unsigned, None)).status_code == 401
    assert (await fetch(api, unsigned, "forged-token")).status_code == 401
    assert (await fetch(api, "/files/attachments/999999", owner)).status_code == 404
    for odd in ("abc", "9" * 40, "²", "-1", "1.0"):
        assert (await fetch(api, f"/files/attachments/{odd}", owner)).status_code == 404, odd


async def test_province_staff_can_view_after_opening_the_case_and_the_view_is_on_the_trail(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "ID_CARD_FRONT", noisy_image(1000, 630))
    staff = await staff_token(api, StaffRole.PROVINCE, "province-test")
    assert (await fetch(api, attachment["url"], staff)).status_code == 404  # no case opened: nothing to see
    await open_case(api, staff)

    response = await fetch(api, attachment["url"], staff)

    assert response.status_code == 200 and response.headers["x-content-type-options"] == "nosniff"
    entry = await TrailEntry.filter(action="ATTACHMENT_VIEWED_BY_STAFF").get()
    assert entry.actor == "工作人员 province-test"
    assert "身份证人像面" in entry.description
    assert entry.ip == "203.0.113.10"
    viewer = (await api.gql(VIEWER, {"first": 1}))["data"]["viewer"]
    assert viewer["trail"]["edges"][0]["node"]["action"] == "ATTACHMENT_VIEWED_BY_STAFF"


async def test_enterprise_staff_cannot_view_attachments(api: Api) -> None:
    await api.signed_up()
    attachment = await uploaded(api, "PHOTO", noisy_image(600, 900))
    staff = await staff_token(api, StaffRole.ENTERPRISE, "enterprise-test")

    assert (await fetch(api, attachment["url"], staff)).status_code == 404
    assert not await TrailEntry.filter(action="ATTACHMENT_VIEWED_BY_STAFF").exists()
