"""Querysets compiled to SQL once per process, then run with new values.

Building and compiling a small queryset costs more Python than SQLite takes
to run it: about 0.8 ms for the ids of a section's newest articles, against
0.1 ms of SQL. The front page runs one such query per section on every
render (#5). ``Prepared`` keeps the SQL that Django compiled for a queryset
*shape*, built from the same QuerySet methods as everywhere else, so the
visibility rules (``published()``) stay written once; only the values
change between runs.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from masthead.core import compat

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Expression, Model
    from django.db.models.sql.compiler import SQLCompiler

# Stand-ins for the values while compiling: integers no real row id uses,
# strings no slug or path holds.
_MARKER_BASE = -7_340_021

# A value of a prepared query: an id, a slug or path, or a moment.
type Value = int | str | datetime
# Each parameter of the compiled SQL: (True, the index of a value) or (False,
# a constant of the shape).
type Template = list[tuple[bool, Any]]
# A compiled shape: its SQL, the template of its parameters, how to build
# instances from its rows (None if it cannot), its columns' converters.
type Compiled = tuple[str, Template, Shape | None, Columns]
# Per column that needs them: its position, its converters and its expression.
type Converters = list[tuple[int, tuple[list[Callable[..., Any]], Expression]]]


def _marker(index: int, value: Value) -> Value:
    if isinstance(value, str):
        return f"\x00prepared-{index}\x00"
    if isinstance(value, datetime):
        # Years no article has: 1001, 1002…
        return datetime(1001 + index, 1, 1, tzinfo=UTC)
    return _MARKER_BASE - index


def _adapt(value: Value, connection: BaseDatabaseWrapper) -> Any:
    """The parameter Django binds for ``value`` in a lookup on its field."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class Prepared:
    """A queryset shape whose SQL is compiled once per database.

    ``build(*values)`` returns the queryset for those values. It is called
    twice, with markers; each parameter of the compiled SQL must be one of
    them or a constant both calls agree on. A value fixed at compile time
    (``timezone.now()``) would be frozen into every later run, so it raises
    ``ValueError`` instead. Time belongs in SQL (``Now()``), as
    ``published()`` does.
    Values are integers (ids), strings (slugs, paths) or aware datetimes
    (compared with a ``DateTimeField``). ``rows`` gives what the database
    returns, so select ids there, not dates; ``values`` gives the rows with
    Django's converters applied (dates as aware datetimes); ``instances``
    gives model instances.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self.build = build
        # Keyed by the database alias and the values' types.
        self._compiled: dict[tuple[object, ...], Compiled] = {}
        self._lock = threading.Lock()

    def _sql(self, values: tuple[Value, ...], using: str) -> tuple[str, list[Any]]:
        sql, template, _, _ = self._get(values, using)
        connection = connections[using]
        params = [
            _adapt(values[item], connection) if is_value else item
            for is_value, item in template
        ]
        return sql, params

    def _get(self, values: tuple[Value, ...], using: str) -> Compiled:
        key = (using, *(type(value) for value in values))
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.setdefault(key, self._compile(values, using))
        return compiled

    def rows(
        self, *values: Value, using: str = DEFAULT_DB_ALIAS
    ) -> list[tuple[Any, ...]]:
        """Run the query for ``values``; return its rows as tuples."""
        sql, params = self._sql(values, using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows

    def values(
        self, *values: Value, using: str = DEFAULT_DB_ALIAS
    ) -> list[tuple[Any, ...]]:
        """Run the query for ``values``; return its rows converted as the
        ORM's ``values_list()`` would (a date column as a datetime)."""
        columns = self._get(values, using)[3]
        return columns.convert(self.rows(*values, using=using), connections[using])

    def instances(self, *values: Value, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        """Run the query for ``values``; return model instances.

        The queryset must select its model's own columns, all of them (no
        ``values()``, ``select_related`` or deferred fields).
        """
        sql, params = self._sql(values, using)
        shape = self._get(values, using)[2]
        if shape is None:
            raise TypeError(
                "instances() needs a queryset of whole model rows; use rows()"
            )
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return shape.instances(rows, connection, using)

    def ids(self, *values: Value, using: str = DEFAULT_DB_ALIAS) -> list[int]:
        """The first column of each row: for ``values_list("pk", flat=True)``."""
        return [row[0] for row in self.rows(*values, using=using)]

    def _compile(self, values: tuple[Value, ...], using: str) -> Compiled:
        """Compile with markers twice; map each parameter to a value or constant.

        A parameter that is no marker is a constant of the shape (PostgreSQL
        binds ``live = TRUE`` as a parameter). It is kept only if both
        compilations agree on it and it is no date or time: ``timezone.now()``
        would be frozen into every later run.
        """
        count = len(values)
        connection = connections[using]
        first = [_marker(i, value) for i, value in enumerate(values)]
        second = [_marker(i + count, value) for i, value in enumerate(values)]
        # What Django binds for each marker (a datetime is adapted).
        first_bound = [_adapt(marker, connection) for marker in first]
        second_bound = [_adapt(marker, connection) for marker in second]
        queryset = self.build(*first)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        again_sql, again = self.build(*second).query.get_compiler(using).as_sql()
        if again_sql != sql or len(again) != len(params):
            raise ValueError("a prepared query must compile to one shape")
        template: Template = []
        for param, other in zip(params, again, strict=True):
            if param in first_bound:
                index = first_bound.index(param)
                if other != second_bound[index]:
                    raise ValueError("a prepared query must compile to one shape")
                template.append((True, index))
            elif param != other or isinstance(param, (date, datetime, time)):
                raise ValueError(
                    f"{param!r} would be fixed in the SQL of a prepared query; "
                    "pass it as a value or compute it in SQL"
                )
            else:
                template.append((False, param))
        used = {index for is_value, index in template if is_value}
        if used != set(range(count)):
            raise ValueError("every value of a prepared query must reach its SQL")
        columns = Columns(queryset.model, [column for column, _, _ in compiler.select])
        return sql, template, Shape.of(queryset.model, compiler), columns


class Columns:
    """Django's converters for a compiled query's columns, per connection.

    Worked out once per connection (converters are bound to one), as
    ``ModelIterable`` and ``values_list()`` work them out on every run.
    """

    def __init__(self, model: type[Model], expressions: list[Expression]) -> None:
        self.model = model
        self.expressions = expressions
        self._converters: weakref.WeakKeyDictionary[BaseDatabaseWrapper, Converters] = (
            weakref.WeakKeyDictionary()
        )

    def converters(self, connection: BaseDatabaseWrapper) -> Converters:
        found = self._converters.get(connection)
        if found is None:
            # ``objects``: django-stubs give it to concrete model classes only;
            # every model here is one.
            compiler = self.model.objects.none().query.get_compiler(  # type: ignore[attr-defined]
                connection=connection
            )
            found = list(compat.converters(compiler, self.expressions).items())
            self._converters[connection] = found
        return found

    def convert(
        self, rows: list[tuple[Any, ...]], connection: BaseDatabaseWrapper
    ) -> list[tuple[Any, ...]]:
        converters = self.converters(connection)
        if not converters:
            return rows
        done = []
        for row in rows:
            values = list(row)
            for position, (functions, expression) in converters:
                value = values[position]
                for function in functions:
                    value = function(value, expression, connection)
                values[position] = value
            done.append(tuple(values))
        return done


class Shape:
    """How to turn a compiled query's rows into model instances.

    What Django's ``ModelIterable`` works out on every run (which columns
    are the model's fields, which converters each needs), worked out once.
    ``raw()`` also works it out on every run, from the cursor's column
    names: 0.14 ms per query, and 0.75 ms for an article (its page and
    article tables) against 0.14 ms of SQL (#5).
    """

    def __init__(
        self,
        model: type[Model],
        start: int,
        end: int,
        attnames: list[str],
        columns: list[Expression],
    ) -> None:
        self.model = model
        self.start, self.end = start, end
        self.attnames = attnames
        self.columns = Columns(model, columns)

    @classmethod
    def of(cls, model: type[Model], compiler: SQLCompiler) -> Shape | None:
        """The shape of a compiled query (after ``as_sql()``), or None."""
        klass_info = compiler.klass_info
        if not klass_info or klass_info.get("related_klass_infos"):
            # Case: values(), or select_related(): only rows() fits.
            return None
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        select = compiler.select[start:end]
        attnames = [column.target.attname for column, _, _ in select]
        concrete = [field.attname for field in model._meta.concrete_fields]
        if attnames != concrete:
            # Case: deferred fields; ``Model.from_db`` wants them all, in order.
            return None
        return cls(model, start, end, attnames, [column for column, _, _ in select])

    def instances(
        self,
        rows: list[tuple[Any, ...]],
        connection: BaseDatabaseWrapper,
        using: str,
    ) -> list[Any]:
        fields = [row[self.start : self.end] for row in rows]
        return [
            self.model.from_db(using, self.attnames, list(values))
            for values in self.columns.convert(fields, connection)
        ]


def live_pages(model: type[Any]) -> Any:
    """Live pages of a page type with few rows (home, sections).

    The ``pk IN (SELECT pk FROM <type>)`` makes SQLite start from the small
    table of that type. Without it, and without statistics, it walked the
    whole page tree (every article) in path order to find the home page:
    1.0 s at a million articles instead of 1 ms; the front page's sections
    1.4 s (#5).
    """
    return model.objects.filter(pk__in=model.objects.values("pk")).live()
