"""GraphQL transport (Strawberry on Starlette): schema types, resolvers, the ASGI app."""
