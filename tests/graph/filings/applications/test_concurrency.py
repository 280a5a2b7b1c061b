"""SECURITY check 9: 20 concurrent identical filings for one person → exactly one application and 19 coded
refusals; no 5xx, no "database is locked"."""

from __future__ import annotations

import asyncio
from typing import Any

from db.models import Application, ApplicationStep, OutboxMessage
from tests.filing_helpers import MUTATIONS, applicant, contract, global_id, make_enterprise, qualify, sms_code
from tests.helpers import Api

REFUSALS = {"APPLICATION_ALREADY_OPEN", "SMS_CODE_INVALID"}


async def test_twenty_concurrent_filings_make_one_application(api: Api, app: Any) -> None:
    await applicant(api)
    enterprise = await make_enterprise()
    await qualify("01")
    code = await sms_code(api, app, "INITIAL")
    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    name, input_type = MUTATIONS["INITIAL"]
    query = f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
      errors {{ code message }} application {{ id }} }} }}"""
    variables = {"input": {**fields, "acceptTerms": True, "smsCode": code}}

    responses = await asyncio.gather(*(api.post(query, variables) for _ in range(20)))

    assert [r.status_code for r in responses] == [200] * 20
    payloads = [r.json() for r in responses]
    assert all("errors" not in body for body in payloads), [b for b in payloads if "errors" in b][:1]
    results = [body["data"][name] for body in payloads]
    accepted = [r for r in results if r["application"] is not None]
    refused = [r for r in results if r["application"] is None]
    assert len(accepted) == 1 and len(refused) == 19
    for result in refused:
        found = {error["code"] for error in result["errors"]}
        assert found and found <= REFUSALS, result
    assert await Application.all().count() == 1
    assert await ApplicationStep.all().count() == 1
    assert await OutboxMessage.filter(job_name="precheck_application").count() == 1
