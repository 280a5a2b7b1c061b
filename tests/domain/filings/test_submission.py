"""submit(): the gates in order, the commitment, the SMS code bound to kind and mobile (used up only by an accepted
filing), one unit of work (application, first step, trail, outbox job, event), one open filing per kind."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from db.models import Application, ApplicationStep, FilingBan, OutboxMessage, Person, TrailEntry
from domain import filings
from domain.accounts import sms_codes
from domain.accounts.sms_delivery import DevInboxGateway
from domain.kernel import clock, events
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from domain.kernel.errors import DomainError, DomainErrors
from tests.domain.filings.helpers import codes_raised, make_person
from tests.filing_helpers import make_enterprise, qualification, verify
from tests.helpers import clear_dev_inbox, sms_code_of
from tests.workers.burst import run_burst

META = RequestMeta("203.0.113.10", "pytest")


def actor(person: Person) -> Actor:
    return Actor(kind=ActorKind.PERSON, id=person.id, session_id=0)


async def code_for(app: Any, kind: str, mobile: str) -> str:
    """A code for the kind sent to the mobile, read from the dev inbox after the worker delivered it."""
    clear_dev_inbox()
    await app.state.deps.redis.delete(f"sms:interval:{mobile}")
    await sms_codes.send_code(app.state.deps, f"FILING_{kind}", mobile, META)
    await run_burst(app)
    return sms_code_of(DevInboxGateway().latest(mobile)[0])


async def initial(person: Person) -> filings.InitialDraft:
    await qualification(person.id_number_digest, person.id_number_masked, "01")
    enterprise = await make_enterprise()
    today = clock.business_date()
    return filings.InitialDraft(
        enterprise_id=enterprise.id,
        contract_start=today - timedelta(days=10),
        contract_end=today + timedelta(days=500),
        specialty_codes=["01"],
    )


async def submit(app: Any, person: Person, draft: Any, code: str, accept: bool = True) -> Application:
    submission = filings.Submission(draft=draft, accept_terms=accept, sms_code=code)
    return await filings.submit(app.state.deps, actor(person), submission, META)


async def refused(app: Any, person: Person, draft: Any, code: str, accept: bool = True) -> list[str]:
    with pytest.raises((DomainError, DomainErrors)) as caught:
        await submit(app, person, draft, code, accept)
    assert isinstance(caught.value, DomainError | DomainErrors)
    return codes_raised(caught.value)


async def test_the_gates_come_first_in_order(app: Any) -> None:
    person = await make_person(verified=False, complete=False)
    draft = filings.InitialDraft()  # every field wrong too: the gates answer alone
    assert await refused(app, person, draft, "123456") == ["NOT_VERIFIED"]
    await verify(person.id)
    with pytest.raises(DomainError) as caught:
        await submit(app, person, draft, "123456")
    assert caught.value.code.value == "PROFILE_INCOMPLETE"
    assert "学历" in caught.value.message and "毕业院校" in caught.value.message
    assert "民族" not in caught.value.message  # optional (DOMAIN.md); 国籍 always has a value
    await Person.filter(id=person.id).update(ethnicity="汉族", education="大学本科", degree="学士", school="同济大学")
    ends = clock.business_date() + timedelta(days=200)
    await FilingBan.create(person_id=person.id, reason="提供虚假材料", ends_on=ends, created_at=clock.now())
    with pytest.raises(DomainError) as banned:
        await submit(app, await Person.get(id=person.id), draft, "123456")
    assert banned.value.code.value == "FILING_BANNED"
    assert f"{ends.year}年{ends.month}月{ends.day}日" in banned.value.message


async def test_an_ended_ban_no_longer_stops_filing(app: Any) -> None:
    person = await make_person()
    today = clock.business_date()
    await FilingBan.create(person_id=person.id, reason="提供虚假材料", ends_on=today, created_at=clock.now())
    draft = await initial(person)
    code = await code_for(app, "INITIAL", person.mobile)
    assert (await submit(app, person, draft, code)).status.value == "SUBMITTED"


async def test_terms_code_and_rules_are_reported_together(app: Any) -> None:
    person = await make_person()
    draft = await initial(person)
    wrong = filings.InitialDraft(enterprise_id=0, specialty_codes=["02"])
    assert await refused(app, person, wrong, "12345x", accept=False) == [
        "ENTERPRISE_NOT_FOUND",
        "NOT_QUALIFIED_IN_SPECIALTY",
        "REQUIRED",
        "REQUIRED",
        "SMS_CODE_INVALID",
        "TERMS_NOT_ACCEPTED",
    ]
    assert await refused(app, person, draft, "") == ["REQUIRED"]  # no code given


async def test_the_code_is_bound_to_the_kind_and_the_current_mobile(app: Any) -> None:
    person = await make_person()
    draft = await initial(person)
    renewal_code = await code_for(app, "RENEWAL", person.mobile)
    assert await refused(app, person, draft, renewal_code) == ["SMS_CODE_INVALID"]
    code = await code_for(app, "INITIAL", person.mobile)
    await Person.filter(id=person.id).update(mobile="13700001111")  # the mobile changed since the code was sent
    assert await refused(app, await Person.get(id=person.id), draft, code) == ["SMS_CODE_INVALID"]
    await Person.filter(id=person.id).update(mobile=person.mobile)
    assert (await submit(app, person, draft, code)).kind.value == "INITIAL"


async def test_a_refused_filing_keeps_the_code_an_accepted_one_uses_it(app: Any) -> None:
    person = await make_person()
    draft = await initial(person)
    code = await code_for(app, "INITIAL", person.mobile)
    for _ in range(6):  # more than the wrong-guess limit: a right code refused for its inputs is not a guess
        assert await refused(app, person, filings.InitialDraft(), code) == [
            "REQUIRED",
            "REQUIRED",
            "REQUIRED",
            "REQUIRED",
        ]
    await submit(app, person, draft, code)
    await Application.all().update(open_key=None)  # as if closed: only the code can refuse now
    assert await refused(app, person, draft, code) == ["SMS_CODE_INVALID"]


async def test_wrong_guesses_through_filings_count(app: Any) -> None:
    person = await make_person()
    draft = await initial(person)
    code = await code_for(app, "INITIAL", person.mobile)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert await refused(app, person, draft, wrong) == ["SMS_CODE_INVALID"]
    assert await refused(app, person, draft, code) == ["SMS_CODE_INVALID"]  # dead after five wrong guesses


async def test_one_unit_of_work_and_its_event(app: Any) -> None:
    person = await make_person()
    draft = await initial(person)
    code = await code_for(app, "INITIAL", person.mobile)
    pubsub = app.state.deps.redis.pubsub()
    await pubsub.subscribe(events.person_channel(person.id))
    application = await submit(app, person, draft, code)
    assert application.open_key == f"{person.id}:INITIAL" and application.terms_version
    step = await ApplicationStep.get(application_id=application.id)
    assert (step.seq, step.stage, step.outcome.value, step.actor_role) == (1, "SUBMISSION", "DONE", "APPLICANT")
    trail = await TrailEntry.filter(person_id=person.id).order_by("-seq").first()
    assert trail is not None and trail.action == "APPLICATION_SUBMITTED" and "初始注册" in trail.description
    job = await OutboxMessage.get(job_name="precheck_application")
    assert job.payload == {"application_id": application.id}
    message = None
    for _ in range(50):
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
        if message:
            break
    await pubsub.aclose()
    assert message is not None
    assert json.loads(message["data"]) == {"type": "application.step", "applicationId": application.id, "seq": 1}


async def test_one_open_filing_per_kind(app: Any) -> None:
    person = await make_person()
    draft = await initial(person)
    await submit(app, person, draft, await code_for(app, "INITIAL", person.mobile))
    code = await code_for(app, "INITIAL", person.mobile)
    assert await refused(app, person, draft, code) == ["APPLICATION_ALREADY_OPEN"]
    assert await Application.all().count() == 1


def test_every_kind_has_its_own_sms_purpose() -> None:
    purposes = {filings.sms_purpose(kind) for kind in filings.ApplicationKind}
    assert len(purposes) == len(filings.ApplicationKind)
