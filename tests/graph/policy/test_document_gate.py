"""SECURITY check 25, the document gate before the parse: the token cap counted without graphql-core's parser
(its count: tokens and comments), a refused document refused again without a parse whatever its comments, and an
address past its allowance of refused documents answered TOO_MANY_REQUESTS for new documents until its minute is
over."""

from __future__ import annotations

import itertools
import random
from typing import Any

import httpx
import pytest
from graphql import GraphQLSyntaxError, parse
from graphql.language import Lexer, Source, TokenKind

from domain.kernel import clock
from domain.kernel.settings import get_settings
from graph.policy.extensions import BoundedParserCache
from graph.policy.gate import REFUSAL_WINDOW_S
from graph.policy.tokens import fingerprint, significant_tokens
from tests.graph.policy.test_cost import policy_part
from tests.graph.policy.test_document_budget import ATTACK, REPORTED_ATTACK, codes, fresh, repeated
from tests.helpers import Api

CORPUS = [
    "{ viewer { realName } }",
    '\ufeffquery Q($a: Int = -1.5e3, $b: [ID!]!) @x { a: f(x: "s\\"#}", y: """b "" \\""" x""") { ...F } }\n'
    "fragment F on T { ... on U { c } } # a comment { with braces }",
    "{a,b,,c}\r\n#x\r{d(e: [1 2 3], f: {g: null h: true})}   \t ,,",
    'mutation { m(input: {s: "\\u00e9\\n 中文"}) { e } } subscription S { x }',
    '"""描述 with "quotes" """ type A { b: C }   ',
    "# only a comment",
    "",
]
PIECES = ["{", "}", "(", ")", "a", "b: c", "...", "...F", '"s"', '""" b """', "1", "-2.5e-3", "$v", "!", "@d", "[", "]"]
IGNORED = [" ", ",", "\n", "\r\n", "\t", "# c\n"]  # a number followed by a name is not lexable: always one


def graphql_core_count(text: str) -> tuple[int, int]:
    """What graphql-core's parser counts against max_tokens (every token and comment, EOF excluded), and the
    tokens without the comments."""
    lexer = Lexer(Source(text))
    first = lexer.token
    while lexer.advance().kind is not TokenKind.EOF:
        pass
    kinds = []
    token = first.next
    while token is not None and token.kind is not TokenKind.EOF:
        kinds.append(token.kind)
        token = token.next
    return len(kinds), sum(kind is not TokenKind.COMMENT for kind in kinds)


def shuffled_documents(count: int) -> list[str]:
    chooser = random.Random(25)  # a fixed seed: the same documents every run
    return [
        "".join(chooser.choice(PIECES) + chooser.choice(IGNORED) for _ in range(chooser.randint(1, 40)))
        for _ in range(count)
    ]


@pytest.mark.parametrize("text", CORPUS + shuffled_documents(300))
def test_the_count_is_graphql_cores(text: str) -> None:
    counted, without_comments = graphql_core_count(text)
    tokens = significant_tokens(text, 10**6)
    assert tokens is not None and len(tokens) == without_comments, text
    if counted:
        assert significant_tokens(text, counted) == tokens
        assert significant_tokens(text, counted - 1) is None


@pytest.mark.parametrize("text", CORPUS[:5])
def test_the_parser_refuses_one_token_less_and_takes_the_count(text: str) -> None:
    counted, _ = graphql_core_count(text)
    assert significant_tokens(text, counted) is not None and significant_tokens(text, counted - 1) is None
    parse(text, max_tokens=counted)
    with pytest.raises(GraphQLSyntaxError, match="more than"):
        parse(text, max_tokens=counted - 1)


def test_comments_white_space_and_commas_do_not_change_the_fingerprint() -> None:
    def print_of(text: str) -> bytes:
        tokens = significant_tokens(text, 10**6)
        assert tokens is not None
        return fingerprint(tokens)

    assert print_of("{ a b }") == print_of("# fresh\n{a,b}\n# more")
    assert print_of("{ a b }") != print_of("{ a c }")
    assert print_of('{ f(x: "a b") }') != print_of('{ f(x: "a  b") }')


def parser_misses() -> int:
    """Misses of the schema's parse cache (shared by its instances): each is a parse."""
    parser = policy_part(BoundedParserCache)
    return int(parser.cached_parse_document.cache_info().misses)  # type: ignore[attr-defined]


async def test_over_the_token_cap_is_refused_without_a_parse(api: Api) -> None:
    before = parser_misses()
    body = await api.post(fresh(REPORTED_ATTACK))
    [error] = body.json()["errors"]
    cap = get_settings().graphql_max_tokens
    assert error["extensions"] == {"code": "QUERY_TOO_LARGE"}
    assert error["message"] == f"Syntax Error: Document contains more than {cap} tokens. Parsing aborted."
    assert parser_misses() == before


async def test_a_refused_document_is_refused_again_without_a_parse_whatever_its_comment(api: Api) -> None:
    first = (await api.post(fresh(ATTACK))).json()
    misses = parser_misses()
    again = (await api.post(fresh(ATTACK.replace(" viewer", ",\n viewer")))).json()  # new comment, commas
    assert codes(first) == codes(again) == ["QUERY_TOO_LARGE"]
    assert again["errors"][0]["message"] == first["errors"][0]["message"]
    assert parser_misses() == misses
    other = (await api.post(fresh(repeated("viewer { id }", 240)))).json()  # other tokens: decided afresh
    assert codes(other) == ["QUERY_TOO_LARGE"] and parser_misses() == misses + 1


def varied(n: int) -> str:
    """A document refused for its size, with tokens of its own (an alias no other has): no fingerprint helps."""
    return "{ " + f"a{n}: viewer {{ id }} " + " ".join(["viewer { realName }"] * 240) + " }"


async def refused_from(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_an_address_past_its_refusals_waits_for_new_documents(api: Api, app: Any) -> None:
    limit = get_settings().graphql_max_refusals_per_minute
    admitted = "query Admitted { __typename }"
    assert (await api.gql(admitted))["data"] == {"__typename": "Query"}
    answers = [codes((await api.post(varied(n))).json()) for n in range(limit)]
    assert answers == [["QUERY_TOO_LARGE"]] * limit
    assert codes((await api.post(varied(limit))).json()) == ["QUERY_TOO_LARGE"]  # the one past the allowance

    held = (await api.post(fresh("{ __typename }"))).json()  # a new, valid document: not parsed
    [error] = held["errors"]
    assert error["extensions"]["code"] == "TOO_MANY_REQUESTS" and held.get("data") is None
    assert 0 < error["extensions"]["retryAfterSeconds"] <= REFUSAL_WINDOW_S and "后重试" in error["message"]
    assert (await api.gql(admitted))["data"] == {"__typename": "Query"}  # a text already admitted still runs
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        assert (await refused_from(other, fresh("{ __typename }")))["data"] == {"__typename": "Query"}

    clock.advance(REFUSAL_WINDOW_S)
    assert (await api.post(fresh("{ __typename }"))).json()["data"] == {"__typename": "Query"}


async def test_honest_mistakes_are_not_counted(api: Api) -> None:
    """Syntax and validation errors are the client's bugs, not the dear refusals: they never lead to the wait."""
    limit = get_settings().graphql_max_refusals_per_minute
    for n in itertools.islice(itertools.count(), limit + 5):
        [error] = (await api.post(f"{{ unknownField{n} }}")).json()["errors"]
        assert "unknownField" in error["message"] and error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert (await api.post(fresh("{ __typename }"))).json()["data"] == {"__typename": "Query"}


def test_an_unterminated_string_is_one_token_to_the_end_of_its_line() -> None:
    """Read possessively, a string that never closes is one token: the next quote does not start another scan to
    the end of the line (hundreds of `"\\` pairs padded with spaces made the count quadratic, 0.4 s a request)."""
    attack = '"\\' * 495 + " " * 15_000
    assert significant_tokens(attack, 1000) == [attack]  # spaces are string characters, to the end
    assert significant_tokens('{ a(b: "open ) }\n{ x }', 1000) == ["{", "a", "(", "b", ":", '"open ) }', "{", "x", "}"]
    assert significant_tokens('"""never closed ' + "x " * 10, 1000) == ['"""never closed ' + "x " * 10]
