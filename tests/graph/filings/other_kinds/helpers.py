"""Steps of the cancellation, replacement, personal-info change and resubmission tests over HTTP."""

from __future__ import annotations

from typing import Any

from db.models import Application, Person, StaffRole, StaffUser
from domain import filings, review
from domain.kernel import clock
from domain.kernel.actors import Actor, ActorKind, RequestMeta
from tests.filing_helpers import APPLICATION_FIELDS, make_enterprise, register
from tests.helpers import Api, image_bytes

DETAILS = """details { __typename ... on CancellationDetails { cancellationReason note }
  ... on CertificateReplacementDetails { replacementReason reasonText commitment }
  ... on PersonalInfoChangeDetails { changes newName newIdNumberMasked attachmentIds } }"""
FIELDS = f"{APPLICATION_FIELDS} {DETAILS}"
MUTATIONS = {
    "CANCELLATION": ("fileCancellation", "FileCancellationInput"),
    "CERTIFICATE_REPLACEMENT": ("fileCertificateReplacement", "FileCertificateReplacementInput"),
    "PERSONAL_INFO_CHANGE": ("filePersonalInfoChange", "FilePersonalInfoChangeInput"),
}
RESUBMIT = f"""mutation($input: ResubmitApplicationInput!) {{ resubmitApplication(input: $input) {{
  errors {{ field code message }} application {{ {FIELDS} }} }} }}"""
PENDING = """query { viewer { realName idNumberMasked pendingInfoChange { applicationId status changes newName
  newIdNumberMasked submittedAt } } }"""
STAFF_META = RequestMeta(ip="203.0.113.20", user_agent="review-test")


async def file_kind(api: Api, kind: str, fields: dict[str, Any], code: str, accept: bool = True) -> dict[str, Any]:
    """Call the kind's mutation; the payload (no top-level errors)."""
    name, input_type = MUTATIONS[kind]
    query = f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
      errors {{ field code message }} application {{ {FIELDS} }} }} }}"""
    body = await api.gql(query, {"input": {**fields, "acceptTerms": accept, "smsCode": code}})
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


def errors_of(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(field, code) of each error, as given."""
    return [((e["field"] or [None])[-1], e["code"]) for e in payload["errors"]]


async def registered(person: Person, **facts: Any) -> None:
    """An ACTIVE registration (or the status given) in specialty 01 with a qualified employer."""
    await register(person, await make_enterprise(), ["01"], **facts)


async def upload_id_cards(api: Api) -> list[str]:
    """The ID card's front and back uploaded now; their global ids."""
    ids = []
    for kind in ("ID_CARD_FRONT", "ID_CARD_BACK"):
        body = (await api.upload(kind, image_bytes(800, 500))).json()["data"]["uploadAttachment"]
        assert body["errors"] == [], body
        ids.append(body["attachment"]["id"])
    return ids


async def staff_actor(role: StaffRole, application_pk: int) -> Actor:
    """A staff user of the role whose review scope holds the filing (its employer's staff; the ministry)."""
    row, _ = await StaffUser.get_or_create(
        username=f"review-{role.value.lower()}", defaults={"display_name": "审查员", "role": role, "password_hash": "-"}
    )
    application = await Application.get(id=application_pk)
    return Actor(
        kind=ActorKind.STAFF,
        id=row.id,
        session_id=0,
        role=role.value,
        enterprise_id=application.enterprise_id,  # type: ignore[attr-defined]
        specialty_codes=tuple(application.specialty_codes),
    )


async def returned(app: Any, application_pk: int, role: StaffRole = StaffRole.ENTERPRISE) -> None:
    """The reviewing stage returns the filing for correction (what returnApplication does)."""
    items = (filings.CorrectionItem("ID_CARD_UNCLEAR", "身份证国徽面照片不清晰，请重新上传", "attachmentIds"),)
    decision = review.Decision(application_pk, review.Action.RETURN, "请补正后重新提交", items)
    await review.decide(app.state.deps, await staff_actor(role, application_pk), decision, STAFF_META)


def later(seconds: float = 2) -> None:
    clock.advance(seconds)
