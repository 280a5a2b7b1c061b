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

# GraphQL's lexical grammar (October 2021 spec, section 2.1). Ignored: white space, line terminators, commas and the
# byte order mark; comments are ignored by the grammar but counted by graphql-core's parser against `max_tokens`
# (3.3: a run of comments allocates tokens too), so they are matched on their own. Anything the grammar does not know
# is one token each: the parser refuses it anyway. An unterminated string is one token to the end of its line (a block
# string: of the text), read possessively: a failed string must not be rescanned from each later quote, which made
# the count quadratic in the document's length (hundreds of `"\` pairs padded with spaces took 0.4 s a request).
_TOKEN = re.compile(
    r"""
    (?>[ \t\n\r,\ufeff]*)                           # ignored, never given back
    (?:(                                              # one token:
        \"\"\"(?:[^"\\]|\\\"\"\"|\\|"(?!""))*+(?:\"\"\"|\Z)   #   block string, with \""" inside
        |"(?:[^"\\\n\r]|\\.)*+(?:"|(?=[\n\r])|\Z)           #   string
        |-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?       #   Int or Float
        |[_A-Za-z][_0-9A-Za-z]*                          #   name
        |\.\.\.                                          #   spread
        |[^ \t\n\r,\ufeff\#]                              #   punctuator (or an unknown character)
    )|(\#[^\n\r]*)                                     # or a comment
    |\Z)                                              # or the end: the matches cover the text, none skips a part
    """,
    re.VERBOSE | re.DOTALL,
)


def significant_tokens(text: str, limit: int) -> list[str] | None:
    """The document's tokens in order (comments left out), or None as soon as its tokens and comments together,
    as graphql-core's parser counts them for `max_tokens`, are more than `limit`. Each match skips white space
    before one token, one comment or the end; the loop over the matches runs in C."""
    matches = itertools.islice(_TOKEN.finditer(text), limit + 3)  # the end matches (at most two) count nothing
    counted = [match[1] for match in matches if match.lastindex]  # a token's text, or None for a comment
    return None if len(counted) > limit else [token for token in counted if token is not None]


def fingerprint(tokens: list[str]) -> bytes:
    """A digest of the tokens (NUL-separated: no token of a valid document holds one)."""
    return hashlib.blake2b("\x00".join(tokens).encode("utf-8", "surrogatepass"), digest_size=16).digest()
