"""Query expressions the ORM lacks."""

from django.db.models import BooleanField, Expression


class TrueLiteral(Expression):
    """``True`` written into SQLite's SQL as ``1``; a plain ``True`` elsewhere.

    SQLite plans ``live = ?`` and even ``live = TRUE`` as unknown values and
    then scans the whole page table; ``live = 1`` lets it walk an index in
    order (issue #2). Other databases plan a bound boolean well, so there the
    expression compiles to exactly what ``live=True`` would.
    """

    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        return "%s", [True]

    def as_sqlite(self, compiler, connection):
        return "1", []
