"""Baseline (b): the viewer in raw SQL on Tortoise's connection, with the session rules of domain.sessions."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from tortoise import connections

from bench import shape
from db.models import AttachmentKind
from domain import accounts
from domain.accounts.sessions import MAX_TOKEN_LENGTH, TOUCH_EVERY_S
from domain.kernel import clock
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.settings import get_settings

SESSION_SQL = "SELECT id, person_id, last_seen_at, expires_at FROM session WHERE token_hash = ? AND revoked_at IS NULL"
TOUCH_SQL = "UPDATE session SET last_seen_at = ? WHERE id = ?"
PERSON_SQL = (  # trail_head_seq: the chain head, kept in the same transaction as each append = the total
    "SELECT id, real_name, id_number_masked, mobile, ethnicity, email, education, degree, school, trail_head_seq"
    " FROM person WHERE id = ?"
)
ATTACHMENTS_SQL = "SELECT id, kind, width, height FROM attachment WHERE person_id = ? AND current = 1"
TRAIL_SQL = (  # newest first on the unique (person_id, seq) index, one extra row for hasNextPage
    "SELECT id, seq, action, description, actor, ip, user_agent, created_at FROM trail_entry"
    " WHERE person_id = ? ORDER BY seq DESC LIMIT ?"
)
KIND_ORDER = {kind.value: index for index, kind in enumerate(AttachmentKind)}


async def _rows(sql: str, *values: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await connections.get("default").execute_query_dict(sql, list(values))
    return rows


def _utc(stored: str) -> datetime:
    """A DatetimeField column (ISO text on SQLite) as the aware UTC datetime Tortoise returns."""
    return datetime.fromisoformat(stored).astimezone(UTC)


async def person_of(token: str | None) -> Actor | None:
    """The person behind a Bearer token, under the idle/absolute limits and the once-a-minute touch."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    found = await _rows(SESSION_SQL, hashlib.sha256(token.encode()).hexdigest())
    if not found:
        return None
    session, now = found[0], clock.now()
    last_seen = _utc(session["last_seen_at"])
    if now >= _utc(session["expires_at"]) or now - last_seen >= timedelta(seconds=get_settings().session_idle_s):
        return None
    if now - last_seen >= timedelta(seconds=TOUCH_EVERY_S):
        await _rows(TOUCH_SQL, now, session["id"])
    if session["person_id"] is None:  # staff: their viewer is null
        return None
    return Actor(ActorKind.PERSON, session["person_id"], session["id"])


async def _viewer(person: dict[str, Any], viewer: Actor, first: int) -> shape.Json:
    attachment_rows = await _rows(ATTACHMENTS_SQL, person["id"])
    attachment_rows.sort(key=lambda row: KIND_ORDER[row["kind"]])
    current = [
        shape.attachment_json(r["id"], r["kind"], r["width"], r["height"], accounts.attachment_link(r["id"], viewer))
        for r in attachment_rows
    ]
    rows = await _rows(TRAIL_SQL, person["id"], first + 1)
    page = rows[:first]
    nodes = [shape.trail_node_json(row, _utc(row["created_at"])) for row in page]
    trail = shape.trail_json(nodes, [row["seq"] for row in page], len(rows) > first, person["trail_head_seq"])
    return shape.person_json(person, current, trail)


async def viewer_raw(request: Request) -> JSONResponse:
    """GET /viewer/raw?first=20 with `Authorization: Bearer <token>`."""
    first = shape.page_size(request.query_params.get("first", str(shape.PAGE_SIZE)))
    if first is None:
        return JSONResponse({"error": "first must be between 1 and 100"}, status_code=400)
    viewer = await person_of(shape.bearer_token(request.headers))
    persons = await _rows(PERSON_SQL, viewer.id) if viewer is not None else []
    if viewer is None or not persons:
        return JSONResponse(shape.envelope(None))
    return JSONResponse(shape.envelope(await _viewer(persons[0], viewer, first)))
