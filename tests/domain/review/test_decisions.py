"""Every staff transition the table allows: the conditional update, the step naming the staff user with the next
stage's deadline, the applicant's trail entry, the SMS notice, the event, and on approval the effect's job."""

from __future__ import annotations

from typing import Any

import pytest

from db.models import (
    ApplicationKind,
    ApplicationStatus,
    ApplicationStep,
    Enterprise,
    OutboxMessage,
    Person,
    StaffRole,
    StepOutcome,
    TrailEntry,
)
from domain.kernel import events
from domain.review import Action
from tests.filing_helpers import make_enterprise
from tests.helpers import Api
from tests.review_helpers import ITEMS, decide, filing, sms_texts, staff
from tests.workers.verification.helpers import drain

S = ApplicationStatus
K = ApplicationKind
# stage, kind, specialties, action, role, reviewer's specialties, target, queue after, outcome, trail, SMS has
CASES = [
    (S.ENTERPRISE_CONFIRMATION, K.INITIAL, ["01"], Action.CONFIRM, StaffRole.ENTERPRISE, None, S.MINISTRY_REVIEW,
     "MINISTRY_REVIEW|M", StepOutcome.PASSED, "APPLICATION_CONFIRMED", "已通过聘用企业确认，现待住房和城乡建设部审查"),
    (S.ENTERPRISE_CONFIRMATION, K.INITIAL, ["01", "02"], Action.CONFIRM, StaffRole.ENTERPRISE, None,
     S.SPECIALTY_REVIEW, "SPECIALTY_REVIEW|S:02", StepOutcome.PASSED, "APPLICATION_CONFIRMED", "现待专业部门审查"),
    (S.ENTERPRISE_CONFIRMATION, K.CANCELLATION, ["02"], Action.CONFIRM, StaffRole.ENTERPRISE, None, S.APPROVED, None,
     StepOutcome.PASSED, "APPLICATION_APPROVED", "已获批准"),
    (S.SPECIALTY_REVIEW, K.INITIAL, ["02", "03"], Action.APPROVE, StaffRole.SPECIALTY_MINISTRY, ["02"],
     S.SPECIALTY_REVIEW, "SPECIALTY_REVIEW|S:03", StepOutcome.PASSED, "APPLICATION_REVIEWED",
     "已通过专业部门审查（公路工程），现待专业部门审查"),
    (S.SPECIALTY_REVIEW, K.ADD_SPECIALTY, ["06"], Action.APPROVE, StaffRole.SPECIALTY_MINISTRY, ["06", "08"],
     S.MINISTRY_REVIEW, "MINISTRY_REVIEW|M", StepOutcome.PASSED, "APPLICATION_REVIEWED", "现待住房和城乡建设部审查"),
    (S.SPECIALTY_REVIEW, K.INITIAL, ["02"], Action.REJECT, StaffRole.SPECIALTY_MINISTRY, ["02"], S.REFUSED, None,
     StepOutcome.REFUSED, "APPLICATION_REFUSED", "未予批准"),
    (S.MINISTRY_REVIEW, K.INITIAL, ["01"], Action.APPROVE, StaffRole.MINISTRY, None, S.APPROVED, None,
     StepOutcome.PASSED, "APPLICATION_APPROVED", "初始注册申报"),
    (S.MINISTRY_REVIEW, K.RENEWAL, ["01"], Action.REJECT, StaffRole.MINISTRY, None, S.REFUSED, None,
     StepOutcome.REFUSED, "APPLICATION_REFUSED", "经住房和城乡建设部审查，未予批准"),
    (S.ENTERPRISE_CONFIRMATION, K.CHANGE, ["01"], Action.RETURN, StaffRole.ENTERPRISE, None, S.RETURNED, None,
     StepOutcome.RETURNED, "APPLICATION_RETURNED", "需要补正（聘用企业确认）"),
    (S.SPECIALTY_REVIEW, K.INITIAL, ["03"], Action.RETURN, StaffRole.SPECIALTY_MINISTRY, ["03"], S.RETURNED, None,
     StepOutcome.RETURNED, "APPLICATION_RETURNED", "需要补正（专业部门审查）"),
    (S.MINISTRY_REVIEW, K.CERTIFICATE_REPLACEMENT, ["01"], Action.RETURN, StaffRole.MINISTRY, None, S.RETURNED, None,
     StepOutcome.RETURNED, "APPLICATION_RETURNED", "需要补正（住房和城乡建设部审查）"),
]  # fmt: skip
CLOSED = (S.APPROVED, S.REFUSED)


async def applicant(api: Api) -> Person:
    await api.signed_up()
    return await Person.get()


def extra_input(action: Action) -> dict[str, Any]:
    if action is Action.RETURN:
        return {"items": ITEMS, "comment": "请补正"}
    return {"comment": "材料不实" if action is Action.REJECT else "同意"}


@pytest.mark.parametrize(
    ("stage", "kind", "codes", "action", "role", "reviews", "target", "queue", "outcome", "trail", "sms"), CASES
)
async def test_a_staff_decision_moves_the_filing_as_the_table_says(
    api: Api,
    app: Any,
    stage: ApplicationStatus,
    kind: ApplicationKind,
    codes: list[str],
    action: Action,
    role: StaffRole,
    reviews: list[str] | None,
    target: ApplicationStatus,
    queue: str | None,
    outcome: StepOutcome,
    trail: str,
    sms: str,
) -> None:
    person = await applicant(api)
    enterprise = await make_enterprise()
    before = await filing(person, stage, enterprise, codes, kind)
    actor = await staff(role, enterprise if role is StaffRole.ENTERPRISE else None, reviews)

    after = await decide(app, actor, before, action, **extra_input(action))

    assert (after.status, after.version, after.queue_key) == (target, before.version + 1, queue)
    assert (after.open_key is None) is (target in CLOSED)
    assert (after.decided_at is not None) is (target in CLOSED)
    step = await ApplicationStep.get(application_id=before.id, seq=3)
    assert (step.stage, step.outcome, step.actor_role, step.staff_id) == (  # type: ignore[attr-defined]
        stage.value,
        outcome,
        role.value,
        actor.id,
    )
    assert step.deadline_on == after.stage_deadline_on  # the next stage's deadline (none once it left the queues)
    assert (step.deadline_on is not None) is (queue is not None)
    assert step.comment == extra_input(action)["comment"]
    if action is Action.RETURN:
        assert step.items == [{"code": "ID_CARD_UNCLEAR", "message": ITEMS[0].message, "field": "attachmentIds"}]
    entry = await TrailEntry.filter(person_id=person.id).order_by("-seq").first()
    assert entry is not None and entry.action == trail and f"编号{before.id}" in entry.description
    texts = await sms_texts(person.mobile)
    assert len(texts) == 1 and sms in texts[0] and texts[0].startswith("【一级建造师注册】"), texts
    approvals: list[Any] = await OutboxMessage.filter(job_name="apply_approval").values_list("payload", flat=True)
    assert approvals == ([{"application_id": before.id}] if target is S.APPROVED else [])
    if stage is S.SPECIALTY_REVIEW and action is Action.APPROVE:
        assert after.reviewed_specialty_codes == [codes[0]]


async def test_the_step_event_reaches_the_applicant(api: Api, app: Any, redis: Any) -> None:
    person = await applicant(api)
    enterprise = await make_enterprise()
    application = await filing(person, S.ENTERPRISE_CONFIRMATION, enterprise)
    pubsub = redis.pubsub()
    await pubsub.subscribe(events.person_channel(person.id))
    await decide(app, await staff(StaffRole.ENTERPRISE, enterprise), application, Action.CONFIRM)
    seen = [event async for _channel, event in drain(pubsub)]
    assert seen == [{"type": "application.step", "applicationId": application.id, "seq": 3}]
    await pubsub.aclose()


async def test_one_specialty_at_a_time_then_the_ministry_then_approval(api: Api, app: Any) -> None:
    person = await applicant(api)
    enterprise = await make_enterprise()
    application = await filing(person, S.ENTERPRISE_CONFIRMATION, enterprise, ["08", "01", "03"])
    path = []
    for actor in (
        await staff(StaffRole.ENTERPRISE, enterprise),
        await staff(StaffRole.SPECIALTY_MINISTRY, None, ["03"]),
        await staff(StaffRole.SPECIALTY_MINISTRY, None, ["08"]),
        await staff(StaffRole.MINISTRY),
    ):
        action = Action.CONFIRM if actor.role == "ENTERPRISE" else Action.APPROVE
        application = await decide(app, actor, application, action)
        path.append((application.status.value, application.queue_key))
    assert path == [
        ("SPECIALTY_REVIEW", "SPECIALTY_REVIEW|S:03"),
        ("SPECIALTY_REVIEW", "SPECIALTY_REVIEW|S:08"),
        ("MINISTRY_REVIEW", "MINISTRY_REVIEW|M"),
        ("APPROVED", None),
    ]
    assert application.reviewed_specialty_codes == ["03", "08"]
    assert await OutboxMessage.filter(job_name="apply_approval").count() == 1
    assert len(await sms_texts(person.mobile)) == 4
    steps = await ApplicationStep.filter(application_id=application.id).order_by("seq")
    assert [s.stage for s in steps][2:] == [
        "ENTERPRISE_CONFIRMATION",
        "SPECIALTY_REVIEW",
        "SPECIALTY_REVIEW",
        "MINISTRY_REVIEW",
    ]


async def test_a_filing_without_an_employer_is_reviewed_by_the_ministry_alone(api: Api, app: Any) -> None:
    person = await applicant(api)
    application = await filing(person, S.MINISTRY_REVIEW, None)
    approved = await decide(app, await staff(StaffRole.MINISTRY), application, Action.APPROVE, comment="准予")
    assert approved.status is S.APPROVED
    assert await Enterprise.all().count() == 0
