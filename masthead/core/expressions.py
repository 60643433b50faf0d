"""Query expressions the ORM lacks."""

from django.db.models import BooleanField, Expression


class TrueLiteral(Expression):
    """A literal true written into the SQL, never a bound parameter.

    SQLite plans ``live = ?`` and even ``live = TRUE`` as unknown values and
    then scans the whole page table; ``live = 1`` lets it walk an index in
    order (issue #2). PostgreSQL needs a real boolean, so each backend gets
    its own spelling.
    """

    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        return "TRUE", []

    def as_sqlite(self, compiler, connection):
        return "1", []
