"""Unit tests of domain/verification."""
