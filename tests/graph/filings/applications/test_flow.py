"""One filing end to end over HTTP: the code, the filing, the progress query, the worker's pre-check, withdraw."""

from __future__ import annotations

from typing import Any

from db.models import Application, ApplicationStep, OutboxMessage
from tests.filing_helpers import (
    WITHDRAW,
    applicant,
    applications,
    codes,
    contract,
    file,
    global_id,
    make_enterprise,
    qualify,
    sms_code,
)
from tests.helpers import Api
from tests.workers.burst import run_burst


async def test_initial_registration_is_filed_prechecked_and_shown(api: Api, app: Any) -> None:
    await applicant(api)
    enterprise = await make_enterprise()
    await qualify("01")
    await qualify("07")
    code = await sms_code(api, app, "INITIAL")
    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01", "07"]}

    payload = await file(api, "INITIAL", fields, code)

    assert payload["errors"] == [], payload
    filed = payload["application"]
    assert filed["kind"] == "INITIAL" and filed["status"] == "SUBMITTED" and filed["withdrawable"] is True
    assert filed["enterprise"]["name"] == enterprise.name
    assert [s["code"] for s in filed["specialties"]] == ["01", "07"]
    assert [(s["seq"], s["stage"], s["outcome"], s["actorRole"]) for s in filed["steps"]] == [
        (1, "SUBMISSION", "DONE", "APPLICANT")
    ]
    assert await OutboxMessage.filter(job_name="precheck_application").count() == 1

    run = await run_burst(app)
    assert run.failed == 0
    page = await applications(api)
    node = page["edges"][0]["node"]
    assert page["totalCount"] == 1 and node["status"] == "ENTERPRISE_CONFIRMATION"
    assert [(s["stage"], s["outcome"]) for s in node["steps"]] == [("SUBMISSION", "DONE"), ("PRECHECK", "PASSED")]

    again = await file(api, "INITIAL", fields, code)  # the code was used up by the accepted filing
    assert "SMS_CODE_INVALID" in codes(again)

    withdrawn = await api.gql(WITHDRAW, {"input": {"id": node["id"]}})
    result = withdrawn["data"]["withdrawApplication"]
    assert result["errors"] == [] and result["application"]["status"] == "WITHDRAWN"
    assert (await Application.get()).open_key is None
    assert await ApplicationStep.filter(stage="WITHDRAWAL").count() == 1
