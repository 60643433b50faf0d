"""Paid memberships, donations and gifts (issue #17, docs/memberships.md)."""
