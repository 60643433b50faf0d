"""Ghost's browse parameters, parsed and bounded (Ghost's API docs, "Parameters").

``limit`` (a number up to ``MAX_LIMIT`` or ``all``, read as ``MAX_ALL``),
``page``, ``order``, ``include``, ``fields``, ``formats`` and ``filter``
(nql.py, compiled to a ``Q`` by ``filter_q``). Bad values raise
``errors.Invalid``: the views answer 400, never 500.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from . import nql
from .errors import Invalid

DEFAULT_LIMIT = 15
MAX_LIMIT = 100
# ``limit=all`` is bounded too: a million articles is not one response.
MAX_ALL = 1000
MAX_PAGE = 100_000

Handler = Callable[[nql.Condition], Q]


@dataclass
class Browse:
    """What a browse request asked for."""

    limit: int = DEFAULT_LIMIT
    is_all: bool = False
    page: int = 1
    order: list[str] = field(default_factory=list)
    include: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    formats: set[str] = field(default_factory=lambda: {"html"})
    filter: Q = field(default_factory=Q)


def _words(value: str) -> list[str]:
    return [word.strip() for word in value.split(",") if word.strip()]


def parse_browse(
    query: QueryDict,
    *,
    includes: set[str],
    orders: Mapping[str, str],
    default_order: list[str],
    handlers: Mapping[str, Handler],
    formats: frozenset[str] = frozenset({"html", "plaintext"}),
) -> Browse:
    """Read ``query`` for one resource.

    Args:
        includes: the ``include`` names the resource knows.
        orders: Ghost's field names to model fields, for ``order``.
        default_order: model ordering without ``order``.
        handlers: filter field name to a function making its ``Q``.
        formats: the ``formats`` the resource can give.

    Raises:
        Invalid: a value out of range or not understood.
    """
    browse = Browse(order=list(default_order))
    limit = query.get("limit", "")
    if limit == "all":
        browse.limit, browse.is_all = MAX_ALL, True
    elif limit:
        browse.limit = _bounded_int("limit", limit, 1, MAX_LIMIT)
    page = query.get("page", "")
    if page:
        browse.page = _bounded_int("page", page, 1, MAX_PAGE)
    browse.include = read_include(query, includes)
    browse.fields = set(_words(query.get("fields", "")))
    browse.formats = read_formats(query, formats)
    if query.get("order"):
        browse.order = [*_order(str(query["order"]), orders), "-pk"]
    if query.get("filter"):
        browse.filter = filter_q(str(query["filter"]), handlers)
    return browse


def read_include(query: QueryDict, includes: set[str]) -> set[str]:
    chosen = set(_words(query.get("include", "")))
    unknown = chosen - includes
    if unknown:
        raise Invalid(
            f"Validation error: include {', '.join(sorted(unknown))} is not "
            f"allowed; allowed: {', '.join(sorted(includes))}.",
            property="include",
        )
    return chosen


def read_formats(query: QueryDict, formats: frozenset[str]) -> set[str]:
    chosen = set(_words(query.get("formats", ""))) or {"html"}
    unknown = chosen - formats
    if unknown:
        raise Invalid(
            f"Validation error: format {', '.join(sorted(unknown))} is not "
            f"available; available: {', '.join(sorted(formats))}.",
            property="formats",
        )
    return chosen


def _bounded_int(name: str, value: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise Invalid(
            f"Validation error: {name} must be a whole number from {low} to {high}.",
            property=name,
        )
    return int(value)


def _order(value: str, orders: Mapping[str, str]) -> list[str]:
    ordering = []
    for part in _words(value)[:3]:
        words = part.split()
        name = words[0].lower()
        direction = words[1].lower() if len(words) > 1 else "asc"
        if name not in orders or direction not in ("asc", "desc") or len(words) > 2:
            raise Invalid(
                f"Validation error: cannot order by {part!r}; use one of "
                f"{', '.join(sorted(orders))} with asc or desc.",
                property="order",
            )
        ordering.append(("-" if direction == "desc" else "") + orders[name])
    return ordering


def filter_q(text: str, handlers: Mapping[str, Handler]) -> Q:
    """The ``Q`` of an NQL filter for one resource.

    Raises:
        Invalid: the filter does not parse, or names a field or operator
            this resource does not filter on.
    """
    try:
        tree = nql.parse(text)
    except nql.ParseError as error:
        raise Invalid(
            f"Error parsing filter: {error}.", context=text, property="filter"
        ) from error
    return _compile(tree, handlers)


def _compile(node: nql.Node, handlers: Mapping[str, Handler]) -> Q:
    if isinstance(node, nql.Condition):
        handler = handlers.get(node.field)
        if handler is None:
            raise Invalid(
                f"Error parsing filter: cannot filter on {node.field!r}; "
                f"known fields: {', '.join(sorted(handlers))}.",
                property="filter",
            )
        return handler(node)
    parts = [_compile(part, handlers) for part in node.parts]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part if isinstance(node, nql.All) else combined | part
    return combined


# Handlers: each knows which operators make sense for its field.


def unsupported(condition: nql.Condition) -> Invalid:
    shown = f"{condition.field}:{condition.op}"
    return Invalid(
        f"Error parsing filter: the operator in {shown!r} is not supported here.",
        property="filter",
    )


def in_values(lookup: str, convert: Callable[[str], object] = str) -> Handler:
    """``field:x``, ``field:[x,y]``, ``field:-x``: equality, any of, not."""

    def handler(condition: nql.Condition) -> Q:
        if condition.op not in ("", "-"):
            raise unsupported(condition)
        values = [convert(value) for value in condition.values]
        q = Q(**{f"{lookup}__in": values})
        return ~q if condition.op == "-" else q

    return handler


def whole_number(value: str) -> int:
    if not value.isdigit() or len(value) > 12:
        raise Invalid(
            f"Error parsing filter: {value!r} is not an id.", property="filter"
        )
    return int(value)


def boolean(lookup_true: Callable[[bool], Q]) -> Handler:
    def handler(condition: nql.Condition) -> Q:
        if condition.op not in ("", "-") or condition.is_list:
            raise unsupported(condition)
        value = condition.values[0].lower()
        if value not in ("true", "false"):
            raise Invalid(
                f"Error parsing filter: {condition.field} is true or false.",
                property="filter",
            )
        wanted = (value == "true") != (condition.op == "-")
        return lookup_true(wanted)

    return handler


def moment(value: str) -> datetime:
    """A filter's date: ISO 8601 or Ghost's ``YYYY-MM-DD HH:MM:SS`` (UTC)."""
    parsed = None
    try:
        parsed = parse_datetime(value.strip())
        if parsed is None:
            day = parse_date(value.strip())
            parsed = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise Invalid(
            f"Error parsing filter: {value!r} is not a date.", property="filter"
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


COMPARISONS = {"": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}


def dated(lookup: str) -> Handler:
    def handler(condition: nql.Condition) -> Q:
        if condition.op not in COMPARISONS or condition.is_list:
            raise unsupported(condition)
        when = moment(condition.values[0])
        return Q(**{f"{lookup}__{COMPARISONS[condition.op]}": when})

    return handler


def text(lookup: str) -> Handler:
    """Equality, any of, not, and ``~`` (contains, any case)."""
    equal = in_values(lookup)

    def handler(condition: nql.Condition) -> Q:
        if condition.op == "~" and not condition.is_list:
            return Q(**{f"{lookup}__icontains": condition.values[0]})
        return equal(condition)

    return handler
