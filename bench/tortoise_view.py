"""Baseline (a): the viewer as a hand-written Starlette endpoint on the same domain calls (the public APIs of
domain.accounts and domain.trail, as the resolvers call them) and Tortoise models."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from bench import shape
from db.models import Person
from domain import accounts, trail
from domain.kernel.actors import Actor

PERSON_COLUMNS = ("id", "real_name", "id_number_masked", "mobile", *shape.PROFILE_FIELDS)
TRAIL_COLUMNS = ("id", "action", "description", "ip", "user_agent", "actor")


def _columns(row: object, names: tuple[str, ...]) -> dict[str, object]:
    """A model's fields by column name, the shape the JSON builders read."""
    return {name: getattr(row, name) for name in names}


async def _trail(person: Person, first: int) -> shape.Json:
    """The first page of the trail (keyset on seq, cursors from seq) and its total from the chain head on the
    person row read in this request, as Person.trail resolves it for the viewer: no COUNT."""
    rows, more = await trail.page(person.id, first, None)
    nodes = [shape.trail_node_json(_columns(row, TRAIL_COLUMNS), row.created_at) for row in rows]
    return shape.trail_json(nodes, [row.seq for row in rows], more, person.trail_head_seq)


async def viewer_json(person: Person, viewer: Actor, can_view_trail: bool, first: int) -> shape.Json:
    rows = await accounts.current_attachments(person.id)
    current = [
        shape.attachment_json(row.id, row.kind.value, row.width, row.height, accounts.attachment_link(row.id, viewer))
        for row in rows
    ]
    page = await _trail(person, first) if can_view_trail else shape.trail_json([], [], False, 0)
    return shape.person_json(_columns(person, PERSON_COLUMNS), current, page)


async def viewer_tortoise(request: Request) -> JSONResponse:
    """GET /viewer/tortoise?first=20 with `Authorization: Bearer <token>`."""
    first = shape.page_size(request.query_params.get("first", str(shape.PAGE_SIZE)))
    if first is None:
        return JSONResponse({"error": "first must be between 1 and 100"}, status_code=400)
    token = shape.bearer_token(request.headers)
    actor = await accounts.resolve_session(token) if token else None
    if actor is None or not actor.is_person:
        return JSONResponse(shape.envelope(None))
    person = await accounts.find_person(actor.id)
    if person is None:
        return JSONResponse(shape.envelope(None))
    viewer = await viewer_json(person, actor, trail.may_view(actor, person.id), first)
    return JSONResponse(shape.envelope(viewer))
