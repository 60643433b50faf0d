"""The row writer: tables laid out from the models' ``_meta``, written in bulk.

``_Rows.table`` derives each table's columns and defaults from the model, so
the generator gives only the values it decides; ``_Rows.insert`` writes them
with ``COPY`` (PostgreSQL) or one prepared ``INSERT`` (SQLite).
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.fields import AutoFieldMixin

from .options import GenerateError

# SQLite settings for the load only, put back afterwards: a rollback journal
# instead of the write-ahead log (which would copy every new page twice: into
# the log, then into the database), no fsync (a failed run still rolls back,
# but a power cut during one may corrupt the file: generate into a database
# you can throw away) and a 1 GiB page cache.
SQLITE_LOAD_PRAGMAS = {
    "journal_mode": "DELETE",
    "synchronous": "OFF",
    "cache_size": "-1048576",
}


# One row to insert: values in the order of the field names given with it.
type _Row = tuple[Any, ...]


@dataclass(frozen=True)
class _Table:
    """One table as the loader writes it; see ``_Rows.table``."""

    sql: str
    columns: tuple[str, ...]
    # Values of the columns after the given ones: the same for every row,
    # then computed for each row.
    fill: tuple[Any, ...]
    per_row: tuple[Callable[[], Any], ...]


def _database_fills(field: "models.Field[Any, Any]") -> bool:
    """Whether an INSERT leaving ``field`` out stores what Django would."""
    if field.has_db_default():
        return True
    if field.primary_key and isinstance(field, AutoFieldMixin):
        return True
    # Django's migrations give a column no DEFAULT of its own, so NULL.
    return field.null and not field.has_default()


def _prepared_default(field: "models.Field[Any, Any]") -> Any:
    return field.get_db_prep_save(field.get_default(), connection)


class _Rows:
    """Writes rows the fastest way the database offers.

    PostgreSQL gets ``COPY``; SQLite gets ``executemany`` of one prepared
    ``INSERT``. The generator passes the values it gives as each backend
    stores them, the way Django adapts them (SQLite keeps datetimes as text in
    UTC and UUIDs as 32 hex digits): adapting millions of values field by
    field would cost more than writing them. Defaults are adapted by their
    fields, once.
    """

    def __init__(self) -> None:
        self.vendor = connection.vendor
        if self.vendor not in {"sqlite", "postgresql"}:
            raise GenerateError(
                f"The generator writes to SQLite or PostgreSQL, not {self.vendor}."
            )
        self.is_sqlite = self.vendor == "sqlite"

    def when(self, value: datetime | None) -> datetime | str | None:
        """A UTC datetime as the backend stores it."""
        if value is None or not self.is_sqlite:
            return value
        return str(value.replace(tzinfo=None))

    def table(self, model: type[models.Model], names: Sequence[str]) -> "_Table":
        """How rows giving the fields ``names`` are written to ``model``'s table.

        The columns are the table's own concrete fields (``_meta``, so a page
        model's table holds its parent link and its own fields, Page's table
        Wagtail's), by their ``db_column``. A column the rows leave out gets
        what Django would store for a new object:

        - nothing, when the database fills it: a ``db_default``, an automatic
          primary key, or NULL for a nullable field without a default;
        - else the field's ``default`` (a callable is called for each row),
          or "" for text, prepared for the database as Django does.

        So a field added to a model, or to Wagtail's Page, needs no change here.

        Raises:
            GenerateError: a name is not a concrete field of the table, or a
                column left out has no default.
        """
        fields = {f.name: f for f in model._meta.local_concrete_fields}
        unknown = [name for name in names if name not in fields]
        if unknown:
            raise GenerateError(
                f"{model.__name__} has no column for {', '.join(unknown)}."
            )
        fill: list[models.Field[Any, Any]] = []
        per_row: list[models.Field[Any, Any]] = []
        for name, model_field in fields.items():
            if name in names or _database_fills(model_field):
                continue
            if not (model_field.has_default() or model_field.empty_strings_allowed):
                raise GenerateError(
                    f"{model.__name__}.{name} has no default: the generator must "
                    "give it."
                )
            (per_row if callable(model_field.default) else fill).append(model_field)
        columns = [fields[name] for name in names] + fill + per_row
        # A concrete field always has a column; the stubs allow None for others.
        column_names = tuple(f.column or "" for f in columns)
        quote = connection.ops.quote_name
        listed = ", ".join(quote(column) for column in column_names)
        table = quote(model._meta.db_table)
        if self.is_sqlite:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({listed}) VALUES ({marks})"  # noqa: S608
        else:
            sql = f"COPY {table} ({listed}) FROM STDIN"
        return _Table(
            sql=sql,
            columns=column_names,
            fill=tuple(_prepared_default(f) for f in fill),
            per_row=tuple(partial(_prepared_default, f) for f in per_row),
        )

    def insert(self, table: "_Table", rows: list[_Row]) -> None:
        """Insert ``rows`` (tuples in the order of the table's given names)."""
        if not rows:
            return
        if table.per_row:
            rows = [
                row + table.fill + tuple(default() for default in table.per_row)
                for row in rows
            ]
        elif table.fill:
            rows = [row + table.fill for row in rows]
        with connection.cursor() as cursor:
            if self.is_sqlite:
                cursor.executemany(table.sql, rows)
            else:
                with cursor.cursor.copy(table.sql) as copy:
                    for row in rows:
                        copy.write_row(row)

    def next_page_id(self) -> int:
        """The first free page id; call inside the run's transaction.

        SQLite's transactions here start IMMEDIATE, which already excludes
        other writers; PostgreSQL needs the table locked until commit.
        """
        with connection.cursor() as cursor:
            if not self.is_sqlite:
                cursor.execute("LOCK TABLE wagtailcore_page IN EXCLUSIVE MODE")
            cursor.execute("SELECT MAX(id) FROM wagtailcore_page")
            (largest,) = cursor.fetchone()
        return (largest or 0) + 1

    def reset_sequences(self, *models_with_ids: type[models.Model]) -> None:
        """Move PostgreSQL's id sequences past ids written explicitly."""
        if self.is_sqlite:
            return  # AUTOINCREMENT follows the largest id written.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
                cursor.execute(sql)

    def tune_for_load(self) -> Callable[[], None]:
        """Apply the load-time settings; returns a function restoring them."""
        if not self.is_sqlite or connection.in_atomic_block:
            return lambda: None
        with connection.cursor() as cursor:
            before = {}
            for name, value in SQLITE_LOAD_PRAGMAS.items():
                cursor.execute(f"PRAGMA {name}")
                before[name] = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA {name} = {value}")

        def restore() -> None:
            with connection.cursor() as cursor:
                for name, value in before.items():
                    cursor.execute(f"PRAGMA {name} = {value}")

        return restore

    def drop_indexes(
        self, models_loaded: Iterable[type[models.Model]]
    ) -> list[tuple[str, str]]:
        """Drop the secondary indexes of the models' tables; returns their DDL.

        Indexes behind constraints (primary keys, ``unique=True`` columns and
        ``UniqueConstraint``) stay: SQLite cannot drop them, and they are
        cheap here (they grow at the end).
        """
        tables = [model._meta.db_table for model in models_loaded]
        if self.is_sqlite:
            sql = (
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND sql IS NOT NULL AND tbl_name IN ({})"
            )
        else:
            sql = (
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.schemaname = current_schema() AND i.tablename IN ({}) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                "format('%%I.%%I', i.schemaname, i.indexname)::regclass)"
            )
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(sql.format(", ".join(["%s"] * len(tables))), tables)
            found = sorted(cursor.fetchall())
            for name, _ in found:
                cursor.execute(f"DROP INDEX {quote(name)}")
        return found

    def create_indexes(
        self, indexes: list[tuple[str, str]], say: Callable[[str], None]
    ) -> None:
        """Build dropped indexes again from their DDL, one at a time."""
        with connection.cursor() as cursor:
            if not self.is_sqlite:
                # PostgreSQL will not index a table with foreign key checks
                # still deferred to the commit: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for name, ddl in indexes:
                began = time.monotonic()
                cursor.execute(ddl)
                say(f"  … index {name} ({time.monotonic() - began:.1f} s)")

    def analyze(self, tables: Iterable[str]) -> None:
        """Refresh PostgreSQL's statistics after the load.

        Without them the planner guesses from the empty tables it last saw.
        SQLite is left alone: the site's plans were chosen without
        ``sqlite_stat1`` and are tested that way.
        """
        if self.is_sqlite:
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
