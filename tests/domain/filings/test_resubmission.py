"""补正: a reviewing stage returns a filing with the items to correct (a staff decision of domain.review, in the
staff user's scope); the applicant resubmits once per notice."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from db.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    ApplicationStep,
    Enterprise,
    Person,
    StaffRole,
    StaffUser,
    StepOutcome,
    TrailEntry,
)
from domain import review
from domain.accounts.dev_seed import credit_code
from domain.filings.resubmission import CorrectionItem, Resubmission, resubmit
from domain.kernel import clock, events
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from domain.kernel.errors import DomainError, ErrorCode
from tests.helpers import VALID_ID_2, Api
from tests.workers.verification.helpers import drain

META = RequestMeta(ip="203.0.113.5", user_agent="test")
ITEMS = [CorrectionItem("ID_CARD_UNCLEAR", "身份证国徽面照片不清晰，请重新上传", "attachmentIds")]


async def employer() -> Enterprise:
    """The employer every filing here names (its staff may review them)."""
    enterprise, _ = await Enterprise.get_or_create(
        credit_code=credit_code("91110000MA0000099"), defaults={"name": "示范建设有限公司", "province_code": "11"}
    )
    return enterprise


async def staff(role: StaffRole) -> Actor:
    """A staff account of the role (a real row: steps name the staff who acted) whose scope holds the filings here:
    the employer's staff, the reviewer of specialty 02."""
    row, _ = await StaffUser.get_or_create(
        username=f"t-{role.value.lower()}", defaults={"display_name": "测试", "role": role, "password_hash": "-"}
    )
    enterprise_id = (await employer()).id if role is StaffRole.ENTERPRISE else None
    return Actor(
        kind=ActorKind.STAFF, id=row.id, session_id=0, role=role.value, enterprise_id=enterprise_id,
        specialty_codes=("02",),
    )  # fmt: skip


async def return_for_correction(
    deps: Any, meta: RequestMeta, application_id: int, items: list[CorrectionItem], actor: Actor, comment: str = ""
) -> Application:
    """退回补正 as the staff decision it is."""
    decision = review.Decision(application_id, review.Action.RETURN, comment, tuple(items))
    return await review.decide(deps, actor, decision, meta)


def person_actor(person_id: int) -> Actor:
    return Actor(kind=ActorKind.PERSON, id=person_id, session_id=0)


async def filed(api: Api, status: ApplicationStatus, person_id: int | None = None) -> Application:
    """A filing already past the pre-check, waiting at `status`, with its first steps."""
    if person_id is None:
        await api.signed_up()
        person_id = (await Person.get()).id
    now = clock.now()
    kind_replacement = ApplicationKind.CERTIFICATE_REPLACEMENT
    application = await Application.create(
        person_id=person_id,
        # a filing waits at SPECIALTY_REVIEW only when it grants or extends a specialty its ministry reviews
        kind=ApplicationKind.RENEWAL if status is ApplicationStatus.SPECIALTY_REVIEW else kind_replacement,
        status=status,
        open_key=f"{person_id}:CERTIFICATE_REPLACEMENT",
        enterprise=await employer(),
        details={"reason": "LOST"},
        specialty_codes=["02"] if status is ApplicationStatus.SPECIALTY_REVIEW else [],
        terms_version="v1",
        terms_accepted_at=now,
        submitted_at=now,
        updated_at=now,
    )
    for seq, stage in ((1, "SUBMISSION"), (2, status.value)):
        await ApplicationStep.create(
            application_id=application.id, seq=seq, stage=stage, outcome=StepOutcome.DONE if seq == 1 else
            StepOutcome.PENDING, actor_role="APPLICANT", created_at=now, items=[],
        )  # fmt: skip
    return application


def deps(api: Api) -> Any:
    return api.app.state.deps


async def steps_of(application: Application) -> list[tuple[str, StepOutcome, str]]:
    rows = await ApplicationStep.filter(application_id=application.id).order_by("seq")
    return [(row.stage, row.outcome, row.actor_role) for row in rows]


@pytest.mark.parametrize(
    ("stage", "role"),
    [
        (ApplicationStatus.ENTERPRISE_CONFIRMATION, StaffRole.ENTERPRISE),
        (ApplicationStatus.SPECIALTY_REVIEW, StaffRole.SPECIALTY_MINISTRY),
        (ApplicationStatus.MINISTRY_REVIEW, StaffRole.MINISTRY),
    ],
)
async def test_a_return_lists_the_items_and_the_resubmission_goes_back_to_that_stage(
    api: Api, redis: Any, stage: ApplicationStatus, role: StaffRole
) -> None:
    application = await filed(api, stage)
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel(application.person_id))  # type: ignore[attr-defined]
    returned = await return_for_correction(deps(api), META, application.id, ITEMS, await staff(role), comment="请补正")
    assert returned.status is ApplicationStatus.RETURNED and returned.version == application.version + 1
    notice = await ApplicationStep.get(application_id=application.id, seq=3)
    assert (notice.stage, notice.outcome, notice.actor_role, notice.comment) == (
        stage.value,
        StepOutcome.RETURNED,
        role.value,
        "请补正",
    )
    assert notice.items == [
        {"code": "ID_CARD_UNCLEAR", "message": "身份证国徽面照片不清晰，请重新上传", "field": "attachmentIds"}
    ]
    person_id = application.person_id  # type: ignore[attr-defined]
    back = await resubmit(deps(api), person_actor(person_id), Resubmission(application.id, True, "已重新上传"), META)
    assert back.status is stage and back.version == application.version + 2
    assert (await steps_of(application))[2:] == [
        (stage.value, StepOutcome.RETURNED, role.value),
        ("CORRECTION", StepOutcome.DONE, "APPLICANT"),
    ]
    actions = [e.action for e in await TrailEntry.filter(person_id=person_id).order_by("seq")]
    assert actions[-2:] == ["APPLICATION_RETURNED", "APPLICATION_RESUBMITTED"]
    seen = [event async for _channel, event in drain(pubsub)]
    assert seen == [{"type": "application.step", "applicationId": application.id, "seq": n} for n in (3, 4)]
    await pubsub.aclose()


async def test_only_the_stages_staff_may_return_and_never_at_the_wrong_stage(api: Api) -> None:
    application = await filed(api, ApplicationStatus.SPECIALTY_REVIEW)
    for role in (StaffRole.ADMIN, StaffRole.PROVINCE):
        with pytest.raises(DomainError) as caught:
            await return_for_correction(deps(api), META, application.id, ITEMS, await staff(role))
        assert caught.value.code is ErrorCode.FORBIDDEN
    for role in (StaffRole.ENTERPRISE, StaffRole.MINISTRY):  # in their scope, but not their stage
        with pytest.raises(DomainError) as caught:
            await return_for_correction(deps(api), META, application.id, ITEMS, await staff(role))
        assert caught.value.code is ErrorCode.NOT_AT_STAGE
    with pytest.raises(DomainError) as caught:
        await return_for_correction(deps(api), META, application.id + 99, ITEMS, await staff(StaffRole.MINISTRY))
    assert caught.value.code is ErrorCode.NOT_FOUND
    for status, code in (
        (ApplicationStatus.SUBMITTED, ErrorCode.NOT_AT_STAGE),
        (ApplicationStatus.RETURNED, ErrorCode.NOT_AT_STAGE),
        (ApplicationStatus.APPROVED, ErrorCode.ALREADY_DECIDED),
    ):
        await Application.filter(id=application.id).update(status=status)
        with pytest.raises(DomainError) as caught:
            await return_for_correction(
                deps(api), META, application.id, ITEMS, await staff(StaffRole.SPECIALTY_MINISTRY)
            )
        assert caught.value.code is code


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([], "items"),
        ([CorrectionItem("X", "看")] * 31, "items"),
        ([CorrectionItem("X", "\u200b ")], "items"),
        ([CorrectionItem("X", "长" * 201)], "items"),
        ([CorrectionItem("BAD CODE!", "看")], "items"),
    ],
)
async def test_a_notice_lists_one_to_thirty_bounded_items(api: Api, items: list[CorrectionItem], field: str) -> None:
    application = await filed(api, ApplicationStatus.ENTERPRISE_CONFIRMATION)
    with pytest.raises(DomainError) as caught:
        await return_for_correction(deps(api), META, application.id, items, await staff(StaffRole.ENTERPRISE))
    assert caught.value.field == field
    assert (await Application.get(id=application.id)).status is ApplicationStatus.ENTERPRISE_CONFIRMATION


async def test_resubmission_is_refused_when_nothing_was_returned_or_it_is_not_yours(api: Api) -> None:
    application = await filed(api, ApplicationStatus.ENTERPRISE_CONFIRMATION)
    owner = person_actor(application.person_id)  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as caught:
        await resubmit(deps(api), owner, Resubmission(application.id, True), META)
    assert caught.value.code is ErrorCode.NOT_RETURNED
    await return_for_correction(deps(api), META, application.id, ITEMS, await staff(StaffRole.ENTERPRISE))
    await api.signed_up(id_number=VALID_ID_2, mobile="13800138002")
    other = await Person.get(id_number_masked="1201**********8241")
    with pytest.raises(DomainError) as caught:
        await resubmit(deps(api), person_actor(other.id), Resubmission(application.id, True), META)
    assert caught.value.code is ErrorCode.NOT_FOUND
    with pytest.raises(DomainError) as caught:
        await resubmit(deps(api), owner, Resubmission(application.id, False), META)
    assert (caught.value.field, caught.value.code) == ("accept_terms", ErrorCode.TERMS_NOT_ACCEPTED)
    with pytest.raises(DomainError) as caught:
        await resubmit(deps(api), owner, Resubmission(application.id, True, "长" * 501), META)
    assert (caught.value.field, caught.value.code) == ("note", ErrorCode.TEXT_TOO_LONG)
    assert (await Application.get(id=application.id)).status is ApplicationStatus.RETURNED


async def test_once_per_notice_even_when_ten_resubmissions_race(api: Api) -> None:
    application = await filed(api, ApplicationStatus.MINISTRY_REVIEW)
    owner = person_actor(application.person_id)  # type: ignore[attr-defined]
    for notice in (1, 2):
        await return_for_correction(deps(api), META, application.id, ITEMS, await staff(StaffRole.MINISTRY))
        results = await asyncio.gather(
            *(resubmit(deps(api), owner, Resubmission(application.id, True), META) for _ in range(10)),
            return_exceptions=True,
        )
        won = [r for r in results if isinstance(r, Application)]
        lost = [r for r in results if not isinstance(r, Application)]
        assert len(won) == 1, results
        assert all(isinstance(r, DomainError) and r.code is ErrorCode.NOT_RETURNED for r in lost), lost
        assert await ApplicationStep.filter(application_id=application.id, stage="CORRECTION").count() == notice
    with pytest.raises(DomainError) as caught:  # the second notice was answered too
        await resubmit(deps(api), owner, Resubmission(application.id, True), META)
    assert caught.value.code is ErrorCode.NOT_RETURNED
