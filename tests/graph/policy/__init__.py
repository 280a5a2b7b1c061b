"""HTTP tests of the request policy (graph/policy): document limits, cost, introspection, the request guard."""
