"""A GraphQL document's significant tokens, read by one regular expression in a single pass: the count graphql-core's
parser caps (`max_tokens`: every token but comments), found about twenty times faster than by its lexer, and stopped
as soon as the cap is passed.

The tokens also name the document: two texts with the same tokens (they differ only in comments, white space and
commas, which GraphQL ignores) parse to the same document, so a refusal decided on one holds for the other.
"""

from __future__ import annotations

import hashlib
import itertools
import re

# GraphQL's lexical grammar (October 2021 spec, section 2.1). Ignored: white space, line terminators, commas, the
# byte order mark and comments. Anything the grammar does not know is one token each: the parser refuses it anyway.
_TOKEN = re.compile(
    r"""
    (?>(?:[ \t\n\r,\ufeff]+|\#[^\n\r]*)*)      # ignored, never given back
    (                                             # one token:
        \"\"\"(?:[^"\\]|\\\"\"\"|\\|"(?!""))*\"\"\"      #   block string, with \""" inside
        |"(?:[^"\\\n\r]|\\.)*"                      #   string
        |-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?   #   Int or Float
        |[_A-Za-z][_0-9A-Za-z]*                      #   name
        |\.\.\.                                      #   spread
        |[^ \t\n\r,\ufeff\#]                          #   punctuator (or an unknown character)
    )
    """,
    re.VERBOSE | re.DOTALL,
)


def significant_tokens(text: str, limit: int) -> list[str] | None:
    """The document's tokens in order, or None as soon as there are more than `limit` (each match skips what is
    ignored before one token: the loop over the matches runs in C)."""
    tokens = [match[1] for match in itertools.islice(_TOKEN.finditer(text), limit + 1)]
    return None if len(tokens) > limit else tokens


def fingerprint(tokens: list[str]) -> bytes:
    """A digest of the tokens (NUL-separated: no token of a valid document holds one)."""
    return hashlib.blake2b("\x00".join(tokens).encode("utf-8", "surrogatepass"), digest_size=16).digest()
