"""我的证书 over HTTP: viewer.certificates (owner only, current first), requestCertificateDownload (current only,
usable 180 days capped, in the trail), and the signed URL that opens the PDF or PNG without a Bearer header."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from db.models import Certificate, CertificateDownload
from domain.kernel import clock
from domain.kernel.settings import get_settings
from tests.certificate_helpers import reissue, supersede
from tests.domain.certificates.pdf_text import page_text
from tests.graph.accounts.helpers import LOGOUT
from tests.graph.certificates.helpers import (
    NODE,
    VIEWER_CERTIFICATES,
    anonymous_gql,
    certificate_ids,
    downloaded,
    fetch_bare,
    holder,
    request_download,
)
from tests.helpers import VALID_ID_2, VIEWER, Api


def today() -> date:
    return clock.business_date()


async def test_viewer_certificates_list_the_current_one_first_with_what_was_issued(api: Api) -> None:
    person, first = await holder(api)
    await reissue(first, "REPLACED")

    items = (await api.gql(VIEWER_CERTIFICATES))["data"]["viewer"]["certificates"]

    current, old = items
    assert (current["current"], current["sealCheck"], current["supersededReason"]) == (True, 1, None)
    assert current["numberWithCheck"] == f"{first.number}(01)" and current["number"] == first.number
    assert (current["name"], current["gender"], current["birthDate"]) == ("张三", "MALE", "1991-01-01")
    assert current["idNumberMasked"] == person.id_number_masked and "19910101" not in current["idNumberMasked"]
    assert current["issuer"] == "中华人民共和国住房和城乡建设部"
    assert current["specialties"] == [
        {"code": "01", "name": "建筑工程", "expiresOn": (today() + timedelta(days=3 * 365)).isoformat()}
    ]
    assert current["usableUntil"] == (today() + timedelta(days=180)).isoformat()
    assert (old["current"], old["sealCheck"], old["supersededReason"], old["usableUntil"]) == (
        False,
        0,
        "REPLACED",
        None,
    )
    assert old["supersededAt"] is not None


async def test_a_pdf_download_opens_through_its_signed_url_without_a_bearer_header(api: Api) -> None:
    _, certificate = await holder(api)
    (certificate_id,) = await certificate_ids(api)

    download = await downloaded(api, certificate_id, "PDF")
    response = await fetch_bare(api, download["url"])  # no Authorization header, no cookie

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in response.headers["cache-control"]
    assert response.headers["content-disposition"].startswith('inline; filename="certificate-')
    data = response.content
    assert data.startswith(b"%PDF-") and b"NotoSansSC" in data and b"/FontFile2" in data
    assert data.count(b"/Subtype /Image") == 2  # the uploaded photo and signature
    text = page_text(data)
    usable = date.fromisoformat(download["usableUntil"])
    assert "张三" in text and f"{certificate.number}(00)" in text
    assert f"使用有效期至：{usable.year}年{usable.month:02d}月{usable.day:02d}日" in text
    assert f"下载编号 {download['downloadId']} · 扫描二维码可核验证书真伪及当前状态" in text
    assert download["certificate"] == {
        "id": certificate_id,
        "current": True,
        "numberWithCheck": f"{certificate.number}(00)",
    }
    row = await CertificateDownload.get(id=download["downloadId"])
    assert (row.file_format, row.usable_until.isoformat()) == ("PDF", download["usableUntil"])


async def test_a_png_download_is_the_150_dpi_page(api: Api) -> None:
    await holder(api)
    (certificate_id,) = await certificate_ids(api)
    download = await downloaded(api, certificate_id, "PNG")

    response = await fetch_bare(api, download["url"])

    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1240, 1754))


async def test_each_download_goes_to_the_trail(api: Api) -> None:
    await holder(api)
    (certificate_id,) = await certificate_ids(api)
    pdf = await downloaded(api, certificate_id, "PDF")
    await downloaded(api, certificate_id, "PNG")

    entries = [edge["node"] for edge in (await api.gql(VIEWER, {"first": 5}))["data"]["viewer"]["trail"]["edges"]]
    downloads = [entry for entry in entries if entry["action"] == "CERTIFICATE_DOWNLOADED"]
    assert [entry["description"].split("）")[0] for entry in downloads] == ["下载电子证书（PNG", "下载电子证书（PDF"]
    assert f"使用有效期至{pdf['usableUntil']}" in downloads[1]["description"]
    assert await CertificateDownload.all().count() == 2


async def test_a_tampered_expired_or_foreign_link_is_refused(api: Api) -> None:
    await holder(api)
    (certificate_id,) = await certificate_ids(api)
    url = (await downloaded(api, certificate_id))["url"]
    path, query = url.split("?")
    params = dict(part.split("=") for part in query.split("&"))
    signature = params["signature"]
    flipped = signature[:10] + ("0" if signature[10] != "0" else "1") + signature[11:]
    download_id = int(path.rsplit("/", 1)[1])

    refused = [
        url.replace(signature, flipped),
        url.replace(f"session={params['session']}", f"session={int(params['session']) + 1}"),
        url.replace(f"expires={params['expires']}", f"expires={int(params['expires']) + 3600}"),
        url.replace(path, f"/files/certificates/{download_id + 1}"),
        url.replace(path, "/files/certificates/999999"),
        url.replace(path, "/files/certificates/x"),
        path,
        f"{path}?session=1&expires=1&signature={'g' * 64}",
    ]
    for bad in refused:
        response = await api.client.get(bad)
        assert response.status_code == 403, (bad, response.text)
        assert response.json()["code"] == "FORBIDDEN"

    clock.advance(get_settings().certificate_download_ttl_s + 1)
    assert (await api.client.get(url)).status_code == 403
    clock.reset()
    assert (await api.client.get(url)).status_code == 200
    assert (await api.gql(LOGOUT))["data"]["logout"]["ok"] is True
    assert (await api.client.get(url)).status_code == 403  # the link dies with its session


async def test_another_person_s_certificate_is_not_found(api: Api) -> None:
    _, mine = await holder(api)
    (mine_id,) = await certificate_ids(api)
    other = Api(api.client, api.app)
    await holder(other, id_number=VALID_ID_2, mobile="13900139002", images=False)

    refused = await request_download(other, mine_id)
    assert refused["download"] is None
    assert [(error["code"], error["field"]) for error in refused["errors"]] == [("NOT_FOUND", ["certificateId"])]
    assert (await other.gql(NODE, {"id": mine_id}))["data"]["node"] is None
    assert (await api.gql(NODE, {"id": mine_id}))["data"]["node"]["numberWithCheck"] == f"{mine.number}(00)"
    assert len(await certificate_ids(other)) == 1  # only their own
    for malformed in ("Q2VydGlmaWNhdGU6eA==", "nonsense", "Application:1"):
        errors = (await request_download(api, malformed))["errors"]
        assert [error["code"] for error in errors] == ["NOT_FOUND"]


async def test_anonymous_callers_cannot_download(api: Api) -> None:
    await holder(api)
    (certificate_id,) = await certificate_ids(api)
    body = await anonymous_gql(
        api,
        "mutation($input: RequestCertificateDownloadInput!) { requestCertificateDownload(input: $input) { "
        "errors { code } } }",
        {"input": {"certificateId": certificate_id, "format": "PDF"}},
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_only_the_current_certificate_downloads_and_an_earlier_link_stops_working(api: Api) -> None:
    _, first = await holder(api)
    (first_id,) = await certificate_ids(api)
    url = (await downloaded(api, first_id))["url"]

    await reissue(first, "REPLACED")

    errors = (await request_download(api, first_id))["errors"]
    assert [(error["code"], error["field"]) for error in errors] == [("CERTIFICATE_NOT_CURRENT", ["certificateId"])]
    gone = await api.client.get(url)
    assert (gone.status_code, gone.json()["code"]) == (410, "CERTIFICATE_NOT_CURRENT")
    current_id = (await certificate_ids(api))[0]
    assert (await request_download(api, current_id))["errors"] == []


async def test_usable_until_is_capped_by_the_earliest_expiry_and_the_65th_birthday(api: Api) -> None:
    soon = today() + timedelta(days=40)
    _, certificate = await holder(api, specialties={"01": today() + timedelta(days=900), "07": soon})
    (certificate_id,) = await certificate_ids(api)
    assert (await downloaded(api, certificate_id))["usableUntil"] == soon.isoformat()

    turns_65 = today() + timedelta(days=20)
    born = turns_65.replace(year=turns_65.year - 65)
    await Certificate.filter(id=certificate.id).update(
        snapshot={**certificate.snapshot, "birth_date": born.isoformat()}
    )
    download = await downloaded(api, certificate_id, "PDF")
    assert download["usableUntil"] == turns_65.isoformat()
    text = page_text((await api.client.get(download["url"])).content)
    assert f"使用有效期至：{turns_65.year}年{turns_65.month:02d}月{turns_65.day:02d}日" in text

    expired = {"01": today() - timedelta(days=1)}
    await Certificate.filter(id=certificate.id).update(
        snapshot={
            **certificate.snapshot,
            "specialties": [{"code": "01", "name": "建筑工程", "expires_on": expired["01"].isoformat()}],
        }
    )
    errors = (await request_download(api, certificate_id))["errors"]
    assert [error["code"] for error in errors] == ["CERTIFICATE_NOT_USABLE"]


async def test_a_cancelled_registration_s_certificate_is_listed_but_not_downloadable(api: Api) -> None:
    _, certificate = await holder(api, images=False)
    await supersede(certificate, "CANCELLED")
    (item,) = (await api.gql(VIEWER_CERTIFICATES))["data"]["viewer"]["certificates"]
    assert (item["current"], item["supersededReason"]) == (False, "CANCELLED")
    assert [e["code"] for e in (await request_download(api, item["id"]))["errors"]] == ["CERTIFICATE_NOT_CURRENT"]


async def test_downloads_and_renderings_per_person_are_limited(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    await holder(api, images=False)
    (certificate_id,) = await certificate_ids(api)
    monkeypatch.setenv("CERTIFICATE_DOWNLOADS_PER_HOUR", "2")
    monkeypatch.setenv("CERTIFICATE_RENDERS_PER_HOUR", "1")
    get_settings.cache_clear()
    try:
        url = (await downloaded(api, certificate_id))["url"]
        await downloaded(api, certificate_id)
        (refused,) = (await request_download(api, certificate_id))["errors"]
        assert refused["code"] == "TOO_MANY_REQUESTS"
        assert (await fetch_bare(api, url)).status_code == 200
        again = await fetch_bare(api, url)
        assert again.status_code == 429 and int(again.headers["retry-after"]) > 0
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert await CertificateDownload.all().count() == 2
