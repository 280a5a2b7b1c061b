"""Every refused decision leaves the filing as it was: wrong role (FORBIDDEN), wrong stage (NOT_AT_STAGE), out of
scope (NOT_FOUND, exactly as a missing id), decided (ALREADY_DECIDED), bad input (coded, with the field)."""

from __future__ import annotations

from typing import Any

import pytest

from db.models import Application, ApplicationStatus, ApplicationStep, Person, StaffRole
from domain import review
from domain.kernel.errors import DomainError, ErrorCode
from domain.review import Action
from tests.filing_helpers import make_enterprise
from tests.helpers import Api
from tests.review_helpers import ITEMS, META, decide, filing, staff

S = ApplicationStatus


async def refused(app: Any, actor: Any, application: Application, action: Action, **kwargs: Any) -> DomainError:
    """The decision fails with a coded error and changes nothing (status, version, steps)."""
    with pytest.raises(DomainError) as caught:
        await decide(app, actor, application, action, **kwargs)
    now = await Application.get(id=application.id)
    assert (now.status, now.version) == (application.status, application.version)
    assert await ApplicationStep.filter(application_id=application.id).count() == 2
    return caught.value


async def person(api: Api) -> Person:
    await api.signed_up()
    return await Person.get()


async def test_roles_that_never_take_an_action_are_forbidden(api: Api, app: Any) -> None:
    enterprise = await make_enterprise()
    application = await filing(await person(api), S.ENTERPRISE_CONFIRMATION, enterprise, ["02"])
    forbidden = [
        (StaffRole.PROVINCE, Action.CONFIRM),
        (StaffRole.ADMIN, Action.RETURN),
        (StaffRole.ADMIN, Action.APPROVE),
        (StaffRole.MINISTRY, Action.CONFIRM),
        (StaffRole.SPECIALTY_MINISTRY, Action.CONFIRM),
        (StaffRole.ENTERPRISE, Action.APPROVE),
        (StaffRole.ENTERPRISE, Action.REJECT),
    ]
    for role, action in forbidden:
        actor = await staff(
            role, enterprise if role is StaffRole.ENTERPRISE else None, ["02"] if "SPEC" in role else None
        )
        error = await refused(app, actor, application, action, comment="理由")
        assert error.code is ErrorCode.FORBIDDEN, (role, action)


async def test_staff_act_only_at_their_own_stage(api: Api, app: Any) -> None:
    enterprise = await make_enterprise()
    owner = await person(api)
    employer_staff = await staff(StaffRole.ENTERPRISE, enterprise)
    ministry = await staff(StaffRole.MINISTRY)
    reviewer = await staff(StaffRole.SPECIALTY_MINISTRY, None, ["02"])
    cases = [
        (S.ENTERPRISE_CONFIRMATION, ministry, Action.RETURN),
        (S.ENTERPRISE_CONFIRMATION, ministry, Action.APPROVE),
        (S.ENTERPRISE_CONFIRMATION, reviewer, Action.APPROVE),
        (S.SPECIALTY_REVIEW, ministry, Action.APPROVE),
        (S.SPECIALTY_REVIEW, employer_staff, Action.CONFIRM),
        (S.MINISTRY_REVIEW, employer_staff, Action.CONFIRM),
        (S.MINISTRY_REVIEW, employer_staff, Action.RETURN),
        (S.MINISTRY_REVIEW, reviewer, Action.APPROVE),
        (S.SUBMITTED, employer_staff, Action.CONFIRM),
        (S.SUBMITTED, ministry, Action.APPROVE),
        (S.RETURNED, ministry, Action.REJECT),
        (S.RETURNED, employer_staff, Action.CONFIRM),
    ]
    for stage, actor, action in cases:
        application = await filing(owner, stage, enterprise, ["02"])
        extra: dict[str, Any] = {"items": ITEMS} if action is Action.RETURN else {"comment": "理由"}
        error = await refused(app, actor, application, action, **extra)
        assert (error.code, error.field) == (ErrorCode.NOT_AT_STAGE, "id"), (stage, actor.role, action)


async def test_a_specialty_reviewer_acts_on_its_own_specialty_when_its_turn_comes(api: Api, app: Any) -> None:
    application = await filing(await person(api), S.SPECIALTY_REVIEW, await make_enterprise(), ["02", "03"])
    waiting = await staff(StaffRole.SPECIALTY_MINISTRY, None, ["03"])  # in scope: 03 is filed, but 02 is first
    assert (await refused(app, waiting, application, Action.APPROVE)).code is ErrorCode.NOT_AT_STAGE
    other = await staff(StaffRole.SPECIALTY_MINISTRY, None, ["05"])  # touches nothing filed: not found
    missing = await refused(app, other, application, Action.APPROVE)
    assert (missing.code, missing.field) == (ErrorCode.NOT_FOUND, "id")
    with pytest.raises(DomainError) as no_such:
        await review.decide(app.state.deps, other, review.Decision(application.id + 999, Action.APPROVE), META)
    assert (no_such.value.code, no_such.value.message) == (missing.code, missing.message)  # no telling


async def test_another_companys_staff_see_nothing_and_a_missing_id_looks_the_same(api: Api, app: Any) -> None:
    application = await filing(await person(api), S.ENTERPRISE_CONFIRMATION, await make_enterprise())
    stranger = await staff(StaffRole.ENTERPRISE, await make_enterprise())
    unbound = await staff(StaffRole.ENTERPRISE)  # an enterprise account with no enterprise sees nothing
    for actor in (stranger, unbound):
        error = await refused(app, actor, application, Action.CONFIRM)
        assert (error.code, error.field, error.message) == (ErrorCode.NOT_FOUND, "id", "未找到该申报。")
    for missing_id in (None, 0, application.id + 1):
        with pytest.raises(DomainError) as caught:
            decision = review.Decision(missing_id, Action.APPROVE)
            await review.decide(app.state.deps, await staff(StaffRole.MINISTRY), decision, META)
        assert (caught.value.code, caught.value.message) == (ErrorCode.NOT_FOUND, "未找到该申报。")


@pytest.mark.parametrize("status", [S.APPROVED, S.ANNOUNCED, S.REFUSED, S.WITHDRAWN])
async def test_a_decided_filing_takes_no_further_decision(api: Api, app: Any, status: ApplicationStatus) -> None:
    enterprise = await make_enterprise()
    application = await filing(await person(api), status, enterprise)
    for actor, action in (
        (await staff(StaffRole.MINISTRY), Action.APPROVE),
        (await staff(StaffRole.MINISTRY), Action.RETURN),
        (await staff(StaffRole.ENTERPRISE, enterprise), Action.CONFIRM),
    ):
        extra: dict[str, Any] = {"items": ITEMS} if action is Action.RETURN else {}
        assert (await refused(app, actor, application, action, **extra)).code is ErrorCode.ALREADY_DECIDED


async def test_bad_input_is_coded_with_its_field(api: Api, app: Any) -> None:
    enterprise = await make_enterprise()
    application = await filing(await person(api), S.MINISTRY_REVIEW, enterprise, ["02"])
    ministry = await staff(StaffRole.MINISTRY)
    cases: list[tuple[Action, dict[str, Any], ErrorCode, str]] = [
        (Action.REJECT, {}, ErrorCode.REQUIRED, "comment"),
        (Action.REJECT, {"comment": "\u200b \u3000"}, ErrorCode.REQUIRED, "comment"),
        (Action.APPROVE, {"comment": "长" * 501}, ErrorCode.TEXT_TOO_LONG, "comment"),
        (Action.RETURN, {}, ErrorCode.INVALID_INPUT, "items"),
        (Action.RETURN, {"items": ITEMS * 31}, ErrorCode.INVALID_INPUT, "items"),
        (Action.APPROVE, {"items": ITEMS}, ErrorCode.INVALID_INPUT, "items"),
        (Action.APPROVE, {"false_materials": True}, ErrorCode.INVALID_INPUT, "false_materials"),
        (Action.RETURN, {"items": ITEMS, "false_materials": True}, ErrorCode.INVALID_INPUT, "false_materials"),
    ]
    for action, extra, code, field in cases:
        error = await refused(app, ministry, application, action, **extra)
        assert (error.code, error.field) == (code, field), (action, extra)
    at_specialty = await filing(await Person.get(), S.SPECIALTY_REVIEW, None, ["02"], reviewed=[])
    reviewer = await staff(StaffRole.SPECIALTY_MINISTRY, None, ["02"])
    error = await refused(app, reviewer, at_specialty, Action.REJECT, comment="虚假", false_materials=True)
    assert (error.code, error.field) == (ErrorCode.INVALID_INPUT, "false_materials")  # the ministry's call only
