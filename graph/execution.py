"""The schema's executor: graphql-core's, with shortcuts for the bulk of every result (graph.field_plans).

Most fields of a response are plain attributes: scalars and enums, Relay ids, the objects and lists of objects
that hold them. For each, graphql-core builds a Path, a GraphQLResolveInfo and a Strawberry Info, calls the
resolver through Strawberry's wrappers and completes the value through a chain of type checks: ≈ 4 µs a field,
most of a viewer query's CPU time, none of it read by such fields. Their plans answer them directly; every other
field (resolvers, arguments, abstract types, @defer) and every irregular value takes the standard path, which
raises and locates errors exactly as before. Errors inside a shortcut object or list are handled as graphql-core
handles them (`handle_field_error`: null for a nullable position, propagated for a non-null one).
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLOutputType, GraphQLResolveInfo, Undefined
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph.field_plans import PLAIN_TYPES, SLOW, Completion, Plan, completion_for, plan_for

FieldPlans = list[Plan | None]
PlanCache = dict[int, tuple[GraphQLField, Plan | None]]
CompletionCache = dict[int, tuple[GraphQLOutputType, Completion | None]]
NO_PLANS = itertools.repeat(None)


class PortalExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution with plain fields answered by their plans (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager  # Strawberry passes one, empty unless an extension wraps resolvers
        self.plans_allowed = (manager is None or not manager.middlewares) and self.abort_signal is None
        self.selection_plans: dict[int, tuple[GroupedFieldSet, FieldPlans]] = {}  # this request's selections
        # On the schema object itself, so they go with it: id(field definition) → plan, id(output type) →
        # completion, each kept with its key (the ids stay valid while the entry holds the object).
        caches = self.schema.__dict__
        self.schema_plans: PlanCache = caches.setdefault("_portal_field_plans", {})
        self.schema_completions: CompletionCache = caches.setdefault("_portal_completions", {})

    def field_plan(self, parent_type: GraphQLObjectType, details: FieldDetailsList) -> Plan | None:
        node = details[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        if field_def is None or node.arguments:
            return None
        known = self.schema_plans.get(id(field_def))
        if known is None or known[0] is not field_def:
            known = (field_def, plan_for(field_def))
            self.schema_plans[id(field_def)] = known
        return known[1]

    def plans_of(self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> FieldPlans | None:
        """The plans of a selection, worked out once per request (a list's items share one selection)."""
        if not self.plans_allowed:
            return None
        known = self.selection_plans.get(id(grouped_field_set))
        if known is None or known[0] is not grouped_field_set:
            plans = [self.field_plan(parent_type, details) for details in grouped_field_set.values()]
            known = (grouped_field_set, plans)
            self.selection_plans[id(grouped_field_set)] = known
        return known[1]

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_fields`, trying each field's plan before the standard path."""
        plans = self.plans_of(parent_type, grouped_field_set) if position_context is None else None
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for (response_name, details), plan in zip(grouped_field_set.items(), plans or NO_PLANS, strict=False):
                if plan is not None:
                    result = plan(self, source_value, parent_type, path, response_name, details)
                    if result is not SLOW:
                        results[response_name] = result
                        if type(result) not in PLAIN_TYPES and is_awaitable(result):
                            awaitable_fields.append(response_name)
                        continue
                field_path = Path(path, response_name, parent_type.name)
                result = self.execute_field(parent_type, source_value, details, field_path, position_context)
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:  # settle the other fields' awaitables: they may fail too
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self.gather_fields(results, awaitable_fields)

    async def gather_fields(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        """The awaited values in place of the awaitables, as graphql-core's `execute_fields` does."""
        if len(awaitable_fields) == 1:
            results[awaitable_fields[0]] = await results[awaitable_fields[0]]
            return results
        awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
        results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def subselection(self, object_type: GraphQLObjectType, details: FieldDetailsList) -> GroupedFieldSet | None:
        """The object's selection, or None when it holds @defer (the incremental executor's business)."""
        collected = self.collect_subfields(object_type, details)
        return None if collected.new_defer_usages else collected.grouped_field_set

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """Objects and lists of objects (a resolver's result included) completed by their plans."""
        if result is not None and position_context is None and self.plans_allowed:
            completion = self.completion_of(return_type)
            if completion is not None:
                completed = completion(self, result, path, field_details_list)
                if completed is not SLOW:
                    return completed
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    def completion_of(self, return_type: GraphQLOutputType) -> Completion | None:
        known = self.schema_completions.get(id(return_type))
        if known is None or known[0] is not return_type:
            known = (return_type, completion_for(return_type))
            self.schema_completions[id(return_type)] = known
        return known[1]

    def complete_items(
        self,
        item_type: GraphQLOutputType,
        object_type: GraphQLObjectType,
        items: list[Any] | tuple[Any, ...],
        path: Path,
        details: FieldDetailsList,
        selection: GroupedFieldSet,
    ) -> Any:
        """Each item's selection executed, errors handled per item as graphql-core's list completion does."""
        completed: list[Any] = []
        pending: list[int] = []
        for index, item in enumerate(items):
            item_path = Path(path, index, None)
            try:
                result = self.execute_fields(object_type, item, item_path, selection, None)
            except Exception as error:
                try:
                    self.handle_field_error(error, item_type, details, item_path)
                except Exception:  # propagates (a non-null item): settle the items already started, as graphql-core
                    self.settle_in_background([completed[index] for index in pending])
                    raise
                result = None
            if self.is_awaitable(result):
                result = self.guarded_await(result, item_type, details, item_path)
                pending.append(index)
            completed.append(result)
        return self.gather_items(completed, pending) if pending else completed

    async def gather_items(self, completed: list[Any], pending: list[int]) -> list[Any]:
        awaited = await gather_with_cancel(*(completed[index] for index in pending))
        for index, value in zip(pending, awaited, strict=True):
            completed[index] = value
        return completed

    def field_error(
        self, error: Exception, parent_type: GraphQLObjectType, path: Path | None, name: str, details: FieldDetailsList
    ) -> None:
        """A plan's attribute read raised: located at the field, as graphql-core does for a raising resolver."""
        field_def = self.schema.get_field(parent_type, details[0].node.name.value)
        assert field_def is not None  # a plan exists only for a field of the type
        self.handle_field_error(error, field_def.type, details, Path(path, name, parent_type.name))

    def complete_read(
        self, parent_type: GraphQLObjectType, path: Path | None, name: str, details: FieldDetailsList, value: Any
    ) -> Any:
        """A value a plan read but does not answer, completed by graphql-core as `execute_field` completes a
        resolver's result (so the attribute is read once, whatever its value)."""
        field_def = self.schema.get_field(parent_type, details[0].node.name.value)
        assert field_def is not None
        field_path = Path(path, name, parent_type.name)
        info = self.build_resolve_info(field_def, to_nodes(details), parent_type, field_path)
        try:
            if self.is_awaitable(value):
                return self.complete_awaitable_value(field_def.type, details, info, field_path, value, None)
            completed = self.complete_value(field_def.type, details, info, field_path, value, None)
        except Exception as error:
            self.handle_field_error(error, field_def.type, details, field_path)
            return None
        if self.is_awaitable(completed):
            return self.guarded_await(completed, field_def.type, details, field_path)
        return completed

    def complete_guarded(
        self, completion: Completion, field_type: GraphQLOutputType, value: Any, path: Path, details: FieldDetailsList
    ) -> Any:
        """A planned field's completion with graphql-core's error handling for its position: a located error is
        collected and the field is null, or it propagates when the field is non-null."""
        try:
            result = completion(self, value, path, details)
        except Exception as error:
            self.handle_field_error(error, field_type, details, path)
            return None
        if result is not SLOW and self.is_awaitable(result):
            return self.guarded_await(result, field_type, details, path)
        return result

    async def guarded_await(
        self, result: Awaitable[Any], field_type: GraphQLOutputType, details: FieldDetailsList, path: Path
    ) -> Any:
        try:
            return await result
        except Exception as error:
            self.handle_field_error(error, field_type, details, path)
            return None
