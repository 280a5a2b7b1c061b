"""SECURITY check 23 over HTTP: certificateVerification and the public /c/ page a QR code opens answer VALID for a
current certificate, REPLACED / CHANGED / CANCELLED / LAPSED once superseded, EXPIRED past the download's usable
date, FORGED for a flipped byte, garbage or a payload naming no certificate (never a 500), with masked data only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.models import Certificate
from domain.certificates import qr
from domain.kernel import clock
from tests.certificate_helpers import reissue, supersede
from tests.graph.certificates.helpers import certificate_ids, downloaded, fetch_bare, holder, qr_code_of, verify
from tests.helpers import VALID_ID, Api


async def a_scanned_code(api: Api) -> tuple[Certificate, str, dict[str, object]]:
    _, certificate = await holder(api, images=False)
    (certificate_id,) = await certificate_ids(api)
    download = await downloaded(api, certificate_id)
    return certificate, await qr_code_of(download["downloadId"]), download


def flipped(code: str, at: int) -> str:
    return code[:at] + ("B" if code[at] != "B" else "C") + code[at + 1 :]


async def test_a_current_certificate_verifies_with_masked_data_only(api: Api) -> None:
    certificate, code, download = await a_scanned_code(api)

    answer = await verify(api, code)

    assert answer["status"] == "VALID" and answer["statusLabel"].startswith("有效")
    assert answer["numberWithCheck"] == f"{certificate.number}(00)"
    assert (answer["nameMasked"], answer["idNumberMasked"]) == ("张*", "3604**********0071")
    assert answer["usableUntil"] == download["usableUntil"] and answer["downloadId"] == download["downloadId"]
    assert answer["specialties"][0]["name"] == "建筑工程" and answer["enterpriseName"].startswith("示范建设")
    assert VALID_ID not in str(answer) and "张三" not in str(answer)
    assert (await verify(api, qr.page_url(code)))["status"] == "VALID"  # the scanned URL as well


async def test_the_qr_page_answers_the_same_in_chinese_with_no_external_assets(api: Api) -> None:
    certificate, code, _ = await a_scanned_code(api)

    page = await fetch_bare(api, f"/c/{code}")

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff" and "no-store" in page.headers["cache-control"]
    html = page.text
    assert "有效：该证书为当前有效的电子证书" in html and f"{certificate.number}(00)" in html
    assert "3604**********0071" in html and VALID_ID not in html and "张三" not in html
    assert "http" not in html.split("</title>", 1)[1] and "<script" not in html and "src=" not in html


@pytest.mark.parametrize(
    ("reason", "status", "words"),
    [
        ("REPLACED", "REPLACED", "已换发"),
        ("CHANGED", "CHANGED", "已变更"),
        ("RENEWAL", "CHANGED", "已变更"),
        ("CANCELLED", "CANCELLED", "已注销"),
        ("LAPSED", "LAPSED", "已失效"),
    ],
)
async def test_a_superseded_certificate_says_it_is_no_longer_current(
    api: Api, reason: str, status: str, words: str
) -> None:
    certificate, code, _ = await a_scanned_code(api)
    if reason in ("REPLACED", "CHANGED"):
        await reissue(certificate, reason)
    else:
        await supersede(certificate, reason)

    answer = await verify(api, code)

    assert answer["status"] == status and answer["supersededAt"] is not None
    assert words in (await fetch_bare(api, f"/c/{code}")).text


async def test_a_copy_past_its_usable_date_is_expired(api: Api) -> None:
    _, code, download = await a_scanned_code(api)
    usable = date.fromisoformat(str(download["usableUntil"]))
    clock.advance(((usable - clock.business_date()) + timedelta(days=1)).total_seconds())

    assert (await verify(api, code))["status"] == "EXPIRED"
    assert "已过使用有效期" in (await fetch_bare(api, f"/c/{code}")).text


async def test_forged_tampered_and_malformed_codes_are_forged_never_an_error(api: Api) -> None:
    certificate, code, _ = await a_scanned_code(api)
    forged = [flipped(code, at) for at in (0, 5, 20, len(code) // 2, len(code) - 2)]
    forged += [code[:-4], code + "AA", "", "garbage", "A" * 5000, "%00%0d%0a", "../../etc/passwd", "🙂" * 50]
    for bad in forged:
        answer = await verify(api, bad)
        assert answer["status"] == "FORGED", bad
        assert answer["numberWithCheck"] is None and answer["idNumberMasked"] is None
    for bad in [*forged[:5], "garbage", "A" * 900]:
        page = await fetch_bare(api, f"/c/{bad}")
        assert page.status_code == 200 and "无效" in page.text
    await Certificate.filter(id=certificate.id).update(seal_check=7)  # genuinely signed, naming no certificate
    assert (await verify(api, code))["status"] == "FORGED"
