"""Issue 10's walk over HTTP against a running `make run` (dev mode), after `scripts/walkthrough.py` filed the eight
kinds: the staff work each filing through its review to its effect, and the certificates come out.

张三's initial registration: an administrator creates a clerk for his employer (createStaffUser), the clerk finds it
in reviewQueue and confirms it, the ministry reviewer approves it, the worker issues the certificate; 张三 sees it in
viewer.certificates, downloads the PDF and the PNG through signed links (saved under VAR_DIR/walkthrough/), the QR
code's payload (read from the PNG with zbarimg when installed) verifies as VALID in certificateVerification and on
the public page. He files a certificate replacement, which goes the same way: the new version is 01 and the old
code now answers REPLACED. Then 李四's and 王五's filings go through (the specialty reviewer for 公路工程, the
cancellation last) to their effects, and the ministry publishes an announcement. One line per step; exits 1 on the
first surprise.

    python scripts/review_walkthrough.py [--base http://127.0.0.1:8000]     (VAR_DIR as the server's)
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from walkthrough import CREDENTIALS, LISI, WANGWU, ZHANG, Walk, expect, fail, file, login

VAR_DIR = Path(os.environ.get("VAR_DIR", "var"))
CERTIFICATES = """{ viewer { certificates { id numberWithCheck sealCheck current supersededReason reason name
  enterpriseName usableUntil specialties { code name expiresOn } } } }"""
APPLICATIONS = "{ viewer { applications(first: 20) { edges { node { id kind status enterprise { id name } } } } } }"


async def staff_login(walk: Walk, username: str, password: str) -> str:
    data = await walk.gql(
        "mutation($i: StaffLoginInput!) { staffLogin(input: $i) { token errors { code } } }",
        {"i": {"username": username, "password": password, **await walk.captcha()}},
    )
    expect(bool(data["staffLogin"]["token"]), f"staffLogin {username}", data)
    return str(data["staffLogin"]["token"])


async def clerk_for(walk: Walk, admin: str, enterprise: dict[str, str]) -> str:
    """createStaffUser: a new ENTERPRISE clerk of this employer (its password is answered once), logged in."""
    username = f"clerk-{int(time.time() * 1000) % 10**9}"
    created = await walk.gql(
        "mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { errors { field code message } "
        "password staffUser { username role enterprise { name } } } }",
        {
            "i": {
                "username": username,
                "displayName": "人事专员",
                "role": "ENTERPRISE",
                "enterpriseId": enterprise["id"],
            }
        },
        admin,
    )
    payload = created["createStaffUser"]
    expect(payload["errors"] == [], f"createStaffUser {username} for {enterprise['name']}", payload)
    return await staff_login(walk, username, payload["password"])


async def in_queue(walk: Walk, token: str, stage: str, application_id: str) -> None:
    """The filing is in the staff user's reviewQueue at this stage (oldest first, keyset pages)."""
    after = None
    for _ in range(50):
        page = (
            await walk.gql(
                "query($s: ReviewQueueStage, $a: String) { reviewQueue(stage: $s, first: 100, after: $a) { edges {"
                " node { application { id } deadline workdaysLeft findings { code severity } } } pageInfo "
                "{ hasNextPage endCursor } } }",
                {"s": stage, "a": after},
                token,
            )
        )["reviewQueue"]
        for edge in page["edges"]:
            if edge["node"]["application"]["id"] == application_id:
                node = edge["node"]
                codes = sorted({f["code"] for f in node["findings"]})
                print(f"ok  reviewQueue {stage}: deadline {node['deadline']} ({node['workdaysLeft']} 工作日) {codes}")
                return
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    fail(f"{application_id} not in the {stage} queue")


async def decide(walk: Walk, token: str, mutation: str, application_id: str, decision: str | None = None) -> str:
    fields: dict[str, Any] = {"id": application_id, "comment": "材料齐全，同意。"}
    if decision:
        fields["decision"] = decision
    name = mutation[0].upper() + mutation[1:]
    data = await walk.gql(
        f"mutation($i: {name}Input!) {{ {mutation}(input: $i) {{ errors {{ code message }} "
        "application { status } } }",
        {"i": fields},
        token,
    )
    payload = data[mutation]
    expect(
        payload["errors"] == [],
        f"{mutation} {decision or ''} → {payload['application'] and payload['application']['status']}",
        payload["errors"],
    )
    return str(payload["application"]["status"])


async def wait_status(walk: Walk, token: str, application_id: str, wanted: tuple[str, ...]) -> str:
    for _ in range(300):
        node = (
            await walk.gql(
                "query($id: ID!) { node(id: $id) { ... on Application { status } } }", {"id": application_id}, token
            )
        )["node"]
        if node and node["status"] in wanted:
            return str(node["status"])
        await asyncio.sleep(0.1)
    fail(f"{application_id} never reached {wanted}")
    return ""


async def certificates(walk: Walk, token: str, sealed: int | None = None) -> list[dict[str, Any]]:
    """The person's certificates, once the worker has issued the version wanted (None: any current one)."""
    for _ in range(300):
        found = (await walk.gql(CERTIFICATES, None, token))["viewer"]["certificates"]
        current = [c for c in found if c["current"]]
        if current and (sealed is None or current[0]["sealCheck"] == sealed):
            return list(found)
        await asyncio.sleep(0.1)
    fail(f"no current certificate (seal check {sealed})")
    return []


async def download(walk: Walk, token: str, certificate: dict[str, Any], file_format: str, name: str) -> Path:
    data = await walk.gql(
        "mutation($i: RequestCertificateDownloadInput!) { requestCertificateDownload(input: $i) { errors { code } "
        "download { url usableUntil format } } }",
        {"i": {"certificateId": certificate["id"], "format": file_format}},
        token,
    )
    payload = data["requestCertificateDownload"]
    expect(payload["errors"] == [], f"requestCertificateDownload {file_format}", payload)
    response = await walk.http.get(payload["download"]["url"])  # no Authorization header: the link is signed
    magic = b"%PDF" if file_format == "PDF" else b"\x89PNG"
    expect(response.status_code == 200 and response.content.startswith(magic), f"GET the signed {file_format} link")
    out = VAR_DIR / "walkthrough" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(response.content)
    print(f"    saved {out} ({len(response.content) // 1024} KB, usable until {payload['download']['usableUntil']})")
    return out


def qr_code_of(png: Path) -> str | None:
    """The verification code in the PNG's QR code (zbarimg), or None when zbarimg is not installed."""
    if shutil.which("zbarimg") is None:
        print("    (zbarimg not installed: the QR code is not read back)")
        return None
    text = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True)  # noqa: S603, S607
    return text.stdout.strip().rsplit("/", 1)[-1]


async def verify(walk: Walk, code: str, wanted: str) -> None:
    checked = await walk.gql(
        "query($c: String!) { certificateVerification(code: $c) { status statusLabel numberWithCheck nameMasked } }",
        {"c": code},
    )
    result = checked["certificateVerification"]
    expect(
        result["status"] == wanted,
        f"certificateVerification → {result['status']} {result['statusLabel']} {result['numberWithCheck']}",
        result,
    )
    page = await walk.http.get(f"/c/{code}")
    expect(
        page.status_code == 200 and result["statusLabel"] in page.text, f"public page /c/… says {result['statusLabel']}"
    )


async def through_review(walk: Walk, clerk: str | None, reviewers: dict[str, str], application_id: str) -> str:
    """Confirm (the clerk), the specialty reviews while any waits, then the ministry's approval."""
    status = await wait_status(
        walk, reviewers["applicant"], application_id, ("ENTERPRISE_CONFIRMATION", "SPECIALTY_REVIEW", "MINISTRY_REVIEW")
    )
    if status == "ENTERPRISE_CONFIRMATION" and clerk:
        await in_queue(walk, clerk, status, application_id)
        status = await decide(walk, clerk, "confirmApplication", application_id)
    while status == "SPECIALTY_REVIEW":
        await in_queue(walk, reviewers["specialty"], status, application_id)
        status = await decide(walk, reviewers["specialty"], "reviewApplication", application_id, "APPROVE")
    if status == "MINISTRY_REVIEW":
        await in_queue(walk, reviewers["ministry"], status, application_id)
        status = await decide(walk, reviewers["ministry"], "reviewApplication", application_id, "APPROVE")
    return status


async def portrait_and_signature(walk: Walk, token: str) -> None:
    """The ID photo (a drawn head and shoulders on white, 5:7) and the signature (black strokes on white) that the
    certificate prints."""
    photo = Image.new("RGB", (413, 579), "white")
    draw = ImageDraw.Draw(photo)
    draw.ellipse((126, 90, 286, 290), fill=(205, 170, 140))
    draw.rectangle((76, 330, 336, 579), fill=(40, 60, 110))
    signature = Image.new("RGB", (600, 200), "white")
    pen = ImageDraw.Draw(signature)
    pen.line([(40, 140), (120, 60), (160, 150), (230, 70), (300, 140), (380, 80), (460, 150), (560, 90)], "black", 7)
    for kind, image in (("PHOTO", photo), ("SIGNATURE", signature)):
        data = io.BytesIO()
        image.save(data, format="PNG")
        await walk.upload_bytes(token, kind, data.getvalue(), "image/png")


async def zhang(walk: Walk, admin: str, reviewers: dict[str, str]) -> dict[str, str]:
    token = await login(walk, ZHANG["idNumber"], ZHANG["password"])
    edges = (await walk.gql(APPLICATIONS, None, token))["viewer"]["applications"]["edges"]
    initial = next(e["node"] for e in edges if e["node"]["kind"] == "INITIAL")
    clerk = await clerk_for(walk, admin, initial["enterprise"])
    if initial["status"] not in ("APPROVED", "ANNOUNCED"):
        await through_review(walk, clerk, {**reviewers, "applicant": token}, initial["id"])
    await portrait_and_signature(walk, token)
    first = (await certificates(walk, token))[0]
    specialties = ", ".join(f"{s['name']}至{s['expiresOn']}" for s in first["specialties"])
    print(
        f"ok  viewer.certificates: {first['numberWithCheck']} {first['name']} {first['enterpriseName']} {specialties}"
    )
    await download(walk, token, first, "PDF", f"certificate-{first['numberWithCheck']}.pdf")
    png = await download(walk, token, first, "PNG", f"certificate-{first['numberWithCheck']}.png")
    old_code = qr_code_of(png)
    if old_code:
        await verify(walk, old_code, "VALID")
    replacement = await file(
        walk, token, ZHANG["mobile"], "CERTIFICATE_REPLACEMENT", "fileCertificateReplacement", {"reason": "DAMAGED"}
    )
    if replacement:
        await through_review(walk, clerk, {**reviewers, "applicant": token}, replacement)
        second = (await certificates(walk, token, first["sealCheck"] + 1))[0]
        expect(second["numberWithCheck"] != first["numberWithCheck"], f"replacement issued {second['numberWithCheck']}")
        new_png = await download(walk, token, second, "PNG", f"certificate-{second['numberWithCheck']}.png")
        if old_code:
            await verify(walk, old_code, "REPLACED")
            new_code = qr_code_of(new_png)
            await verify(walk, str(new_code), "VALID")
    return {"enterprise": initial["enterprise"]["id"], "clerk": clerk}


async def lisi_and_wangwu(walk: Walk, admin: str, reviewers: dict[str, str], zhang_clerk: str) -> None:
    tj = await staff_login(walk, "enterprise-tj", CREDENTIALS["enterprise-tj"])
    lisi = await login(walk, LISI, CREDENTIALS[LISI])
    edges = [e["node"] for e in (await walk.gql(APPLICATIONS, None, lisi))["viewer"]["applications"]["edges"]]
    order = ("ADD_SPECIALTY", "RENEWAL", "CERTIFICATE_REPLACEMENT", "PERSONAL_INFO_CHANGE", "CHANGE", "CANCELLATION")
    for kind in order:
        for node in [
            n
            for n in edges
            if n["kind"] == kind and n["status"] not in ("APPROVED", "ANNOUNCED", "REFUSED", "WITHDRAWN")
        ]:
            clerk = tj if kind != "CHANGE" else await clerk_for(walk, admin, node["enterprise"])
            status = await through_review(walk, clerk, {**reviewers, "applicant": lisi}, node["id"])
            expect(status == "APPROVED", f"李四's {kind} approved")
            await asyncio.sleep(1)  # the worker applies one effect before the next approval builds on it
            found = (await walk.gql(CERTIFICATES, None, lisi))["viewer"]["certificates"]
            current = [c for c in found if c["current"]]
            print(
                f"    → {kind}: "
                + (
                    f"{current[0]['numberWithCheck']} {current[0]['name']} {current[0]['enterpriseName']}"
                    if current
                    else "no current certificate"
                )
            )
    wangwu = await login(walk, WANGWU, CREDENTIALS[WANGWU])
    edges = [e["node"] for e in (await walk.gql(APPLICATIONS, None, wangwu))["viewer"]["applications"]["edges"]]
    for node in [n for n in edges if n["kind"] == "REREGISTRATION" and n["status"] not in ("APPROVED", "ANNOUNCED")]:
        await through_review(walk, zhang_clerk, {**reviewers, "applicant": wangwu}, node["id"])
        renewed = (await certificates(walk, wangwu))[0]
        print(f"ok  王五 re-registered: {renewed['numberWithCheck']}")


async def announce(walk: Walk, ministry: str) -> None:
    data = await walk.gql(
        "mutation { publishAnnouncement(input: {}) { errors { code message } "
        "announcement { number title applicationCount } } }",
        None,
        ministry,
    )
    payload = data["publishAnnouncement"]
    codes = [e["code"] for e in payload["errors"]]
    expect(codes in ([], ["NOTHING_TO_ANNOUNCE"]), f"publishAnnouncement {payload['announcement']}", payload)


async def main(base: str) -> None:
    walk = Walk(base)
    admin = await staff_login(walk, "admin", CREDENTIALS["admin"])
    reviewers = {
        "ministry": await staff_login(walk, "ministry-reviewer", CREDENTIALS["ministry-reviewer"]),
        "specialty": await staff_login(walk, "specialty-reviewer", CREDENTIALS["specialty-reviewer"]),
    }
    first = await zhang(walk, admin, reviewers)
    await lisi_and_wangwu(walk, admin, reviewers, first["clerk"])
    schema = await walk.gql('{ __type(name: "Mutation") { fields { name } } }', None, admin)
    if any(f["name"] == "publishAnnouncement" for f in schema["__type"]["fields"]):
        await announce(walk, reviewers["ministry"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    asyncio.run(main(parser.parse_args().base))
