"""The document gate, before graphql-core parses anything: what a refused document may cost the event loop.

Parsing is the dearest step left to a document the policy refuses (graphql-core's lexer and parser take ~13 µs a
token here, ~13 ms for a document at the token cap, all on the loop). So, for a text not already admitted:

1. an address that had more than `graphql_max_refusals_per_minute` documents refused gets TOO_MANY_REQUESTS for
   any new document until its minute is over, answered after REFUSAL_HOLD_S: varying the document each time does
   not buy parses, and a client sending back to back no longer takes the loop's share. Counted
   in the process (a dictionary look-up, no Redis round trip on the refusal path): what is protected is this
   process's event loop.
2. its tokens are counted in one pass of a regular expression (`tokens.py`, ~0.6 ms at the cap), and a document
   over the token cap is refused there, never parsed;
3. a document whose tokens (comments, white space and commas aside) were already refused for its size is refused
   again from a small cache, without parsing: a fresh comment no longer buys a fresh parse;

Texts that passed validation are admitted (a bounded set) and skip the gate afterwards.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.kernel import clock
from domain.kernel.errors import wait_text
from graph.policy.codes import TopLevelCode
from graph.policy.lru import BoundedCache
from graph.policy.streams import over_socket
from graph.policy.tokens import fingerprint, significant_tokens

GATE_CACHE_SIZE = 1024  # refused token fingerprints, and admitted texts (each at most CACHED_QUERY_CHARS)
REFUSAL_WINDOW_S = 60
GATE_ADDRESSES = 10_000
REFUSAL_HOLD_S = 1.0  # how long the answer to an address over its limit is held (costs the loop nothing)
CACHED_QUERY_CHARS = 20_000
COUNTED = frozenset({TopLevelCode.QUERY_TOO_LARGE.value, TopLevelCode.QUERY_TOO_COMPLEX.value})


def too_many_refusals(wait: int) -> GraphQLError:
    return GraphQLError(
        f"被拒绝的查询过多，请在{wait_text(wait)}后重试 / Too many refused documents: retry in {wait} s.",
        extensions={"code": TopLevelCode.TOO_MANY_REQUESTS.value, "retryAfterSeconds": wait},
    )


def token_cap_error(max_tokens: int) -> GraphQLError:
    """The refusal graphql-core's parser would give at the cap, with its message, coded."""
    return GraphQLError(
        f"Syntax Error: Document contains more than {max_tokens} tokens. Parsing aborted.",
        extensions={"code": TopLevelCode.QUERY_TOO_LARGE.value},
    )


@dataclass
class GateBook:
    """The gate's state for one schema: the caps, refused fingerprints and admitted texts."""

    max_tokens: int
    refused: BoundedCache[GraphQLError] = field(default_factory=lambda: BoundedCache(GATE_CACHE_SIZE))
    admitted: BoundedCache[bool] = field(default_factory=lambda: BoundedCache(GATE_CACHE_SIZE))

    def admit(self, query: str) -> None:
        """A text that parsed and validated: later requests with it skip the gate."""
        if len(query) <= CACHED_QUERY_CHARS:
            self.admitted.put(query, True)

    def remember_refusal(self, query: str, error: GraphQLError) -> None:
        """A refusal decided by the document alone (its size), kept for every text with the same tokens."""
        tokens = significant_tokens(query, self.max_tokens)
        if tokens is not None:
            self.refused.put(fingerprint(tokens), error)


class RefusalCounter:
    """Documents refused per client address in fixed windows of REFUSAL_WINDOW_S, in this process (at most
    GATE_ADDRESSES addresses kept, the least recently refused dropped first)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.windows: BoundedCache[tuple[float, int]] = BoundedCache(GATE_ADDRESSES)

    def count(self, address: str) -> None:
        now = clock.timestamp()
        started, refused = self.windows.peek(address) or (now, 0)
        if now - started >= REFUSAL_WINDOW_S:
            started, refused = now, 0
        self.windows.put(address, (started, refused + 1))

    def wait_s(self, address: str) -> int | None:
        """Seconds until the address may send new documents again, when it is over the limit."""
        started, refused = self.windows.peek(address) or (0.0, 0)
        left = started + REFUSAL_WINDOW_S - clock.timestamp()
        return math.ceil(left) if refused > self.limit and left > 0 else None


def _counter_and_address(context: object) -> tuple[RefusalCounter | None, str]:
    request = getattr(context, "request", None)
    state = getattr(getattr(request, "app", None), "state", None)
    meta = getattr(context, "meta", None)
    return getattr(state, "document_refusals", None), str(getattr(meta, "ip", "unknown"))


def count_refusal(context: object, errors: list[GraphQLError]) -> None:
    """One more refused document for the caller's address when the policy refused this one for its size or
    cost."""
    counter, address = _counter_and_address(context)
    if counter is not None and any((error.extensions or {}).get("code") in COUNTED for error in errors):
        counter.count(address)


class DocumentGate(SchemaExtension):
    """Counts tokens, looks up refused fingerprints and the address's refusals before the parse (see above)."""

    def __init__(self, book: GateBook) -> None:
        self.book = book

    async def on_parse(self) -> AsyncIterator[None]:
        query, context = self.execution_context.query, self.execution_context.context
        # Not on the WebSocket: Strawberry's stream path lets an error raised in this hook escape, and a socket
        # is signed in, capped per person and per frame; the token cap still holds there (MaxTokensLimiter).
        if query is not None and not over_socket(context) and self.book.admitted.peek(query) is None:
            counter, address = _counter_and_address(context)
            wait = None if counter is None else counter.wait_s(address)
            if wait is not None:  # held a moment: the address's requests no longer come back to back
                await asyncio.sleep(REFUSAL_HOLD_S)
                raise too_many_refusals(wait)
            refusal = self.refusal(query)
            if refusal is not None:
                count_refusal(context, [refusal])
                raise refusal
        yield

    def refusal(self, query: str) -> GraphQLError | None:
        """The token cap, or a refusal already decided for a document with the same tokens."""
        tokens = significant_tokens(query, self.book.max_tokens)
        if tokens is None:
            return token_cap_error(self.book.max_tokens)
        known = self.book.refused.peek(fingerprint(tokens))
        return None if known is None else GraphQLError(known.message, extensions=known.extensions)
