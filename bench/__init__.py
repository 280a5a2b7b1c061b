"""Benchmarks (`make bench`): the viewer query through GraphQL against hand-written baselines, in one run."""
