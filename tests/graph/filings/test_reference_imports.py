"""The import mutations over HTTP (multipart, ADMIN only, size-capped, the report in the payload, the audit log)
and the enterprise suggestions query."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from db.models import StaffRole
from domain.filings.reference.sample_enterprises import sample_enterprises
from domain.kernel.settings import get_settings
from tests.domain.filings.csv_files import QUALIFICATIONS_HEADER, csv_bytes, enterprises_csv
from tests.graph.accounts.helpers import create_staff, staff_login
from tests.helpers import VALID_ID, VALID_ID_2, Api

REPORT = """errors { field code message } report { rowsRead imported updated unchanged errorCount errorsNotShown
  errors { row field code message } }"""
SUGGEST = "query($k: String!, $n: Int) { enterprises(keyword: $k, first: $n) { id name creditCode provinceName } }"
QUALIFICATIONS = "query { viewer { qualifications { certificateNumber specialty { code } temporary } } }"
ROWS = [
    ["张三", VALID_ID, "建筑工程", "Z2021001", "2021-05-20", "否"],
    ["张三", VALID_ID, "07", "Z2021001", "2021-05-20", "否"],
    ["李四", VALID_ID_2, "01", "L2019007", "2019-03-01", "是"],
    ["李四", "not-an-id", "01", "L2019008", "2019-03-01", "是"],
]


async def upload(api: Api, kind: str, data: bytes, token: str | None, selection: str = REPORT) -> dict[str, Any]:
    field = "importQualifications" if kind == "qualifications" else "importEnterprises"
    query = f"mutation($input: ImportFileInput!) {{ {field}(input: $input) {{ {selection} }} }}"
    operations = {"query": query, "variables": {"input": {"file": None}}}
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("data.csv", data, "text/csv")},
        headers={"x-requested-with": "XMLHttpRequest", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def admin_token(api: Api) -> str:
    await create_staff("admin01", StaffRole.ADMIN)
    return str((await staff_login(api, "admin01"))["token"])


async def test_an_admin_imports_qualifications_the_person_sees_theirs(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    token = await admin_token(api)
    data = csv_bytes(QUALIFICATIONS_HEADER, ROWS, bom=True)
    with caplog.at_level(logging.INFO, logger="portal.audit"):
        body = await upload(api, "qualifications", data, token)
    payload = body["data"]["importQualifications"]
    assert payload["errors"] == []
    report = payload["report"]
    assert (report["rowsRead"], report["imported"], report["updated"], report["unchanged"]) == (4, 3, 0, 0)
    assert report["errors"] == [
        {
            "row": 5,
            "field": "证件号码",
            "code": "INVALID_ID_NUMBER",
            "message": "证件号码不正确，请核对18位居民身份证号码。",
        }
    ]
    audit = [json.loads(r.getMessage()) for r in caplog.records if r.name == "portal.audit"]
    audit = [a for a in audit if a["event"].startswith("import_")]  # the staff login may be captured too
    assert [(a["event"], a["outcome"], a["imported"], a["errors"]) for a in audit] == [
        ("import_qualifications", "done", 3, 1)
    ]
    assert audit[0]["actor"].startswith("staff:")

    again = (await upload(api, "qualifications", data, token))["data"]["importQualifications"]["report"]
    assert (again["imported"], again["updated"], again["unchanged"], again["errorCount"]) == (0, 0, 3, 1)

    await api.signed_up()
    mine = (await api.gql(QUALIFICATIONS))["data"]["viewer"]["qualifications"]
    assert [(q["certificateNumber"], q["specialty"]["code"]) for q in mine] == [("Z2021001", "01"), ("Z2021001", "07")]


@pytest.mark.parametrize("kind", ["qualifications", "enterprises"])
async def test_only_administrators_import(api: Api, kind: str) -> None:
    data = csv_bytes(QUALIFICATIONS_HEADER, ROWS)
    anonymous = await upload(api, kind, data, None)
    assert anonymous["data"] is None and anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await create_staff("province01", StaffRole.PROVINCE)
    province = (await staff_login(api, "province01"))["token"]
    refused = await upload(api, kind, data, province)
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    person = await api.signed_up()
    refused = await upload(api, kind, data, person)
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_oversized_file_or_a_wrong_header_is_a_coded_error(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    token = await admin_token(api)
    monkeypatch.setattr(get_settings(), "import_max_bytes", 1024 * 1024)
    big = csv_bytes(QUALIFICATIONS_HEADER, ROWS * 6000)
    assert len(big) > 1024 * 1024
    payload = (await upload(api, "qualifications", big, token))["data"]["importQualifications"]
    assert payload["report"] is None
    assert payload["errors"] == [
        {"field": ["file"], "code": "FILE_TOO_LARGE", "message": "文件过大：导入文件不能超过1MB。"}
    ]
    wrong = (await upload(api, "enterprises", csv_bytes(QUALIFICATIONS_HEADER, ROWS), token))["data"]
    [error] = wrong["importEnterprises"]["errors"]
    assert error["code"] == "IMPORT_HEADER_INVALID" and error["field"] == ["file"]
    assert error["message"] == "表头不正确，第一行应为：企业名称,统一社会信用代码,省份,资质状态"


async def test_enterprises_imported_are_suggested(api: Api) -> None:
    token = await admin_token(api)
    samples = list(sample_enterprises(200))
    payload = (await upload(api, "enterprises", enterprises_csv(samples), token))["data"]["importEnterprises"]
    assert payload["report"]["imported"] == 200 and payload["report"]["errorCount"] == 0
    target = next(e for e in samples if e.status.value == "QUALIFIED")
    found = (await api.gql(SUGGEST, {"k": target.name[:6], "n": 20}))["data"]["enterprises"]
    assert target.credit_code in [e["creditCode"] for e in found]
    suspended = next(e for e in samples if e.status.value != "QUALIFIED")
    found = (await api.gql(SUGGEST, {"k": suspended.name, "n": 20}))["data"]["enterprises"]
    assert suspended.credit_code not in [e["creditCode"] for e in found]
    body = await api.gql(SUGGEST, {"k": "中建", "n": 21})
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    body = await api.gql(SUGGEST, {"k": "x" * 51})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "50" in body["errors"][0]["message"]
