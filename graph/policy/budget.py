"""What a document may cost before graphql-core validates it, checked in linear time on the parsed document.

Validation is the expensive step an anonymous client can buy: its overlapping-fields rule compares every two fields
answering under one response path, so 490 copies of `viewer { realName }` (10 KB, under the token cap) cost a
second on the event loop. A document is refused, with a coded error and before any validation rule runs, when it
has more selections than `graphql_max_selections` (fragments expanded), more literal values (list items
included) than `graphql_max_literal_values`, or more same-path field pairs than `graphql_max_overlapping_pairs`.
A document of several operations must name the one to run.
"""

from __future__ import annotations

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode

from domain.kernel.settings import Settings
from graph.policy import document_size
from graph.policy.codes import TopLevelCode
from graph.policy.overlaps import literal_values, overlapping_pairs

WALK_FACTOR = 4  # the pair count may walk each definition with its fragments: a few times the selections cap


def _error(code: TopLevelCode, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code.value})


def variables_error(document: DocumentNode, settings: Settings) -> GraphQLError | None:
    """More variable definitions than a request may give values for (245 unused ones took ~12 ms to validate)."""
    limit = settings.graphql_max_variables
    defined = sum(len(getattr(d, "variable_definitions", None) or ()) for d in document.definitions)
    if defined > limit:
        return _error(TopLevelCode.TOO_MANY_VARIABLES, f"变量过多（{defined} 个，上限 {limit}）/ {defined} variables.")
    return None


def operation_name_error(document: DocumentNode, operation_name: str | None) -> GraphQLError | None:
    """Several operations and no operationName: the spec's error, not the first operation run."""
    operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
    if operations > 1 and not operation_name:
        return _error(
            TopLevelCode.OPERATION_NAME_REQUIRED,
            "文档含多个操作，须指定 operationName / Must provide operation name if query contains multiple operations.",
        )
    return None


def size_error(document: DocumentNode, settings: Settings) -> GraphQLError | None:
    """Too many selections or too many overlapping field pairs for validation to stay cheap."""
    max_selections, max_pairs = settings.graphql_max_selections, settings.graphql_max_overlapping_pairs
    selections = document_size.measure(document).selections
    if selections > max_selections:
        return _error(
            TopLevelCode.QUERY_TOO_LARGE,
            f"查询字段过多（{selections} 个，上限 {max_selections}）/ "
            f"{selections} selections, at most {max_selections}.",
        )
    values, max_values = literal_values(document), settings.graphql_max_literal_values
    if values > max_values:
        return _error(
            TopLevelCode.QUERY_TOO_LARGE,
            f"查询中的参数值过多（{values} 个，上限 {max_values}）/ {values} literal values, at most {max_values}.",
        )
    pairs = overlapping_pairs(document, WALK_FACTOR * max_selections)
    if pairs is None or pairs > max_pairs:
        shown = "?" if pairs is None else str(pairs)
        return _error(
            TopLevelCode.QUERY_TOO_LARGE,
            f"重复字段过多（同一位置的重复字段 {shown} 对，上限 {max_pairs}）/ "
            f"{shown} pairs of fields under one response key, at most {max_pairs}.",
        )
    return None


def document_refusal(document: DocumentNode, operation_name: str | None, settings: Settings) -> GraphQLError | None:
    """The first reason to refuse the document before validation, if any."""
    return (
        operation_name_error(document, operation_name)
        or variables_error(document, settings)
        or size_error(document, settings)
    )
