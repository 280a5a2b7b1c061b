"""The effect of an approved filing (the `apply_approval` job): in one unit of work, once per application, the
registration changes as the kind says and a new certificate version is issued (none for a cancellation)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Certificate,
    OutboxMessage,
    Person,
    Registration,
    RegistrationStatus,
)
from domain import accounts, filings
from domain.certificates import registrations
from domain.certificates.numbering import with_check
from domain.certificates.versions import SupersededReason, issue, supersede_current
from domain.kernel import clock, outbox
from domain.kernel.actors import RequestMeta
from domain.kernel.deps import Deps
from domain.kernel.errors import DomainError
from domain.trail import BusinessStep, TrailAction, business_step

SYSTEM = RequestMeta.internal("apply_approval")
APPROVED_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.ANNOUNCED)
Effect = Callable[[BusinessStep, Application], Awaitable[Certificate | None]]


async def apply_approval(deps: Deps, outbox_id: str) -> str:
    """Job body: apply the approved filing of one outbox row (`issued`, `cancelled`, `applied`); `skipped` when it
    was applied before (a job may run twice). A state the effect cannot apply to is `failed: CODE` (kept visible
    on the outbox row; nothing was written)."""
    message = await outbox.claim(outbox_id)
    if message is None:
        return "skipped"
    try:
        async with business_step(deps, SYSTEM) as step:
            outcome = await apply_once(step, int(message.payload["application_id"]))
            await outbox.mark_done(message)
    except DomainError as exc:
        return await _failed(message, exc)
    return outcome


async def _failed(message: OutboxMessage, exc: DomainError) -> str:
    await outbox.mark_failed(message, f"{exc.code.value}: {exc.message}")
    return f"failed: {exc.code.value}"


async def apply_once(step: BusinessStep, application_id: int) -> str:
    """Inside the step: claim the effect (conditional update of effect_applied_at), then apply the kind's effect."""
    claimed = await Application.filter(
        id=application_id, effect_applied_at__isnull=True, status__in=APPROVED_STATUSES
    ).update(effect_applied_at=clock.now())
    if claimed != 1:
        return "skipped"  # applied already (another run), or not approved
    application = await Application.get(id=application_id)
    certificate = await EFFECTS[application.kind](step, application)
    person = await Person.get(id=application.person_id)  # type: ignore[attr-defined]
    if certificate is not None:
        await _announce_issue(step, person, application, certificate)
        return "issued"
    if application.kind is ApplicationKind.CANCELLATION:
        await _announce_cancellation(step, person, application)
        return "cancelled"
    return "applied"


def _event(application: Application, certificate: Certificate | None) -> dict[str, Any]:
    return {
        "type": "certificate",
        "applicationId": application.id,
        "certificateId": certificate.id if certificate is not None else None,
    }


async def _announce_issue(step: BusinessStep, person: Person, application: Application, cert: Certificate) -> None:
    """Trail, event and SMS: the certificate is ready."""
    numbered = with_check(cert.number, cert.seal_check)
    label = filings.handler_for(application.kind).label
    description = f"证书已签发：注册编号{numbered}（{label}，申报编号{application.id}）"
    await step.trail(person.id, TrailAction.CERTIFICATE_ISSUED, description, "系统")
    step.publish(person.id, _event(application, cert))
    text = f"您的一级建造师注册证书已签发，注册编号{numbered}，请登录个人入口在“我的证书”中查看。"
    await accounts.notify_by_sms(step, person.mobile, text)


async def _announce_cancellation(step: BusinessStep, person: Person, application: Application) -> None:
    """Trail, event and SMS: the registration is cancelled and its certificate no longer valid."""
    description = f"注册已注销，注册证书作废（申报编号{application.id}）"
    await step.trail(person.id, TrailAction.REGISTRATION_CANCELLED, description, "系统")
    step.publish(person.id, _event(application, None))
    await accounts.notify_by_sms(step, person.mobile, "您的一级建造师注册已注销，原注册证书作废。")


async def _register(step: BusinessStep, application: Application) -> Certificate:
    """初始注册 / 重新注册: the registration with a new number and its first version (seal check 00)."""
    registration, before = await registrations.register(application)
    if before is not None:  # a re-activated registration: any version still current ends with it
        reason = SupersededReason.LAPSED if before is RegistrationStatus.LAPSED else SupersededReason.CANCELLED
        await supersede_current(registration.id, reason)
    return await issue(registration, application)


async def _reissued(registration: Registration, application: Application, reason: SupersededReason) -> Certificate:
    await supersede_current(registration.id, reason)
    return await issue(registration, application)


async def _change(step: BusinessStep, application: Application) -> Certificate:
    """变更注册: the new employer, the expiry kept; reissued."""
    enterprise_id: int = application.enterprise_id  # type: ignore[attr-defined]
    registration = await registrations.reissuing(application, enterprise_id)
    return await _reissued(registration, application, SupersededReason.CHANGED)


async def _add_specialty(step: BusinessStep, application: Application) -> Certificate:
    """增项注册: the specialty with its own 3 years; reissued."""
    registration = await registrations.reissuing(application)
    await registrations.add_specialty(registration, list(application.specialty_codes))
    return await _reissued(registration, application, SupersededReason.CHANGED)


async def _renewal(step: BusinessStep, application: Application) -> Certificate:
    """延续注册: the chosen specialties 3 years on from their expiry; reissued."""
    registration = await registrations.reissuing(application)
    await registrations.renew(registration, list(application.specialty_codes))
    return await _reissued(registration, application, SupersededReason.CHANGED)


async def _replacement(step: BusinessStep, application: Application) -> Certificate:
    """证书更换: the same facts, seal check code + 1; the old version REPLACED."""
    registration = await registrations.reissuing(application)
    return await _reissued(registration, application, SupersededReason.REPLACED)


async def _cancellation(step: BusinessStep, application: Application) -> None:
    """注销: the registration ends; its current version CANCELLED; no new one."""
    registration = await registrations.cancel(application)
    await supersede_current(registration.id, SupersededReason.CANCELLED)


async def _personal_info(step: BusinessStep, application: Application) -> Certificate | None:
    """个人信息修改: the person's new name / ID number; reissued when registered."""
    person = await filings.apply_personal_info_change(step, application)
    if await registrations.active_registration(person.id) is None:
        return None
    registration = await registrations.reissuing(application)
    return await _reissued(registration, application, SupersededReason.CHANGED)


EFFECTS: dict[ApplicationKind, Effect] = {
    ApplicationKind.INITIAL: _register,
    ApplicationKind.REREGISTRATION: _register,
    ApplicationKind.CHANGE: _change,
    ApplicationKind.ADD_SPECIALTY: _add_specialty,
    ApplicationKind.RENEWAL: _renewal,
    ApplicationKind.CANCELLATION: _cancellation,
    ApplicationKind.CERTIFICATE_REPLACEMENT: _replacement,
    ApplicationKind.PERSONAL_INFO_CHANGE: _personal_info,
}
