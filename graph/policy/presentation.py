"""How errors leave the server, in one place: unexpected ones masked (and logged with their traceback), expected
ones kept with their codes, field suggestions (and the names of required input fields) cut outside dev; and the
safe one-line log of expected ones."""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError
from strawberry.relay import GlobalIDValueError

from graph.policy.codes import TopLevelCode

logger = logging.getLogger("portal.graphql")
TOKENS_RE = re.compile(r"^Syntax Error: Document contains more than \d+ tokens\.")
# graphql-core's suggestions, wherever they stand: "Did you mean 'a', 'b', or 'c'?" (names hold no '?'), the enum
# form "Did you mean the enum value 'X'?", mid-message before "Found: …" for an unknown input field.
SUGGESTION_RE = re.compile(r"\s*Did you mean [^?]*\?")
# One error per required input field names them all, one by one: in production the message names none.
REQUIRED_FIELD_RE = re.compile(r"to include required field '[^']*'")
INTERNAL_MESSAGE = "服务器内部错误，请稍后重试。"
INVALID_ID_MESSAGE = "对象 ID 不正确。"
INVALID_VALUE_MESSAGE = "参数值不正确。"
# graphql-core's refusals of a value (a variable's or a literal's): a malformed date, an enum value that does not
# exist, a missing required field. The message names where, in Chinese; graphql-core's words stay in `detail`.
VARIABLE_VALUE_RE = re.compile(
    r"^Variable '\$(?P<name>\w+)' (has invalid value|got invalid value|of required type|of non-null type)"
    r"( at (?P<at>[\w.\[\]]*))?"
)
LITERAL_VALUE_RE = re.compile(
    r"^(Expected value of type|Field '[^']*' of required type|\w+ cannot represent|Enum '[^']*' cannot represent)"
)


def _coded(code: TopLevelCode) -> dict[str, str]:
    return {"code": code.value}


def is_expected(error: GraphQLError) -> bool:
    """Validation and auth errors are shown as they are; anything else is masked."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


def log_request_errors(errors: list[GraphQLError]) -> None:
    """Expected errors as one line each, by code and path, never with the query text or variable values: those
    may hold passwords and line breaks (Strawberry's default log prints the query source). `present` logs the
    unexpected ones with their traceback."""
    for error in errors:
        if is_expected(error):
            code = (error.extensions or {}).get("code", "BAD_REQUEST")
            logger.info("request error %s at %s", code, ".".join(map(str, error.path or ())) or "-")


def present(error: GraphQLError, hide_suggestions: bool) -> GraphQLError:
    """The error as the client sees it: masked when unexpected, suggestions cut in production."""
    if isinstance(error.original_error, GlobalIDValueError):  # a client-made id naming no type of ours
        return GraphQLError(
            INVALID_ID_MESSAGE, nodes=error.nodes, path=error.path, extensions=_coded(TopLevelCode.INVALID_ID)
        )
    if not is_expected(error) and error.nodes and error.path is None:
        # Tied to the document but to no field resolved: a literal its scalar could not parse (an Int of 5000
        # digits makes int() raise ValueError inside validation). The request's fault; the message is Python's.
        return GraphQLError(INVALID_VALUE_MESSAGE, nodes=error.nodes, extensions=_coded(TopLevelCode.INVALID_INPUT))
    if not is_expected(error):
        logger.error("unexpected error at %s", error.path, exc_info=error.original_error)
        return GraphQLError(
            INTERNAL_MESSAGE, nodes=error.nodes, path=error.path, extensions=_coded(TopLevelCode.INTERNAL_SERVER_ERROR)
        )
    if TOKENS_RE.search(error.message) and not error.extensions:  # graphql-core's token cap, raised by its parser
        return GraphQLError(error.message, nodes=error.nodes, extensions=_coded(TopLevelCode.QUERY_TOO_LARGE))
    message = error.message
    if hide_suggestions:
        message = REQUIRED_FIELD_RE.sub("to include all its required fields", SUGGESTION_RE.sub("", message))
    if not error.extensions and error.path is None:
        return _coded_request_error(error, message)
    unchanged = message == error.message
    return (
        error if unchanged else GraphQLError(message, nodes=error.nodes, path=error.path, extensions=error.extensions)
    )


def _coded_request_error(error: GraphQLError, message: str) -> GraphQLError:
    """graphql-core's own refusals get a code: a value its type cannot take is INVALID_INPUT, in Chinese with the
    place (`input.contractStart`); a document that does not parse or validate keeps graphql-core's precise words."""
    variable = VARIABLE_VALUE_RE.match(message)
    if variable or LITERAL_VALUE_RE.match(message):
        where = (variable["name"] + (variable["at"] or "")) if variable else ""
        extensions = {"code": TopLevelCode.INVALID_INPUT.value, "detail": message}
        text = f"参数值不正确（{where}），请检查格式与取值。" if where else INVALID_VALUE_MESSAGE
        return GraphQLError(text, nodes=error.nodes, path=error.path, extensions=extensions)
    code = (
        TopLevelCode.GRAPHQL_PARSE_FAILED
        if message.startswith("Syntax Error")
        else TopLevelCode.GRAPHQL_VALIDATION_FAILED
    )
    return GraphQLError(message, nodes=error.nodes, path=error.path, extensions=_coded(code))


def without_repeats(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The errors with exact repeats (same message, place and path) dropped: once the field names are cut from
    the required-field messages, six of them say the same thing."""
    seen: set[str] = set()
    kept = []
    for error in errors:
        key = repr((error.message, error.locations, error.path))
        if key not in seen:
            seen.add(key)
            kept.append(error)
    return kept
