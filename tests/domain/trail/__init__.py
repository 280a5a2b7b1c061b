"""Unit tests of domain/trail."""
