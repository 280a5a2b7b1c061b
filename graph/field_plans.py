"""Shortcuts for the fields that make up most of a response, decided once per field definition.

A plan answers one field of one source object. It reads the attribute once; a value that is not plain (a null
for a non-null field, a value the type refuses, an awaitable, an object of another class or type cast) is handed,
as read, to graphql-core's own completion (`PortalExecutionContext.complete_read`), and an exception from the read
is located at the field as graphql-core does (`PortalExecutionContext.field_error`). A plan returns SLOW only before
reading anything, when the standard path must answer the field itself.

- leaf: a plain attribute of scalar or enum type, coerced by the field type's own output coercion;
- node id: Relay's `id` (base64 of `Type:pk`) for nodes that keep Node's default id and type name;
- object / object list: a plain attribute holding an object (or a list of them) of the field's class, whose
  sub-selection then runs through the executor (`PortalExecutionContext.complete_guarded`/`complete_items`); the
  same completions serve resolvers' results (`PortalExecutionContext.complete_value`).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.relay import Node
from strawberry.relay.utils import to_base64
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import get_strawberry_type_cast
from strawberry.types.field import StrawberryField

if TYPE_CHECKING:
    from graph.execution import PortalExecutionContext

SLOW = object()  # this field must go the standard way
PLAIN_TYPES = frozenset((str, int, float, bool))  # never awaitable: no check needed
Plan = Callable[["PortalExecutionContext", Any, GraphQLObjectType, "Path | None", str, FieldDetailsList], Any]
Completion = Callable[["PortalExecutionContext", Any, Path, FieldDetailsList], Any]  # (ex, value, path, details)


def unwrap(field_type: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    """The type inside a NonNull, and whether null is allowed."""
    if isinstance(field_type, GraphQLNonNull):
        return field_type.of_type, False
    return field_type, True


def leaf_plan(field_type: GraphQLOutputType, read: Callable[[Any], Any]) -> Plan:
    """Read, then complete as graphql-core does for a scalar or enum."""
    nullable = unwrap(field_type)[1]
    coerce = get_named_type(field_type).coerce_output_value  # type: ignore[attr-defined]  # a leaf type

    def run(ex: Any, source: Any, parent: GraphQLObjectType, path: Any, name: str, details: Any) -> Any:
        try:
            value = read(source)
        except Exception as error:
            return ex.field_error(error, parent, path, name, details)
        if value is None:
            return None if nullable else ex.complete_read(parent, path, name, details, value)
        if type(value) not in PLAIN_TYPES and (
            isinstance(value, Exception) or value is Undefined or ex.is_awaitable(value)
        ):  # graphql-core raises an Exception held as a value, nulls Undefined, awaits an awaitable
            return ex.complete_read(parent, path, name, details, value)
        try:
            coerced = coerce(value)
        except Exception:  # graphql-core's completion raises it again, located and presented
            return ex.complete_read(parent, path, name, details, value)
        if coerced is None or coerced is Undefined:
            return ex.complete_read(parent, path, name, details, value)
        return coerced

    return run


def overrides(cls: type, method: str) -> bool:
    """Whether a Node subclass replaces one of Node's classmethods (by any kind of method)."""
    return getattr(getattr(cls, method), "__func__", None) is not getattr(Node, method).__func__


def node_id_plan() -> Plan:
    """Relay's `id`, as Node's own resolver gives it for nodes that keep its defaults."""

    def run(ex: Any, source: Any, parent: GraphQLObjectType, path: Any, name: str, details: Any) -> Any:
        cls = type(source)
        if not isinstance(source, Node) or overrides(cls, "resolve_id") or overrides(cls, "resolve_typename"):
            return SLOW
        try:
            pk = getattr(source, cls.resolve_id_attr())
        except Exception as error:
            return ex.field_error(error, parent, path, name, details)
        if pk is None or (type(pk) not in PLAIN_TYPES and ex.is_awaitable(pk)):
            return SLOW  # Node's resolver has its own answer for these (a NodeID attribute is a plain field)
        return to_base64(parent.name, str(pk))

    return run


def object_class(object_type: GraphQLObjectType) -> type | None:
    """The Python class behind a Strawberry object type, unless the type decides membership itself."""
    definition = object_type.extensions.get("strawberry-definition")
    if not isinstance(definition, StrawberryObjectDefinition) or definition.is_type_of is not None:
        return None
    return definition.origin


def is_plain_instance(value: Any, cls: type) -> bool:
    """Of the class, and not cast to another type (`strawberry.cast`), which only `is_type_of` judges."""
    return isinstance(value, cls) and get_strawberry_type_cast(value) is None


def object_completion(field_type: GraphQLOutputType) -> Completion | None:
    """One object of the type's class: its selection executed."""
    object_type = unwrap(field_type)[0]
    cls = object_class(object_type) if isinstance(object_type, GraphQLObjectType) else None
    if cls is None:
        return None

    def complete(ex: Any, value: Any, path: Path, details: FieldDetailsList) -> Any:
        if not is_plain_instance(value, cls):
            return SLOW
        selection = ex.subselection(object_type, details)
        return SLOW if selection is None else ex.execute_fields(object_type, value, path, selection, None)

    return complete


def object_list_completion(field_type: GraphQLOutputType) -> Completion | None:
    """A list of objects of the item type's class (no null items): each item's selection executed."""
    list_type = unwrap(field_type)[0]
    if not isinstance(list_type, GraphQLList):
        return None
    item_type = list_type.of_type
    object_type = unwrap(item_type)[0]
    cls = object_class(object_type) if isinstance(object_type, GraphQLObjectType) else None
    if cls is None:
        return None

    def complete(ex: Any, items: Any, path: Path, details: FieldDetailsList) -> Any:
        if not isinstance(items, list | tuple) or not all(is_plain_instance(item, cls) for item in items):
            return SLOW
        if ex.get_stream_usage(details, path) is not None:  # @stream: the incremental executor's business
            return SLOW
        selection = ex.subselection(object_type, details)
        return SLOW if selection is None else ex.complete_items(item_type, object_type, items, path, details, selection)

    return complete


def completion_for(field_type: GraphQLOutputType) -> Completion | None:
    """How a value of an object or object-list type is completed without graphql-core's generic checks."""
    return object_completion(field_type) or object_list_completion(field_type)


def attribute_plan(field_type: GraphQLOutputType, read: Callable[[Any], Any], completion: Completion) -> Plan:
    """A plain attribute holding an object or a list of objects."""
    nullable = unwrap(field_type)[1]

    def run(ex: Any, source: Any, parent: GraphQLObjectType, path: Any, name: str, details: Any) -> Any:
        # The read and null handling of leaf_plan, written out again: both run for every field of a response.
        try:
            value = read(source)
        except Exception as error:
            return ex.field_error(error, parent, path, name, details)
        if value is None:
            return None if nullable else ex.complete_read(parent, path, name, details, value)
        completed = ex.complete_guarded(completion, field_type, value, Path(path, name, parent.name), details)
        return ex.complete_read(parent, path, name, details, value) if completed is SLOW else completed

    return run


def plan_for(field_def: GraphQLField) -> Plan | None:
    """The shortcut for a field definition, or None when only the standard path will do."""
    field = field_def.extensions.get("strawberry-definition")
    if not isinstance(field, StrawberryField) or field_def.args:
        return None
    if field.origin is Node and field.python_name == "_id":
        return node_id_plan()
    if not field.is_basic_field or getattr(field_def.resolve, "__name__", "") != "_get_basic_result":
        return None
    if field.default_resolver is not getattr:  # a configured default resolver: only the standard path knows it
        return None
    read = attrgetter(field.python_name)
    if is_leaf_type(unwrap(field_def.type)[0]):  # a scalar or enum itself; a list of them goes the standard way
        return leaf_plan(field_def.type, read)
    completion = completion_for(field_def.type)
    return attribute_plan(field_def.type, read, completion) if completion else None
