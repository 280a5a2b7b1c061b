"""Resolvers of filings, one module per part (reference data, applications, …)."""
