"""Shared steps of the real-name verification tests: materials, start, the sandbox page, notices, staff login."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from db.models import StaffRole, StaffUser, VerificationAttempt
from domain.accounts.passwords import hash_password
from domain.kernel import clock
from domain.verification.providers import sandbox
from tests.helpers import PASSWORD, VALID_ID, Api, image_bytes

MATERIALS = ("ID_CARD_FRONT", "ID_CARD_BACK", "HANDHELD_ID")
VERIFICATION_FIELDS = "id method status certifyUrl qrCodeDataUrl failureReason comment startedAt expiresAt completedAt"
START = f"""mutation {{ startAlipayVerification {{
  errors {{ field code message }} verification {{ {VERIFICATION_FIELDS} }} }} }}"""
VIEWER_VERIFICATION = f"""query {{ viewer {{ id verification {{ {VERIFICATION_FIELDS} }}
  trail(first: 50) {{ edges {{ node {{ action description actor }} }} }} }} }}"""
STAFF_LOGIN = """mutation($input: StaffLoginInput!) { staffLogin(input: $input) {
  errors { code } token staff { username role } } }"""
CALLBACK = "/callbacks/alipay"
UNREGISTERED_ID = "360426198505050032"  # of VALID_ID's province (36, Jiangxi); no test registers it


async def upload_materials(api: Api, kinds: tuple[str, ...] = MATERIALS) -> None:
    """Upload the identity materials the start rule asks for."""
    for kind in kinds:
        response = await api.upload(kind, image_bytes(800, 600))
        payload = response.json()["data"]["uploadAttachment"]
        assert payload["errors"] == [], payload


async def start(api: Api) -> dict[str, Any]:
    """startAlipayVerification's payload."""
    body = await api.gql(START)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["startAlipayVerification"]
    return payload


async def started(api: Api) -> dict[str, Any]:
    """A started verification (errors asserted empty)."""
    payload = await start(api)
    assert payload["errors"] == [], payload
    verification: dict[str, Any] = payload["verification"]
    return verification


def certify_id_of(verification: dict[str, Any]) -> str:
    """The sandbox certify id: the last path part of the certify URL."""
    return urlparse(str(verification["certifyUrl"])).path.rsplit("/", 1)[-1]


async def press(api: Api, certify_id: str, decision: str) -> int:
    """The person presses a button on the sandbox certify page; returns the HTTP status."""
    response = await api.client.post(f"/sandbox/alipay/certify/{certify_id}", data={"decision": decision})
    return response.status_code


async def viewer(api: Api) -> dict[str, Any]:
    """viewer { verification trail }."""
    body = await api.gql(VIEWER_VERIFICATION)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["viewer"]
    return result


def trail_actions(person: dict[str, Any]) -> list[str]:
    """The viewer's trail actions, newest first."""
    return [edge["node"]["action"] for edge in person["trail"]["edges"]]


async def later(api: Api, seconds: float) -> None:
    """The person comes back after `seconds` (fake clock) and logs in again: the old session has idled out."""
    clock.advance(seconds)
    logged_in = await api.login()
    assert logged_in["errors"] == [], logged_in
    api.token = logged_in["token"]


async def signed_up_with_materials(api: Api, id_number: str | None = None, mobile: str | None = None) -> None:
    """A logged-in person with the three identity materials uploaded."""
    kwargs = {k: v for k, v in (("id_number", id_number), ("mobile", mobile)) if v is not None}
    await api.signed_up(**kwargs)
    await upload_materials(api)


async def pending_attempt(api: Api) -> tuple[VerificationAttempt, str]:
    """A person with a started Alipay (sandbox) verification: the attempt row and its certify id."""
    await signed_up_with_materials(api)
    verification = await started(api)
    certify_id = certify_id_of(verification)
    attempt = await VerificationAttempt.get(certify_id=certify_id)
    return attempt, certify_id


async def decided_without_notice(certify_id: str, passed: bool) -> None:
    """The provider's state changes but no notice is sent (a lost notice; identity APIs may not notify)."""
    assert await sandbox.decide(certify_id, passed) is not None


async def post_notice(api: Api, params: dict[str, str]) -> tuple[int, str]:
    """POST a notice form to the callback as Alipay does; status and body."""
    response = await api.client.post(CALLBACK, data=params)
    return response.status_code, response.text


async def staff_token(
    api: Api, role: StaffRole, username: str, display_name: str = "测试认证员", province: str = VALID_ID[:2]
) -> str:
    """A staff user of a role, logged in through staffLogin; a PROVINCE officer of `province` (by default the test
    applicant's)."""
    await StaffUser.create(
        username=username,
        display_name=display_name,
        role=role,
        province_code=province if role is StaffRole.PROVINCE else None,
        password_hash=await hash_password(PASSWORD),
    )
    captcha_id, answer = await api.captcha()
    body = await api.gql(
        STAFF_LOGIN,
        {"input": {"username": username, "password": PASSWORD, "captchaId": captcha_id, "captchaAnswer": answer}},
    )
    result = body["data"]["staffLogin"]
    assert result["errors"] == [] and result["staff"]["role"] == role.value, result
    return str(result["token"])


OPEN_CASE = """query($idNumber: String!) { onsiteVerificationCase(idNumber: $idNumber) { person { id } } }"""


async def open_case(api: Api, staff: str, id_number: str = VALID_ID) -> str:
    """A provincial officer opens a person's on-site case (which grants them the person's data for a while); the
    person's global id."""
    body = await api.gql(OPEN_CASE, {"idNumber": id_number}, token=staff)
    assert "errors" not in body, body
    return str(body["data"]["onsiteVerificationCase"]["person"]["id"])
