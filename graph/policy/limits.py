"""The depth and alias limits as a validation rule (added to every request's rules by graph.policy.extensions)."""

from __future__ import annotations

from typing import Any

from graphql import DocumentNode, GraphQLError, ValidationRule

from graph.policy import document_size
from graph.policy.codes import TopLevelCode


def document_limits_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """A validation rule (built once per schema, so validation stays cacheable) for depth and aliases,
    measured on the fragment-expanded operation in linear time."""

    class DocumentLimits(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            size = document_size.measure(node)
            if size.depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"查询嵌套过深（{size.depth} 层，上限 {max_depth}）/ "
                        f"exceeds maximum operation depth of {max_depth}.",
                        extensions={"code": TopLevelCode.QUERY_TOO_DEEP.value},
                    )
                )
            if size.aliases > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"别名过多（{size.aliases} 个，上限 {max_aliases}）/ "
                        f"{size.aliases} aliases, at most {max_aliases}.",
                        extensions={"code": TopLevelCode.TOO_MANY_ALIASES.value},
                    )
                )

    return DocumentLimits
