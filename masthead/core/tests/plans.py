"""Helpers for query-plan tests: record the SQL sent, ask SQLite for its plan."""

from django.db import connection


class Recorder:
    """The queries as the database receives them: SQL and bound parameters.

    Install with ``connection.execute_wrapper(recorder)``.
    """

    def __init__(self):
        self.queries: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def plan(sql: str, params) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN lines for ``sql`` with ``params``."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]
