"""Shared steps of the review tests: filings waiting at a stage, staff users of each role in a scope, decisions."""

from __future__ import annotations

from typing import Any

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    ApplicationStep,
    Enterprise,
    OutboxMessage,
    Person,
    StaffRole,
    StaffUser,
    StepOutcome,
)
from domain import filings, review
from domain.accounts import hash_password
from domain.filings import CorrectionItem
from domain.kernel import clock, keys
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from tests.filing_helpers import make_enterprise

META = RequestMeta(ip="203.0.113.7", user_agent="review-test")
STAFF_PASSWORD = "Shencha-mima#2026"
ITEMS = (CorrectionItem("ID_CARD_UNCLEAR", "身份证国徽面照片不清晰，请重新上传", "attachmentIds"),)
_serial = iter(range(1, 10**6))


async def filing(
    person: Person,
    status: ApplicationStatus,
    enterprise: Enterprise | None,
    specialties: list[str] | None = None,
    kind: ApplicationKind = ApplicationKind.INITIAL,
    reviewed: list[str] | None = None,
) -> Application:
    """A filing past the pre-check, waiting at `status` in its queue (as the pre-check leaves it), with its steps."""
    now = clock.now()
    application = await Application.create(
        person_id=person.id,
        kind=kind,
        status=ApplicationStatus.SUBMITTED,
        open_key=f"{person.id}:{kind.value}:{next(_serial)}",  # several open filings per test
        enterprise=enterprise,
        specialty_codes=specialties if specialties is not None else ["01"],
        reviewed_specialty_codes=reviewed,
        details={"reason": "LOST"} if kind is ApplicationKind.CERTIFICATE_REPLACEMENT else {},
        terms_version="v1",
        terms_accepted_at=now,
        submitted_at=now,
        updated_at=now,
    )
    columns = filings.entering(application, status) if status in filings.REVIEW_STAGES else {"status": status}
    await Application.filter(id=application.id).update(**columns)
    for seq, stage, outcome in ((1, "SUBMISSION", StepOutcome.DONE), (2, "PRECHECK", StepOutcome.PASSED)):
        await ApplicationStep.create(
            application_id=application.id, seq=seq, stage=stage, outcome=outcome, actor_role="SYSTEM",
            created_at=now, items=[],
        )  # fmt: skip
    return await Application.get(id=application.id)


async def staff_user(
    role: StaffRole, enterprise: Enterprise | None = None, specialties: list[str] | None = None, username: str = ""
) -> StaffUser:
    """A real staff account (steps name who acted) that can log in with STAFF_PASSWORD."""
    return await StaffUser.create(
        username=username or f"{role.value.lower().replace('_', '-')}-{next(_serial)}",
        display_name="审查员",
        role=role,
        province_code="11" if role is StaffRole.PROVINCE else None,
        enterprise=enterprise,
        specialty_codes=specialties,
        password_hash=await hash_password(STAFF_PASSWORD),
    )


def actor_of(row: StaffUser) -> Actor:
    """The actor a session of this staff user resolves to."""
    return Actor(
        ActorKind.STAFF,
        row.id,
        0,
        role=row.role.value,
        enterprise_id=row.enterprise_id,  # type: ignore[attr-defined]
        label=row.username,
        specialty_codes=tuple(row.specialty_codes or ()),
    )


async def staff(role: StaffRole, enterprise: Enterprise | None = None, specialties: list[str] | None = None) -> Actor:
    return actor_of(await staff_user(role, enterprise, specialties))


async def decide(app: Any, actor: Actor, application: Application, action: review.Action, **kwargs: Any) -> Any:
    """The decision through the domain; the Application or the DomainError raised."""
    decision = review.Decision(application.id, action, **kwargs)
    return await review.decide(app.state.deps, actor, decision, META)


async def sms_texts(mobile: str) -> list[str]:
    """The SMS notices queued to a mobile and not yet sent (a sent one has its text wiped), decrypted."""
    rows = await OutboxMessage.filter(job_name="send_sms").order_by("id")
    return [
        keys.decrypt(row.payload["text"])
        for row in rows
        if row.payload.get("mobile") == mobile and row.payload.get("text")
    ]


async def other_enterprise() -> Enterprise:
    return await make_enterprise()
