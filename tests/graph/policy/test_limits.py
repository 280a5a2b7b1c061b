"""SECURITY check 20, the document limits: depth, tokens and aliases (through fragments too)."""

from __future__ import annotations

from domain.kernel.settings import get_settings
from tests.graph.policy.helpers import error_messages, rejected
from tests.helpers import Api


async def test_fifty_levels_deep_is_rejected(api: Api) -> None:
    await api.signed_up()
    query = "{ viewer " + "{ attachments " * 49 + "{ id }" + " }" * 49 + " }"

    body = await rejected(api, query)

    assert "maximum operation depth" in error_messages(body)


async def test_depth_limit_counts_through_fragments(api: Api) -> None:
    fragments = "\n".join(f"fragment F{i} on Person {{ attachments {{ ...F{i + 1} }} }}" for i in range(49))
    query = "{ viewer { ...F0 } }\n" + fragments + "\nfragment F49 on Person { id }"
    body = await rejected(api, query)
    assert error_messages(body)


async def test_ten_thousand_tokens_are_rejected(api: Api) -> None:
    await api.signed_up()  # 110 KB: an anonymous caller is refused by the body cap first
    query = "{ " + " ".join("__typename" for _ in range(10_000)) + " }"
    body = await rejected(api, query)
    assert "tokens" in error_messages(body)


async def test_a_thousand_aliases_are_rejected(api: Api) -> None:
    await api.signed_up()  # over the anonymous body cap
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(1000)) + " }"
    await rejected(api, query)


async def test_more_aliases_than_allowed_are_rejected(api: Api) -> None:
    limit = get_settings().graphql_max_aliases
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(limit + 1)) + " }"
    body = await rejected(api, query)
    assert "aliases" in error_messages(body)
    within = await api.gql("{ " + " ".join(f"a{i}: __typename" for i in range(limit)) + " }")
    assert within["data"]["a0"] == "Query"


async def test_aliases_are_counted_through_fragments(api: Api) -> None:
    limit = get_settings().graphql_max_aliases
    fields = " ".join(f"a{i}: captcha {{ id }}" for i in range(limit // 2 + 1))
    body = (
        await api.post(f"query {{ ...A ...B }} fragment A on Query {{ {fields} }} fragment B on Query {{ {fields} }}")
    ).json()
    assert "TOO_MANY_ALIASES" in [error["extensions"]["code"] for error in body["errors"]]
