"""Routes that are not GraphQL: provider callbacks, attachment files, GraphiQL, health, dev and sandbox pages."""
