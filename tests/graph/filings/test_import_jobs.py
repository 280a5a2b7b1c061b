"""Queued imports: a file over IMPORT_INLINE_MAX_BYTES is stored and imported by a worker (burst), its job visible
to administrators only through node(id:), with progress and the report once done; a bad header fails the job with
its reason; a rerun changes nothing; the stored file is deleted."""

from __future__ import annotations

from typing import Any

import pytest

from db.models import Enterprise, ImportJob, OutboxMessage, Qualification
from domain.filings.reference.import_jobs import imports_dir
from domain.filings.reference.sample_enterprises import sample_enterprises
from domain.kernel.settings import get_settings
from tests.domain.filings.csv_files import QUALIFICATIONS_HEADER, csv_bytes, enterprises_csv
from tests.graph.filings.test_reference_imports import ROWS, admin_token, upload
from tests.helpers import Api
from tests.workers.burst import run_burst

JOB = """query($id: ID!) { node(id: $id) { ... on ImportJob { kind status sizeBytes bytesRead rowsRead percent
  failure startedAt finishedAt report { rowsRead imported updated unchanged errorCount errors { row field code } } }
  } }"""
QUEUED = "errors { code } report { rowsRead } job { id kind status sizeBytes rowsRead percent report { imported } }"


@pytest.fixture(autouse=True)
def small_inline_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "import_inline_max_bytes", 100)


async def queued(api: Api, kind: str, data: bytes, token: str) -> dict[str, Any]:
    body = await upload(api, kind, data, token, selection=QUEUED)
    payload: dict[str, Any] = body["data"]["importEnterprises" if kind == "enterprises" else "importQualifications"]
    assert payload["errors"] == [] and payload["report"] is None, payload
    return payload["job"]  # type: ignore[no-any-return]


async def job_node(api: Api, job_id: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = (await api.client.post("/graphql", json={"query": JOB, "variables": {"id": job_id}}, headers=headers)).json()
    return body["data"]["node"]


async def test_a_big_file_is_imported_by_a_worker_with_its_progress_and_report(api: Api, app: Any) -> None:
    token = await admin_token(api)
    data = enterprises_csv(list(sample_enterprises(300)))
    job = await queued(api, "enterprises", data, token)
    assert (job["kind"], job["status"], job["sizeBytes"], job["rowsRead"], job["percent"]) == (
        "ENTERPRISES",
        "QUEUED",
        len(data),
        0,
        0.0,
    )
    assert job["report"] is None and await Enterprise.all().count() == 0
    assert len(list(imports_dir().iterdir())) == 1  # stored under a server-generated name until imported
    assert (await run_burst(app)).failed == 0
    done = await job_node(api, job["id"], token)
    assert (done["status"], done["rowsRead"], done["bytesRead"], done["percent"]) == ("DONE", 300, len(data), 100.0)
    assert done["report"]["imported"] == 300 and done["report"]["errorCount"] == 0
    assert done["startedAt"] and done["finishedAt"] and done["failure"] is None
    assert await Enterprise.all().count() == 300
    assert list(imports_dir().iterdir()) == []  # the file is deleted once imported


async def test_row_errors_are_reported_on_the_job_and_a_rerun_changes_nothing(api: Api, app: Any) -> None:
    token = await admin_token(api)
    data = csv_bytes(QUALIFICATIONS_HEADER, ROWS)
    first = await queued(api, "qualifications", data, token)
    assert (await run_burst(app)).failed == 0
    report = (await job_node(api, first["id"], token))["report"]
    assert (report["imported"], report["errorCount"]) == (3, 1)
    assert report["errors"] == [{"row": 5, "field": "证件号码", "code": "INVALID_ID_NUMBER"}]
    second = await queued(api, "qualifications", data, token)
    assert (await run_burst(app)).failed == 0
    again = (await job_node(api, second["id"], token))["report"]
    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert await Qualification.all().count() == 3


async def test_a_bad_header_fails_the_job_with_its_reason(api: Api, app: Any) -> None:
    token = await admin_token(api)
    job = await queued(api, "qualifications", b"name,id\r\n" + b"x,y\r\n" * 20, token)
    assert (await run_burst(app)).failed == 0
    failed = await job_node(api, job["id"], token)
    assert failed["status"] == "FAILED" and "表头" in failed["failure"] and failed["report"] is None
    assert list(imports_dir().iterdir()) == []


async def test_the_job_is_for_administrators_only_and_runs_once(api: Api, app: Any) -> None:
    token = await admin_token(api)
    job = await queued(api, "enterprises", enterprises_csv(list(sample_enterprises(20))), token)
    assert await job_node(api, job["id"], None) is None  # anonymous: as if it did not exist
    await api.signed_up()
    assert await job_node(api, job["id"], None) is None  # an applicant's session (cookie): the same
    assert (await run_burst(app)).failed == 0
    outbox = await OutboxMessage.get(job_name="run_import")
    assert outbox.done_at is not None
    assert (await run_burst(app)).complete == 0  # nothing queued twice
    row = await ImportJob.get()
    assert (row.status, row.imported) == ("DONE", 20)


async def test_a_big_import_runs_in_parts_each_a_job_with_the_same_report(
    api: Api, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "import_job_slice_s", 0)  # one batch of rows per part: 3 parts here
    token = await admin_token(api)
    rows = list(sample_enterprises(2500))
    data = enterprises_csv([*rows, rows[0]])  # the last row repeats the first, two parts earlier
    job = await queued(api, "enterprises", data, token)
    assert (await run_burst(app)).failed == 0
    done = await job_node(api, job["id"], token)
    assert (done["status"], done["rowsRead"], done["percent"]) == ("DONE", 2501, 100.0)
    report = done["report"]
    assert (report["rowsRead"], report["imported"], report["errorCount"]) == (2501, 2500, 1)
    assert report["errors"] == [{"row": 2502, "field": None, "code": "DUPLICATE_ROW"}]
    parts = await OutboxMessage.filter(job_name="run_import").order_by("created_at")
    assert [m.payload.get("skip_rows", 0) for m in parts] == [0, 1000, 2000]
    assert all(m.done_at is not None for m in parts) and list(imports_dir().iterdir()) == []
    assert await Enterprise.all().count() == 2500
