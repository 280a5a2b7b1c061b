"""The applicant dashboard (issue 9): the GraphQL query, and the hand-written Starlette + Tortoise endpoint that
answers the same JSON from the same domain calls the resolvers and loaders make (qualifications, one page of
filings, their steps and enterprises in one query each, the trail page)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from bench import shape
from bench.tortoise_view import _trail
from db.models import Application, ApplicationStep, Qualification
from domain import accounts, filings, trail

APPLICATIONS_PAGE = 10
DASHBOARD_QUERY = """query($first: Int!) { viewer { id realName
  qualifications { id certificateNumber issuedOn temporary specialty { code name } }
  applications(first: 10) { pageInfo { hasNextPage endCursor } edges { cursor node {
    id kind status temporary submittedAt enterprise { id name } specialties { code name }
    steps { seq stage outcome actorRole comment createdAt deadline } } } }
  trail(first: $first) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id action description ip userAgent occurredAt actor } } } } }"""


def specialty_json(code: str) -> shape.Json:
    known = filings.specialty(code)
    assert known is not None, code
    return {"code": known.code, "name": known.name}


def qualification_json(row: Qualification) -> shape.Json:
    return {
        "id": shape.global_id("Qualification", row.id),
        "certificateNumber": row.certificate_number,
        "issuedOn": row.issued_on.isoformat(),
        "temporary": row.temporary,
        "specialty": specialty_json(row.specialty_code),
    }


def step_json(row: ApplicationStep) -> shape.Json:
    return {
        "seq": row.seq,
        "stage": row.stage,
        "outcome": row.outcome.value,
        "actorRole": row.actor_role,
        "comment": row.comment,
        "createdAt": row.created_at.isoformat(),
        "deadline": row.deadline_on.isoformat() if row.deadline_on else None,
    }


def application_json(row: Application, steps: list[ApplicationStep], enterprises: dict[int, Any]) -> shape.Json:
    enterprise_id: int | None = row.enterprise_id  # type: ignore[attr-defined]
    enterprise = enterprises.get(enterprise_id) if enterprise_id is not None else None
    return {
        "id": shape.global_id("Application", row.id),
        "kind": row.kind.value,
        "status": row.status.value,
        "temporary": row.temporary,
        "submittedAt": row.submitted_at.isoformat(),
        "enterprise": {"id": shape.global_id("Enterprise", enterprise.id), "name": enterprise.name}
        if enterprise
        else None,
        "specialties": [specialty_json(code) for code in row.specialty_codes],
        "steps": [step_json(step) for step in steps],
    }


async def applications_json(person_id: int) -> shape.Json:
    rows, more = await filings.applications_page(person_id, filings.ApplicationFilter(), APPLICATIONS_PAGE, None)
    steps = await filings.steps_of(row.id for row in rows)
    enterprises = await filings.enterprises_by_ids(
        row.enterprise_id  # type: ignore[attr-defined]
        for row in rows
        if row.enterprise_id is not None  # type: ignore[attr-defined]
    )
    edges = [
        {"cursor": shape.cursor(row.id), "node": application_json(row, steps[row.id], enterprises)} for row in rows
    ]
    page_info = {"hasNextPage": more, "endCursor": edges[-1]["cursor"] if edges else None}
    return {"pageInfo": page_info, "edges": edges}


async def dashboard_tortoise(request: Request) -> JSONResponse:
    """GET /dashboard/tortoise?first=20 with `Authorization: Bearer <token>`."""
    first = shape.page_size(request.query_params.get("first", str(shape.PAGE_SIZE)))
    if first is None:
        return JSONResponse({"error": "first must be between 1 and 100"}, status_code=400)
    token = shape.bearer_token(request.headers)
    actor = await accounts.resolve_session(token) if token else None
    person = await accounts.find_person(actor.id) if actor is not None and actor.is_person else None
    if actor is None or person is None:
        return JSONResponse(shape.envelope(None))
    qualifications = (await filings.qualifications_for_people([person.id]))[person.id]
    viewer = {
        "id": shape.global_id("Person", person.id),
        "realName": person.real_name,
        "qualifications": [qualification_json(row) for row in qualifications],
        "applications": await applications_json(person.id),
        "trail": await _trail(person, first)
        if trail.may_view(actor, person.id)
        else shape.trail_json([], [], False, 0),
    }
    return JSONResponse(shape.envelope(viewer))
