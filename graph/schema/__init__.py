"""Thin Strawberry types, inputs and payloads; `graph.schema.schema` assembles the Schema."""
