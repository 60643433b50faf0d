"""Query expressions the ORM lacks."""

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Expression

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler


class BooleanLiteral(Expression):
    """A boolean written into SQLite's SQL as ``1`` or ``0``; bound elsewhere.

    SQLite plans ``live = ?`` and even ``live = TRUE`` as unknown values and
    then scans the whole page table; ``live = 1`` lets it walk an index in
    order (issue #2). Other databases plan a bound boolean well, so there the
    expression compiles to exactly what ``live=True`` would.
    """

    output_field = BooleanField()
    value = True

    # django-stubs want the params as a tuple; Django takes a list as well.
    def as_sql(  # type: ignore[override]
        self, compiler: "SQLCompiler", connection: "BaseDatabaseWrapper"
    ) -> tuple[str, list[bool]]:
        return "%s", [self.value]

    def as_sqlite(
        self, compiler: "SQLCompiler", connection: "BaseDatabaseWrapper"
    ) -> tuple[str, list[bool]]:
        return ("1" if self.value else "0"), []


class TrueLiteral(BooleanLiteral):
    value = True


class FalseLiteral(BooleanLiteral):
    value = False
