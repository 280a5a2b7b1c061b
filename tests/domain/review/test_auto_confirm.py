"""The pre-check through the worker records the findings on its step, and the automatic confirmation policy
(off by default) passes a clean filing of an allowed kind through the stages it names, by SYSTEM with its rule;
the settings refuse automating anything else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from db.models import Application, ApplicationStep, Enterprise, Person, StaffRole
from domain import review
from domain.kernel import clock
from domain.kernel.settings import Settings, get_settings
from domain.kernel.workdays import add_workdays
from tests.domain.review.helpers import attach
from tests.filing_helpers import applicant, file, global_id, iso, make_enterprise, qualify, sms_code, today
from tests.helpers import Api
from tests.review_helpers import decide, staff
from tests.workers.burst import run_burst

ENTERPRISE_RULE = "ENTERPRISE_CONFIRMATION:INITIAL"
SPECIALTY_RULE = "SPECIALTY_REVIEW:INITIAL"


async def initial(api: Api, app: Any, codes: list[str] = ["01"], materials: bool = True) -> Application:  # noqa: B006
    """A qualified person files an initial registration in these specialties (a contract running past the three
    years, so no warning); the worker pre-checks it."""
    person: Person = await applicant(api)
    for code in codes:
        await qualify(code)
    if materials:
        await attach(person)
    enterprise = await make_enterprise()
    code = await sms_code(api, app, "INITIAL")
    dates = {"contractStart": iso(today() - timedelta(days=30)), "contractEnd": iso(today() + timedelta(days=1200))}
    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), "specialtyCodes": codes, **dates}
    payload = await file(api, "INITIAL", fields, code)
    assert payload["errors"] == [], payload
    assert (await run_burst(app)).failed == 0
    return await Application.get()


async def steps(application: Application) -> list[ApplicationStep]:
    return list(await ApplicationStep.filter(application_id=application.id).order_by("seq"))


async def test_off_by_default_the_findings_are_on_the_precheck_step(api: Api, app: Any) -> None:
    assert get_settings().review_auto_confirm == []
    filed = await initial(api, app)
    assert filed.status.value == "ENTERPRISE_CONFIRMATION"
    precheck = (await steps(filed))[-1]
    assert (precheck.stage, precheck.outcome.value, precheck.actor_role) == ("PRECHECK", "PASSED", "SYSTEM")
    codes = {item["code"]: item for item in precheck.items}
    assert {"AGE", "ATTACHMENTS_COMPLETE"} <= set(codes)
    assert all({"code", "message", "severity", "rule"} <= set(item) for item in precheck.items)
    assert precheck.deadline_on == filed.stage_deadline_on


async def test_a_clean_filing_passes_the_enterprise_confirmation_at_once(
    api: Api, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "review_auto_confirm", [ENTERPRISE_RULE])
    filed = await initial(api, app)
    assert (filed.status.value, filed.queue_key) == ("MINISTRY_REVIEW", "MINISTRY_REVIEW|M")
    assert filed.stage_deadline_on == add_workdays(clock.business_date(), 20)
    written = await steps(filed)
    assert [(s.stage, s.outcome.value, s.actor_role) for s in written] == [
        ("SUBMISSION", "DONE", "APPLICANT"),
        ("PRECHECK", "PASSED", "SYSTEM"),
        ("ENTERPRISE_CONFIRMATION", "PASSED", "SYSTEM"),
    ]
    automated = written[-1]
    assert f"REVIEW_AUTO_CONFIRM={ENTERPRISE_RULE}" in (automated.comment or "")
    assert automated.items[0]["rule"] == f"REVIEW_AUTO_CONFIRM={ENTERPRISE_RULE}" and automated.items[0]["message"]
    assert automated.deadline_on == filed.stage_deadline_on


async def test_a_filing_with_a_warning_waits_for_a_person(api: Api, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "review_auto_confirm", [ENTERPRISE_RULE])
    filed = await initial(api, app, materials=False)  # attachments missing: a WARNING
    assert filed.status.value == "ENTERPRISE_CONFIRMATION"
    assert [s.stage for s in await steps(filed)] == ["SUBMISSION", "PRECHECK"]


async def test_only_the_stages_the_policy_names_and_each_specialty_on_its_own(
    api: Api, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "review_auto_confirm", [ENTERPRISE_RULE, SPECIALTY_RULE])
    filed = await initial(api, app, codes=["02", "03"])  # both need their specialty ministry
    assert filed.status.value == "MINISTRY_REVIEW" and filed.reviewed_specialty_codes == ["02", "03"]
    assert [s.stage for s in await steps(filed)][2:] == [
        "ENTERPRISE_CONFIRMATION",
        "SPECIALTY_REVIEW",
        "SPECIALTY_REVIEW",
    ]


async def test_specialty_review_not_named_stops_there(api: Api, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "review_auto_confirm", [ENTERPRISE_RULE])
    filed = await initial(api, app, codes=["02"])
    assert (filed.status.value, filed.queue_key) == ("SPECIALTY_REVIEW", "SPECIALTY_REVIEW|S:02")


async def test_a_person_s_confirmation_into_a_specialty_review_is_passed_on_by_the_policy(
    api: Api, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "review_auto_confirm", [SPECIALTY_RULE])
    filed = await initial(api, app, codes=["02", "05"])
    assert filed.status.value == "ENTERPRISE_CONFIRMATION"  # the policy does not name this stage: a person confirms
    clerk = await staff(StaffRole.ENTERPRISE, await Enterprise.get(id=filed.enterprise_id))  # type: ignore[attr-defined]
    moved = await decide(app, clerk, filed, review.Action.CONFIRM)
    assert (moved.status.value, moved.queue_key, moved.reviewed_specialty_codes) == (
        "MINISTRY_REVIEW",
        "MINISTRY_REVIEW|M",
        ["02", "05"],
    )
    written = await steps(filed)
    assert [(s.stage, s.actor_role) for s in written][2:] == [
        ("ENTERPRISE_CONFIRMATION", "ENTERPRISE"),
        ("SPECIALTY_REVIEW", "SYSTEM"),
        ("SPECIALTY_REVIEW", "SYSTEM"),
    ]
    assert written[2].deadline_on is None and written[-1].deadline_on == moved.stage_deadline_on
    assert all(f"REVIEW_AUTO_CONFIRM={SPECIALTY_RULE}" in (s.comment or "") for s in written[3:])


async def test_without_the_policy_a_person_s_confirmation_waits_in_the_specialty_review(api: Api, app: Any) -> None:
    filed = await initial(api, app, codes=["02"])
    clerk = await staff(StaffRole.ENTERPRISE, await Enterprise.get(id=filed.enterprise_id))  # type: ignore[attr-defined]
    moved = await decide(app, clerk, filed, review.Action.CONFIRM)
    assert (moved.status.value, moved.queue_key) == ("SPECIALTY_REVIEW", "SPECIALTY_REVIEW|S:02")
    assert [s.actor_role for s in await steps(filed)][2:] == ["ENTERPRISE"]


@pytest.mark.parametrize(
    "value",
    [
        "MINISTRY_REVIEW:INITIAL",  # the ministry's decision: never
        "ENTERPRISE_CONFIRMATION:CANCELLATION",  # the confirmation decides a cancellation
        "ENTERPRISE_CONFIRMATION:NO_SUCH_KIND",
        "APPROVED:INITIAL",
        "ENTERPRISE_CONFIRMATION",
    ],
)
def test_the_settings_refuse_automating_a_decision(value: str) -> None:
    with pytest.raises(ValidationError, match="review_auto_confirm"):
        Settings(review_auto_confirm=value)  # type: ignore[arg-type]  # as the environment gives it


def test_the_settings_read_pairs_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEW_AUTO_CONFIRM", f" {ENTERPRISE_RULE.lower()}, {SPECIALTY_RULE} ,")
    assert Settings().review_auto_confirm == [ENTERPRISE_RULE, SPECIALTY_RULE]
    assert Settings().review_auto_confirm != [] and Settings(review_auto_confirm=[]).review_auto_confirm == []
