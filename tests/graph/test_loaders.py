"""Per-request DataLoaders: batched reads, never a stale answer after a mutation field changed the data."""

from __future__ import annotations

from tests.helpers import Api
from tests.verification_helpers import signed_up_with_materials

SEQUENCE = """mutation {
  a: updateProfile(input: {}) { person { verification { status } attachments { kind } } }
  s: startAlipayVerification { verification { status } }
  b: updateProfile(input: {}) { person { verification { status } attachments { kind } } }
}"""


async def test_a_later_mutation_field_sees_what_an_earlier_one_changed(api: Api) -> None:
    await signed_up_with_materials(api)
    body = await api.gql(SEQUENCE)
    assert "errors" not in body, body
    data = body["data"]
    assert data["a"]["person"]["verification"] is None
    assert data["s"]["verification"]["status"] == "PENDING"
    assert data["b"]["person"]["verification"] == {"status": "PENDING"}
    assert [a["kind"] for a in data["b"]["person"]["attachments"]] == ["ID_CARD_FRONT", "ID_CARD_BACK", "HANDHELD_ID"]
