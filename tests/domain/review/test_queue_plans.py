"""The review queue's queries read one index range each, in index order: the plan names the queue index (entry or
deadline) and has no full scan and no sort (SQLite's temporary B-tree, PostgreSQL's Sort node), on both backends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tortoise import connections

from db.models import Application, ApplicationKind, ApplicationStatus
from domain.kernel import clock
from domain.review.queue import QueueCursor, QueueRequest, key_query
from tests.conftest import BACKEND
from tests.domain.filings.helpers import make_person
from tests.domain.review.helpers import MINISTRY, at

ROWS, ENTERPRISES = 10_000, 7


async def seed() -> None:
    """Rows spread over many queues (as at scale), statistics gathered (PostgreSQL plans by them)."""
    person = await make_person()
    now = clock.now()
    rows = [
        Application(
            person_id=person.id,
            kind=ApplicationKind.INITIAL,
            status=status_of(key_of(n)),
            terms_version="2024.1",
            terms_accepted_at=now,
            submitted_at=now,
            updated_at=now,
            specialty_codes=["01"],
            queue_key=key_of(n),
            stage_entered_at=at(n),
            stage_deadline_on=at(n).date() + timedelta(days=n % 60),
        )
        for n in range(ROWS)
    ]
    await Application.bulk_create(rows, batch_size=500)
    await connections.get("default").execute_script("ANALYZE")


def key_of(n: int) -> str | None:
    """A quarter decided (outside every queue), half in the ministry's queue, the rest in enterprises' queues."""
    if n % 4 == 0:
        return None
    return MINISTRY if n % 2 else f"ENTERPRISE_CONFIRMATION|E:{n % ENTERPRISES}"


def status_of(key: str | None) -> ApplicationStatus:
    return ApplicationStatus(key.split("|")[0]) if key else ApplicationStatus.APPROVED


async def index_names() -> dict[str, str]:
    """The queue indexes' names by their leading sort column."""
    conn = connections.get("default")
    if BACKEND == "postgres":
        rows = await conn.execute_query_dict("SELECT indexname AS name, indexdef AS sql FROM pg_indexes")
    else:
        rows = await conn.execute_query_dict("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
    found = {}
    for row in rows:
        sql = str(row["sql"] or "")
        if "queue_key" in sql and "stage_entered_at" in sql:
            found["stage_entered_at"] = row["name"]
        if "queue_key" in sql and "stage_deadline_on" in sql:
            found["stage_deadline_on"] = row["name"]
    return found


async def plan_of(sql: str) -> str:
    conn = connections.get("default")
    if BACKEND == "postgres":
        rows = await conn.execute_query_dict("EXPLAIN " + sql)
        return "\n".join(str(row["QUERY PLAN"]) for row in rows)
    rows = await conn.execute_query_dict("EXPLAIN QUERY PLAN " + sql)
    return "\n".join(str(row["detail"]) for row in rows)


def assert_index_range(plan: str, index: str) -> None:
    assert index in plan, plan
    if BACKEND == "postgres":
        assert "Seq Scan" not in plan and "Sort" not in plan, plan
    else:
        assert "SCAN application" not in plan and "TEMP B-TREE" not in plan, plan
        assert "SEARCH application USING INDEX" in plan, plan


async def test_each_query_is_one_index_range_in_index_order(app: Any) -> None:
    await seed()
    indexes = await index_names()
    today = clock.business_date()
    later = QueueCursor("E", at(41).isoformat(), 41).text()  # page 2 of a long queue
    late = QueueCursor("D", (today - timedelta(days=400)).isoformat(), 10).text()
    requests = {
        "stage_entered_at": [QueueRequest(first=20), QueueRequest(first=20, after=later)],
        "stage_deadline_on": [QueueRequest(first=20, overdue=True), QueueRequest(first=20, after=late, overdue=True)],
    }
    for column, asked in requests.items():
        for request in asked:
            for key in (MINISTRY, "ENTERPRISE_CONFIRMATION|E:3"):
                plan = await plan_of(key_query(key, request, today).sql(params_inline=True))
                assert_index_range(plan, indexes[column])
    await the_count_and_the_administrators_skip_scan_use_the_index(indexes["stage_entered_at"])


async def the_count_and_the_administrators_skip_scan_use_the_index(index: str) -> None:
    count = Application.filter(queue_key="ENTERPRISE_CONFIRMATION|E:3").count().sql(params_inline=True)
    skip = (
        Application.filter(queue_key__gt="ENTERPRISE_CONFIRMATION|E:3", queue_key__lt="ENTERPRISE_CONFIRMATION}")
        .order_by("queue_key")
        .limit(1)
        .values_list("queue_key", flat=True)
        .sql(params_inline=True)
    )
    for sql in (count, skip):
        plan = await plan_of(sql)
        assert index in plan or "queue_key" in plan, plan
        assert "Seq Scan" not in plan and "SCAN application" not in plan and "TEMP B-TREE" not in plan, plan
