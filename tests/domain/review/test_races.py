"""Racing decisions: exactly one wins, the others get CONFLICT; one step, one SMS, one approval job."""

from __future__ import annotations

import asyncio
from typing import Any

from db.models import Application, ApplicationStatus, ApplicationStep, FilingBan, OutboxMessage, Person, StaffRole
from domain.kernel import clock
from domain.kernel.errors import DomainError, ErrorCode
from domain.review import Action
from tests.filing_helpers import make_enterprise
from tests.helpers import Api
from tests.review_helpers import decide, filing, sms_texts, staff


def split(results: list[Any]) -> tuple[list[Application], list[BaseException]]:
    won = [r for r in results if isinstance(r, Application)]
    return won, [r for r in results if not isinstance(r, Application)]


async def test_ten_confirmations_at_once_one_wins(api: Api, app: Any) -> None:
    await api.signed_up()
    person = await Person.get()
    enterprise = await make_enterprise()
    application = await filing(person, ApplicationStatus.ENTERPRISE_CONFIRMATION, enterprise)
    clerks = [await staff(StaffRole.ENTERPRISE, enterprise) for _ in range(10)]
    results = await asyncio.gather(
        *(decide(app, clerk, application, Action.CONFIRM) for clerk in clerks), return_exceptions=True
    )
    won, lost = split(results)
    assert len(won) == 1, results
    assert all(isinstance(r, DomainError) and r.code is ErrorCode.CONFLICT for r in lost), lost
    assert (await Application.get(id=application.id)).status is ApplicationStatus.MINISTRY_REVIEW
    assert await ApplicationStep.filter(application_id=application.id).count() == 3
    assert len(await sms_texts(person.mobile)) == 1


async def test_racing_approvals_and_refusals_write_one_approval_job(api: Api, app: Any) -> None:
    await api.signed_up()
    person = await Person.get()
    application = await filing(person, ApplicationStatus.MINISTRY_REVIEW, None)
    ministry = [await staff(StaffRole.MINISTRY) for _ in range(6)]
    decisions = [
        decide(app, actor, application, Action.APPROVE if n % 2 else Action.REJECT, comment="意见")
        for n, actor in enumerate(ministry)
    ]
    won, lost = split(await asyncio.gather(*decisions, return_exceptions=True))
    assert len(won) == 1 and len(lost) == 5
    approved = won[0].status is ApplicationStatus.APPROVED
    assert await OutboxMessage.filter(job_name="apply_approval").count() == (1 if approved else 0)
    again = await asyncio.gather(
        *(decide(app, actor, application, Action.APPROVE) for actor in ministry[:3]), return_exceptions=True
    )
    assert all(isinstance(r, DomainError) and r.code is ErrorCode.ALREADY_DECIDED for r in again)
    assert await OutboxMessage.filter(job_name="apply_approval").count() == (1 if approved else 0)


async def test_false_materials_refuse_and_ban_filing_for_a_year(api: Api, app: Any) -> None:
    await api.signed_up()
    person = await Person.get()
    application = await filing(person, ApplicationStatus.MINISTRY_REVIEW, None)
    ministry = await staff(StaffRole.MINISTRY)
    refused = await decide(app, ministry, application, Action.REJECT, comment="学历证明系伪造", false_materials=True)
    assert refused.status is ApplicationStatus.REFUSED and refused.open_key is None
    ban = await FilingBan.get(person_id=person.id)
    today = clock.business_date()
    assert ban.ends_on == today.replace(year=today.year + 1) or (today.month, today.day) == (2, 29)
    assert ban.staff_id == ministry.id and f"申报编号{application.id}" in ban.reason  # type: ignore[attr-defined]
