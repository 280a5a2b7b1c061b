"""Submitting a filing (注册申报): the gates, the commitment, the SMS code bound to the kind and the person's mobile,
the kind's rules, then one unit of work: the Application, its first step, the trail entry, the pre-check job and the
progress event. One open filing per kind and person holds under any concurrency through `open_key`'s unique index."""

from __future__ import annotations

import re
from typing import Any

from redis.asyncio import Redis
from tortoise.exceptions import IntegrityError

from db.models import Application, ApplicationKind, Person, StepOutcome
from domain import accounts
from domain.filings.drafts import KindHandler, Submission, handler_for
from domain.filings.eligibility import load_applicant, require_may_file
from domain.filings.steps import ActorRole, NewStep, Stage, append_step
from domain.kernel import clock
from domain.kernel.actors import Actor, RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError, DomainErrors, ErrorCode
from domain.kernel.jobs import Job
from domain.kernel.settings import get_settings
from domain.trail import BusinessStep, TrailAction, business_step

SMS_CODE_RE = re.compile(r"^\d{6}$")


def open_key(person_id: int, kind: ApplicationKind) -> str:
    """The value of the unique `open_key` while a filing of this kind is open (NULL once it is closed)."""
    return f"{person_id}:{kind.value}"


def sms_purpose(kind: ApplicationKind) -> accounts.SmsPurpose:
    """The SMS purpose of a kind: a code asked for one kind files no other."""
    return accounts.SmsPurpose(f"FILING_{kind.value}")


def _sms_code(submission: Submission[Any]) -> str:
    return submission.sms_code.strip()[:20]


async def commitment_errors(
    redis: Redis, person: Person, kind: ApplicationKind, submission: Submission[Any]
) -> list[DomainError]:
    """The commitment accepted, and the SMS code for this kind sent to the person's current mobile: checked (a
    wrong guess counts) but not used up, so a filing refused for its inputs keeps the code for the corrected one."""
    errors = [] if submission.accept_terms is True else [DomainError(ErrorCode.TERMS_NOT_ACCEPTED, "accept_terms")]
    code = _sms_code(submission)
    if not code:
        errors.append(DomainError(ErrorCode.REQUIRED, "sms_code", "请填写短信验证码。"))
    elif not SMS_CODE_RE.match(code):
        errors.append(DomainError(ErrorCode.SMS_CODE_INVALID, "sms_code"))
    else:
        try:
            await accounts.check_sms_code(redis, sms_purpose(kind).value, person.mobile, code)
        except DomainError as exc:
            errors.append(exc)
    return errors


async def submit(deps: Deps, actor: Actor, submission: Submission[Any], meta: RequestMeta) -> Application:
    """File one application: gates, commitment and code, the kind's rules (every error at once), then one step."""
    handler = handler_for(submission.draft.kind)
    person = await Person.get(id=actor.id)
    await require_may_file(person)
    errors = await commitment_errors(deps.redis, person, handler.kind, submission)
    applicant = await load_applicant(person)
    errors += await handler.check(applicant, submission.draft)
    key = open_key(person.id, handler.kind)
    if await Application.exists(open_key=key):
        errors.append(DomainError(ErrorCode.APPLICATION_ALREADY_OPEN))
    if errors:
        raise DomainErrors(errors)
    try:
        async with business_step(deps, meta) as step:
            application = await _record(step, handler, person, key, handler.fields(applicant, submission.draft))
            # Last, inside the transaction: the code is used up only with an accepted filing; if another request
            # used it meanwhile, this one rolls back.
            await accounts.consume_sms_code(
                deps.redis, sms_purpose(handler.kind).value, person.mobile, _sms_code(submission)
            )
    except IntegrityError as exc:  # a concurrent filing of the same kind committed first (open_key is unique)
        raise DomainError(ErrorCode.APPLICATION_ALREADY_OPEN) from exc
    return application


async def _record(step: BusinessStep, handler: KindHandler[Any], person: Person, key: str, fields: Any) -> Application:
    """The Application, its first step, the trail entry and the pre-check job."""
    now = clock.now()
    application = await Application.create(
        person_id=person.id,
        kind=handler.kind,
        open_key=key,
        temporary=fields.temporary,
        enterprise_id=fields.enterprise_id,
        contract_start=fields.contract_start,
        contract_end=fields.contract_end,
        specialty_codes=fields.specialty_codes,
        details=fields.details,
        terms_version=get_settings().filing_terms_version,
        terms_accepted_at=now,
        submitted_at=now,
        updated_at=now,
    )
    await append_step(
        step, application, NewStep(Stage.SUBMISSION, StepOutcome.DONE, ActorRole.APPLICANT, "申请人提交申报")
    )
    await step.trail(person.id, TrailAction.APPLICATION_SUBMITTED, f"提交{handler.label}申报（编号{application.id}）")
    await step.enqueue(Job.PRECHECK_APPLICATION, {"application_id": application.id})
    return application
