"""Every public type, field, argument and enum value of the schema has a description, bilingual (中文 / English)
as the rest of the schema; only Strawberry's own (Relay, scalars) stay in English.

The schema is read as clients read it: the SDL that `schema.as_str()` prints (the same as schema.graphql)."""

import datetime as dt
import re
from collections.abc import Iterator
from enum import Enum

import graphql
import pytest
import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from graph.schema.common import described_enum
from graph.schema.schema import schema

BUILT_IN_SCALARS = frozenset(graphql.specified_scalar_types)
BUILT_IN_DIRECTIVES = frozenset(directive.name for directive in graphql.specified_directives)
# A Chinese part, then "/ " and an English part: "姓名 / Real name.", "附件（已处理的图片）/ A processed image."
BILINGUAL = re.compile(r"[\u4e00-\u9fff][^/]*/ .*[A-Za-z]", re.DOTALL)


def _arguments(owner: str, args: dict[str, graphql.GraphQLArgument]) -> Iterator[tuple[str, str | None]]:
    for name, arg in args.items():
        yield f"{owner}({name}:)", arg.description


def _members(name: str, named_type: graphql.GraphQLNamedType) -> Iterator[tuple[str, str | None]]:
    """Fields with their arguments, input fields, enum values."""
    if isinstance(named_type, graphql.GraphQLObjectType | graphql.GraphQLInterfaceType):
        for field_name, field in named_type.fields.items():
            yield f"{name}.{field_name}", field.description
            yield from _arguments(f"{name}.{field_name}", field.args)
    elif isinstance(named_type, graphql.GraphQLInputObjectType):
        for field_name, input_field in named_type.fields.items():
            yield f"{name}.{field_name}", input_field.description
    elif isinstance(named_type, graphql.GraphQLEnumType):
        for value_name, value in named_type.values.items():
            yield f"{name}.{value_name}", value.description


def described_elements(sdl_schema: graphql.GraphQLSchema) -> Iterator[tuple[str, str | None]]:
    """(schema coordinate, description) of every public element: named types (not introspection's, not the
    built-in scalars), their fields and arguments, input fields, enum values, custom directives and arguments."""
    for name, named_type in sdl_schema.type_map.items():
        if not graphql.is_introspection_type(named_type) and name not in BUILT_IN_SCALARS:
            yield name, named_type.description
            yield from _members(name, named_type)
    for directive in sdl_schema.directives:
        if directive.name not in BUILT_IN_DIRECTIVES:
            yield f"@{directive.name}", directive.description
            yield from _arguments(f"@{directive.name}", directive.args)


def undescribed(sdl_schema: graphql.GraphQLSchema) -> list[str]:
    return [where for where, description in described_elements(sdl_schema) if not (description or "").strip()]


def _strawberry_own_descriptions() -> frozenset[str]:
    """What Strawberry writes itself (Relay's Node, connections and edges, node/nodes, its scalars), read from a
    small schema of its own so that the set follows Strawberry's wording."""

    @strawberry.type(description="物品 / Item.")
    class Item(relay.Node):
        pk: relay.NodeID[int]
        day: dt.date
        at: dt.datetime

    @strawberry.type
    class Query:
        node: relay.Node = relay.node()
        nodes: list[relay.Node] = relay.node()
        items: relay.Connection[Item]

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        def upload(self, file: Upload) -> bool:
            return True

    reference = graphql.build_schema(strawberry.Schema(query=Query, mutation=Mutation, types=[Item]).as_str())
    return frozenset(description for _, description in described_elements(reference) if description)


@pytest.fixture(scope="module")
def portal_schema() -> graphql.GraphQLSchema:
    return graphql.build_schema(schema.as_str())


def test_every_public_element_has_a_description(portal_schema: graphql.GraphQLSchema) -> None:
    missing = undescribed(portal_schema)
    assert missing == [], "Add a description (中文 / English) to:\n" + "\n".join(missing)


def test_descriptions_are_bilingual(portal_schema: graphql.GraphQLSchema) -> None:
    strawberry_own = _strawberry_own_descriptions()
    monolingual = [
        f"{where}: {description!r}"
        for where, description in described_elements(portal_schema)
        if description and description not in strawberry_own and not BILINGUAL.search(description)
    ]
    assert monolingual == [], "Write these as 中文 / English:\n" + "\n".join(monolingual)


def test_the_walk_reaches_every_kind_of_element() -> None:
    """The check is not vacuous: each kind of element without a description is reported, built-ins are not."""
    sdl = """
        directive @audit(reason: String) on FIELD_DEFINITION
        type Query { thing(id: ID): Thing, level: Level }
        interface Named { name: String }
        type Thing implements Named { name: String }
        input Filter { name: String }
        enum Level { LOW }
        scalar Money
        type Mutation { save(filter: Filter): Boolean }
    """
    assert sorted(undescribed(graphql.build_schema(sdl))) == sorted(
        [
            "@audit",
            "@audit(reason:)",
            "Query",
            "Query.thing",
            "Query.thing(id:)",
            "Query.level",
            "Named",
            "Named.name",
            "Thing",
            "Thing.name",
            "Filter",
            "Filter.name",
            "Level",
            "Level.LOW",
            "Money",
            "Mutation",
            "Mutation.save",
            "Mutation.save(filter:)",
        ]
    )


def test_described_enum_refuses_a_member_without_a_description() -> None:
    class Colour(Enum):
        RED = "RED"
        GREEN = "GREEN"

    with pytest.raises(ValueError, match=r"without a description \['GREEN'\].*of no member \['BLUE'\]"):
        described_enum(Colour, "颜色 / Colour.", {"RED": "红 / Red.", "BLUE": "蓝 / Blue."})
    with pytest.raises(ValueError, match=r"without a description \['GREEN'\]"):
        described_enum(Colour, "颜色 / Colour.", {"RED": "红 / Red.", "GREEN": " "})


def test_described_enum_refuses_an_enum_already_in_use() -> None:
    """Strawberry converts an undescribed enum when a type first uses it; describing it later would be lost."""

    class Shape(Enum):
        ROUND = "ROUND"

    @strawberry.type
    class Query:
        shape: Shape = Shape.ROUND

    with pytest.raises(TypeError, match="already a Strawberry enum"):
        described_enum(Shape, "形状 / Shape.", {"ROUND": "圆 / Round."})


def test_described_enum_describes_each_member() -> None:
    class Size(Enum):
        SMALL = "S"
        LARGE = "L"

    described_enum(Size, "尺寸 / Size.", {"SMALL": "小 / Small.", "LARGE": "大 / Large."})

    @strawberry.type
    class Query:
        size: Size = Size.SMALL

    enum_type = graphql.build_schema(strawberry.Schema(query=Query).as_str()).type_map["Size"]
    assert isinstance(enum_type, graphql.GraphQLEnumType)
    assert enum_type.description == "尺寸 / Size."
    assert {name: value.description for name, value in enum_type.values.items()} == {
        "SMALL": "小 / Small.",
        "LARGE": "大 / Large.",
    }
