"""Filing applicants for the issue-9 figures, written through the real code: a person with a complete profile,
real-name verification passed, an imported qualification matched by ID number, a session; a qualified enterprise."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from stdnum.cn import ric

from bench.data import BENCH_META
from db.models import (
    Enterprise,
    OutboxMessage,
    Person,
    Qualification,
    VerificationAttempt,
    VerificationMethod,
    VerificationStatus,
)
from domain import accounts
from domain.accounts import sessions
from domain.accounts.dev_seed import credit_code
from domain.kernel import clock, keys
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.jobs import Job

PROFILE: dict[str, Any] = {
    "ethnicity": "汉族",
    "email": "bench@example.com",
    "education": "大学本科",
    "degree": "学士",
    "school": "同济大学",
}
CODE_RE = re.compile(r"\d{6}")


@dataclass(frozen=True)
class Applicant:
    """A person ready to file initial registration, with a Bearer token and (once issued) a filing SMS code."""

    person_id: int
    session_id: int
    token: str
    mobile: str
    meta: RequestMeta
    sms_code: str = ""


def id_number(index: int) -> str:
    """A valid resident ID number (GB 11643 check character), born 1985, serial `index`."""
    first17 = f"110101{date(1985, 1, 1) + timedelta(days=index // 900):%Y%m%d}{index % 900 + 100:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


async def qualified_enterprise() -> Enterprise:
    """The bench's employer (created once per database)."""
    code = credit_code("91110000MA0000B09")
    found = await Enterprise.get_or_none(credit_code=code)
    if found is not None:
        return found
    return await Enterprise.create(
        name="示范建设工程有限公司基准", credit_code=code, province_code="11", qualification_status="QUALIFIED"
    )


async def make_applicant(index: int, specialty: str = "01") -> Applicant:
    """Person, verification passed (as the on-site officer records it), qualification, session."""
    resident = accounts.parse_id_number(id_number(index))
    person = await Person.create(
        real_name="王建",
        mobile=f"137{index:08d}",
        password_hash="not-a-login",
        **accounts.id_number_columns(resident),
        **PROFILE,
    )
    now = clock.now()
    await VerificationAttempt.create(
        person_id=person.id,
        method=VerificationMethod.ONSITE,
        status=VerificationStatus.PASSED,
        outer_order_no=f"B{person.id:031d}",
        provider="onsite",
        created_at=now,
        expires_at=now,
        completed_at=now,
    )
    digest = accounts.id_number_digest(id_number(index))
    await Qualification.create(
        id_number_digest=digest,
        id_number_masked=person.id_number_masked,
        real_name="王建",
        specialty_code=specialty,
        certificate_number=f"B{specialty}{index:010d}",
        issued_on=clock.business_date() - timedelta(days=365),
        temporary=False,
        imported_at=now,
    )
    meta = RequestMeta(ip=f"198.51.{index // 250}.{index % 250 + 1}", user_agent=BENCH_META.user_agent)
    issued = await sessions.open_session(meta, person=person)
    return Applicant(person.id, issued.session.id, issued.token, person.mobile, meta)


async def issue_filing_code(deps: Deps, applicant: Applicant) -> Applicant:
    """The real `requestSmsCode` step (limits, hashed code in Redis, SMS through the outbox); the code is read back
    from the outbox message, as the worker would deliver it to the dev inbox."""
    actor = Actor(ActorKind.PERSON, applicant.person_id, applicant.session_id)
    request = accounts.SmsCodeRequest(accounts.SmsPurpose.FILING_INITIAL)
    await accounts.request_sms_code(deps, actor, request, applicant.meta)
    rows = await OutboxMessage.filter(job_name=Job.SEND_SMS.value).order_by("-created_at").limit(20)
    for row in rows:
        if row.payload.get("mobile") == applicant.mobile:
            found = CODE_RE.search(keys.decrypt(row.payload["text"]))
            assert found is not None, "an SMS without a code"
            return Applicant(**{**applicant.__dict__, "sms_code": found.group()})
    raise AssertionError(f"no SMS queued for {applicant.mobile}")
