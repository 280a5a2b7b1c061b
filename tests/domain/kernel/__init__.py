"""Unit tests of domain/kernel."""
