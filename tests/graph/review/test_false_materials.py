"""False materials (DOMAIN.md): the ministry refuses with falseMaterials, and the applicant may not file for a year."""

from __future__ import annotations

from typing import Any

from db.models import FilingBan, StaffRole
from tests.filing_helpers import applicant, codes, contract, file, global_id, make_enterprise, sms_code
from tests.graph.review.helpers import CONFIRM, REVIEW, filed, mutate, staff_token
from tests.helpers import Api


async def test_a_refusal_for_false_materials_bans_the_next_filing(api: Api, app: Any) -> None:
    await applicant(api)
    enterprise = await make_enterprise()
    application = await filed(api, app, ["01"], enterprise)
    gid = global_id("Application", application.id)
    clerk = await staff_token(api, StaffRole.ENTERPRISE, enterprise)
    assert (await mutate(api, CONFIRM, clerk, {"id": gid}))["application"]["status"] == "MINISTRY_REVIEW"
    ministry = await staff_token(api, StaffRole.MINISTRY)
    decision = {"id": gid, "decision": "REJECT", "comment": "学历证明系伪造", "falseMaterials": True}
    refused = await mutate(api, REVIEW, ministry, decision)
    assert refused["errors"] == [] and refused["application"]["status"] == "REFUSED"
    assert refused["application"]["steps"][-1]["comment"] == "学历证明系伪造"
    assert await FilingBan.filter(person_id=application.person_id).count() == 1  # type: ignore[attr-defined]

    fields = {"enterpriseId": global_id("Enterprise", enterprise.id), **contract(), "specialtyCodes": ["01"]}
    again = await file(api, "INITIAL", fields, await sms_code(api, app, "INITIAL"))
    assert codes(again) == ["FILING_BANNED"] and again["application"] is None
