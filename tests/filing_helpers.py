"""Shared steps of the filing tests: a verified applicant with a complete profile, enterprises, qualifications,
registrations, filing SMS codes from the dev inbox, the filing mutations and the progress query."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from strawberry import relay

from db.models import (
    Enterprise,
    FilingBan,
    Person,
    Qualification,
    VerificationAttempt,
    VerificationMethod,
    VerificationStatus,
)
from domain import accounts, filings
from domain.accounts.dev_seed import credit_code
from domain.kernel import clock
from tests.helpers import REQUEST_SMS, VALID_ID, Api, sms_code_of
from tests.workers.burst import run_burst

MOBILE = "13800138001"
PROFILE = """mutation { updateProfile(input: {ethnicity: "汉族", email: "a@example.com", education: BACHELOR,
  degree: BACHELOR, school: "同济大学"}) { errors { code } } }"""
MUTATIONS = {
    "INITIAL": ("fileInitialRegistration", "FileInitialRegistrationInput"),
    "CHANGE": ("fileChangeRegistration", "FileChangeRegistrationInput"),
    "ADD_SPECIALTY": ("fileAdditionalSpecialty", "FileAdditionalSpecialtyInput"),
    "RENEWAL": ("fileRenewal", "FileRenewalInput"),
    "REREGISTRATION": ("fileReregistration", "FileReregistrationInput"),
}
APPLICATION_FIELDS = """id kind status temporary contractStart contractEnd continuingEducation termsVersion
  submittedAt decidedAt withdrawable enterprise { id name } specialties { code name }
  steps { seq stage outcome actorRole comment items { code message field } createdAt deadline applicationId }"""
VIEWER_APPLICATIONS = f"""query($first: Int!, $after: String, $kind: ApplicationKind, $status: ApplicationStatus,
  $temporary: Boolean) {{ viewer {{ applications(first: $first, after: $after, kind: $kind, status: $status,
  temporary: $temporary) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{
  {APPLICATION_FIELDS} }} }} }} }} }}"""
WITHDRAW = f"""mutation($input: WithdrawApplicationInput!) {{ withdrawApplication(input: $input) {{
  errors {{ field code message }} application {{ {APPLICATION_FIELDS} }} }} }}"""
_enterprise_serial = iter(range(1, 10**6))


def today() -> date:
    return clock.business_date()


def iso(day: date) -> str:
    return day.isoformat()


def contract() -> dict[str, str]:
    """A labour contract that started a year ago and runs two more years."""
    return {"contractStart": iso(today() - timedelta(days=365)), "contractEnd": iso(today() + timedelta(days=730))}


def global_id(type_name: str, pk: int) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


async def make_enterprise(status: str = "QUALIFIED", province: str = "11") -> Enterprise:
    serial = next(_enterprise_serial)
    return await Enterprise.create(
        name=f"示范建设工程有限公司{serial}",
        credit_code=credit_code(f"91{province}0000MA{serial:07d}"),
        province_code=province,
        qualification_status=status,
    )


async def qualify(
    specialty: str = "01", issued_on: date | None = None, temporary: bool = False, id_number: str = VALID_ID
) -> Qualification:
    """An imported qualification record for the ID number."""
    digest, masked = accounts.id_number_digest(id_number), accounts.mask_id_number(id_number)
    return await qualification(digest, masked, specialty, issued_on, temporary)


async def qualification(
    digest: str, masked: str, specialty: str, issued_on: date | None = None, temporary: bool = False
) -> Qualification:
    """A qualification record matched by the ID number's digest (issued a year ago unless said)."""
    return await Qualification.create(
        id_number_digest=digest,
        id_number_masked=masked,
        real_name="张三",
        specialty_code=specialty,
        certificate_number=f"Q{specialty}{digest[:12]}{int(temporary)}",
        issued_on=issued_on or today() - timedelta(days=365),
        temporary=temporary,
        imported_at=clock.now(),
    )


async def verify(person_id: int) -> None:
    """Real-name verification passed (as the on-site officer or Alipay would record it)."""
    now = clock.now()
    await VerificationAttempt.create(
        person_id=person_id,
        method=VerificationMethod.ONSITE,
        status=VerificationStatus.PASSED,
        outer_order_no=f"T{person_id:031d}",
        provider="onsite",
        created_at=now,
        expires_at=now,
        completed_at=now,
    )


async def applicant(api: Api, id_number: str = VALID_ID, mobile: str = MOBILE, verified: bool = True) -> Person:
    """Registered, logged in, profile complete, verified: ready to file."""
    await api.signed_up(id_number=id_number, mobile=mobile)
    assert (await api.gql(PROFILE))["data"]["updateProfile"]["errors"] == []
    person = await Person.get(mobile=mobile)
    if verified:
        await verify(person.id)
    return person


async def register(person: Person, enterprise: Enterprise, codes: list[str], **facts: Any) -> None:
    await filings.record_registration(
        filings.RegistrationFacts(person_id=person.id, enterprise_id=enterprise.id, specialty_codes=codes, **facts)
    )


async def ban(person: Person, ends_on: date) -> None:
    await FilingBan.create(person_id=person.id, reason="提供虚假材料", ends_on=ends_on, created_at=clock.now())


async def sms_code(api: Api, app: Any, kind: str, mobile: str = MOBILE) -> str:
    """Ask for the kind's code, let the worker deliver it, read it from the dev inbox (the interval reset first)."""
    await app.state.deps.redis.delete(f"sms:interval:{mobile}")
    body = await api.gql(REQUEST_SMS, {"input": {"purpose": f"FILING_{kind}"}})
    assert body["data"]["requestSmsCode"]["errors"] == [], body
    await run_burst(app)
    return sms_code_of((await api.sms_inbox(mobile))[0])


async def file(api: Api, kind: str, fields: dict[str, Any], code: str, accept: bool = True) -> dict[str, Any]:
    """Call the kind's mutation; the payload."""
    name, input_type = MUTATIONS[kind]
    query = f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
      errors {{ field code message }} application {{ {APPLICATION_FIELDS} }} }} }}"""
    body = await api.gql(query, {"input": {**fields, "acceptTerms": accept, "smsCode": code}})
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return sorted(error["code"] for error in payload["errors"])


async def applications(api: Api, **variables: Any) -> dict[str, Any]:
    body = await api.gql(VIEWER_APPLICATIONS, {"first": 20, **variables})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["viewer"]["applications"]
    return result
