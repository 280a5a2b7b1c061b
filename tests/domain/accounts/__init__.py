"""Unit tests of domain/accounts."""
