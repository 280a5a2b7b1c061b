"""Run by tests/db/test_mobile_migration.py in a process of its own (Tortoise's state is global): migrate a fresh
database to 0005, write two people sharing a number, try 0006, settle the case, migrate again; print what happened
as one JSON line."""

from __future__ import annotations

import asyncio
import json
import sys

from tortoise import Tortoise, connections
from tortoise.migrations.api.migrate import migrate

from db.config import tortoise_config

INSERT = (
    "INSERT INTO person (real_name, id_number_digest, id_number_cipher, id_number_masked, birth_date, gender, mobile, "
    "password_hash, trail_head_seq, trail_head_hash, created_at, updated_at) VALUES ('张三', '{digest}', 'c', 'm', "
    "'1991-01-01', 'M', '{mobile}', 'h', 0, '0', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')"
)


async def sql(config: dict[str, object], *statements: str) -> list[dict[str, object]]:
    await Tortoise.init(config=config)
    rows: list[dict[str, object]] = []
    try:
        for statement in statements:
            rows = await connections.get("default").execute_query_dict(statement)
    finally:
        await connections.close_all()
    return rows


async def main(url: str) -> dict[str, object]:
    config = tortoise_config(url)
    await migrate(config=config, target="models.0005_staff_case_access")
    await connections.close_all()
    people = [("d0", "13800138001"), ("d1", "13800138001"), ("d2", "13900000000")]
    await sql(config, *(INSERT.format(digest=digest, mobile=mobile) for digest, mobile in people))
    refusal = ""
    try:
        await migrate(config=config)
    except Exception as exc:
        refusal = f"{type(exc).__name__}: {exc}"
    finally:
        await connections.close_all()
    await sql(config, "UPDATE person SET mobile = '13700000000' WHERE id_number_digest = 'd1'")
    await migrate(config=config)
    await connections.close_all()
    rows = await sql(config, "SELECT id_number_digest, mobile, nationality FROM person ORDER BY id_number_digest")
    try:
        await sql(config, "UPDATE person SET mobile = '13800138001' WHERE id_number_digest = 'd2'")
        unique = False
    except Exception:
        unique = True
    return {"refusal": refusal, "rows": rows, "unique": unique}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1])), ensure_ascii=False))
