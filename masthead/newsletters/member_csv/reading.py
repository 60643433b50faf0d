"""Reading members CSV files: the formats, their parsers, the report (#16).

The formats, as their own code writes and reads them:

- Ghost (``ghost/members-csv`` ``unparse.js``; its importer reads the same
  columns): ``id, email, name, note, subscribed_to_emails,
  complimentary_plan, stripe_customer_id, created_at, deleted_at, labels,
  tiers``. ``labels`` is one field of names joined by commas, ISO 8601 dates
  in UTC, and an empty ``subscribed_to_emails`` counts as subscribed, as in
  Ghost's parser. An export from ``export_members`` adds ``newsletters``, the
  slugs of the member's newsletters, which Ghost ignores.
- Substack's subscriber export: ``email, active_subscription, expiry, plan,
  email_disabled, created_at, first_payment_at`` (``email_disabled`` true:
  the reader gets no e-mail; the other columns describe paid plans).

Columns are matched without regard to case or surrounding spaces; unknown
ones are ignored. Paid plans, tiers and Stripe customers are not imported:
paid memberships come with issue #17.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from typing import IO, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from masthead.members.models import Member, MemberLabel, normalise_email

# Field limits of the models, checked before writing so a bad line is named.
NAME_MAX = Member._meta.get_field("name").max_length or 200
LABEL_MAX = MemberLabel._meta.get_field("name").max_length or 100
EMAIL_MAX = 254
# Rows per query, importing and exporting: well below SQLite's limit of bound
# variables.
CHUNK = 500
# Problems kept for the report; the rest are counted.
PROBLEMS_KEPT = 1000
# Spreadsheets run a cell starting with these as a formula (CSV injection);
# the export prefixes an apostrophe and the import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252 (Latin-1)",
}

GHOST_COLUMNS = [
    "id",
    "email",
    "name",
    "note",
    "subscribed_to_emails",
    "complimentary_plan",
    "stripe_customer_id",
    "created_at",
    "deleted_at",
    "labels",
    "tiers",
]
# Masthead's addition to Ghost's layout; Ghost's importer ignores it.
NEWSLETTERS_COLUMN = "newsletters"

TRUE_WORDS = frozenset({"true", "yes", "1", "t", "y"})
FALSE_WORDS = frozenset({"false", "no", "0", "f", "n"})


@dataclass(frozen=True)
class Problem:
    """Something wrong with one field of one line (line 1 is the header)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"line {self.line}: {self.field}: {self.message}"
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One member as a file states it: plain data, checked field by field."""

    line: int
    email: str
    name: str = ""
    note: str = ""
    labels: tuple[str, ...] = ()
    is_subscribed: bool = True
    created_at: datetime | None = None
    newsletters: tuple[str, ...] = ()
    # Why the line is left out although nothing is wrong with it.
    skip_reason: str = ""
    problems: tuple[Problem, ...] = ()


@dataclass
class ImportReport:
    """What an import did, or would do on a dry run, or why it was refused."""

    format: str = ""
    format_label: str = ""
    source: str = ""
    is_dry_run: bool = False
    row_count: int = 0
    created_count: int = 0
    updated_count: int = 0
    unchanged_count: int = 0
    skipped_count: int = 0
    subscription_count: int = 0
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warnings: list[Problem] = field(default_factory=list)
    warning_count: int = 0
    seconds: float = 0.0

    @property
    def is_refused(self) -> bool:
        """Whether the file was refused: nothing was (or would be) written."""
        return self.error_count > 0

    def error(self, problem: Problem) -> None:
        self.error_count += 1
        if len(self.errors) < PROBLEMS_KEPT:
            self.errors.append(problem)

    def warn(self, problem: Problem) -> None:
        self.warning_count += 1
        if len(self.warnings) < PROBLEMS_KEPT:
            self.warnings.append(problem)

    def summary(self) -> str:
        """One line of counts, for the command and the admin's message."""
        if self.is_refused:
            return (
                f"Refused: {self.error_count} problem(s) in {self.row_count} "
                "row(s); nothing was imported."
            )
        verb = "Would import" if self.is_dry_run else "Imported"
        return (
            f"{verb} {self.format} file: {self.created_count} created, "
            f"{self.updated_count} updated, {self.unchanged_count} unchanged, "
            f"{self.skipped_count} skipped, {self.subscription_count} "
            "subscription(s)."
        )


class MemberParser(Protocol):
    """One source format: recognises its header and reads its lines."""

    name: str
    label: str

    def can_parse(self, header: Sequence[str]) -> bool: ...

    def parse(self, rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[MemberRow]:
        """Turn (line number, cells by lower-case column) into ``MemberRow``s."""
        ...


def _clean(value: str) -> str:
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _email(line: int, value: str, problems: list[Problem]) -> str:
    value = value.strip()
    if not value:
        problems.append(Problem(line, "email", "is empty"))
        return ""
    try:
        validate_email(value)
    except ValidationError:
        problems.append(
            Problem(line, "email", f"{value!r} is not a valid e-mail address")
        )
        return ""
    if len(value) > EMAIL_MAX:
        problems.append(Problem(line, "email", f"is longer than {EMAIL_MAX}"))
        return ""
    return normalise_email(value)


def _flag(
    line: int, column: str, value: str, default: bool, problems: list[Problem]
) -> bool:
    word = value.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    problems.append(Problem(line, column, f"{value!r} is neither true nor false"))
    return default


def _date(
    line: int, column: str, value: str, problems: list[Problem]
) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.append(
            Problem(line, column, f"{value!r} is not an ISO 8601 date and time")
        )
        return None
    if timezone.is_naive(parsed):
        # Both services write UTC; a spreadsheet may drop the "Z".
        parsed = parsed.replace(tzinfo=UTC)
    if parsed > timezone.now():
        problems.append(Problem(line, column, f"{value!r} is in the future"))
        return None
    return parsed


def _name(line: int, value: str, problems: list[Problem]) -> str:
    value = _clean(value)
    if len(value) > NAME_MAX:
        problems.append(Problem(line, "name", f"is longer than {NAME_MAX} characters"))
        return ""
    return value


def _names(
    line: int, column: str, value: str, problems: list[Problem]
) -> tuple[str, ...]:
    """A comma-separated list (Ghost's labels): trimmed, blanks dropped, once each."""
    names: dict[str, None] = {}
    for part in value.split(","):
        name = _clean(part)
        if not name:
            continue
        if len(name) > LABEL_MAX:
            problems.append(
                Problem(line, column, f"{name[:20]!r}… is longer than {LABEL_MAX}")
            )
            continue
        names.setdefault(name, None)
    return tuple(names)


class GhostParser:
    """Ghost's members export, and any file with an ``email`` column.

    Ghost's own importer takes any CSV with an e-mail column and maps the
    columns it knows, so this is also the format of last resort.
    """

    name = "ghost"
    label = "Ghost"

    def can_parse(self, header: Sequence[str]) -> bool:
        return "email" in header

    def parse(self, rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[MemberRow]:
        for line, cells in rows:
            problems: list[Problem] = []
            email = _email(line, cells.get("email", ""), problems)
            name = _name(line, cells.get("name", ""), problems)
            subscribed = _flag(
                line,
                "subscribed_to_emails",
                # Older Ghost exports call the column "subscribed".
                cells.get("subscribed_to_emails", cells.get("subscribed", "")),
                True,
                problems,
            )
            created_at = _date(
                line, "created_at", cells.get("created_at", ""), problems
            )
            deleted = cells.get("deleted_at", "").strip()
            yield MemberRow(
                line=line,
                email=email,
                name=name,
                note=_clean(cells.get("note", "")),
                labels=_names(line, "labels", cells.get("labels", ""), problems),
                is_subscribed=subscribed,
                created_at=created_at,
                newsletters=_names(
                    line,
                    NEWSLETTERS_COLUMN,
                    cells.get(NEWSLETTERS_COLUMN, ""),
                    problems,
                ),
                skip_reason="deleted in Ghost (deleted_at is set)" if deleted else "",
                problems=tuple(problems),
            )


class SubstackParser:
    """Substack's subscriber export ("Export" on the Subscribers page)."""

    name = "substack"
    label = "Substack"
    # Columns only Substack's export has; ``email`` alone is Ghost's.
    MARKERS = frozenset(
        {"active_subscription", "email_disabled", "expiry", "first_payment_at"}
    )

    def can_parse(self, header: Sequence[str]) -> bool:
        return "email" in header and bool(self.MARKERS.intersection(header))

    def parse(self, rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[MemberRow]:
        for line, cells in rows:
            problems: list[Problem] = []
            email = _email(line, cells.get("email", ""), problems)
            disabled = _flag(
                line, "email_disabled", cells.get("email_disabled", ""), False, problems
            )
            created_at = _date(
                line, "created_at", cells.get("created_at", ""), problems
            )
            yield MemberRow(
                line=line,
                email=email,
                name=_name(line, cells.get("name", ""), problems),
                is_subscribed=not disabled,
                created_at=created_at,
                problems=tuple(problems),
            )


# Most specific first: every Substack header would also pass Ghost's test.
PARSERS: list[MemberParser] = [SubstackParser(), GhostParser()]


def parser_for(header: Sequence[str]) -> MemberParser | None:
    """The parser of the first format that recognises ``header`` (lower case)."""
    for parser in PARSERS:
        if parser.can_parse(header):
            return parser
    return None


class LineProblem(Exception):
    """A line that is not text: the file is refused at it."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message


def _text_lines(data: IO[bytes], encoding: str) -> Iterator[str]:
    """The file's lines, decoded one at a time to name the line that fails.

    Splitting bytes at newlines is safe in UTF-8 and single-byte encodings:
    no multi-byte character contains the newline byte. A byte order mark
    (what Excel writes before "CSV UTF-8") is dropped.
    """
    for number, raw in enumerate(data, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            name = ENCODINGS.get(encoding, encoding)
            raise LineProblem(
                number,
                f"this line is not {name} text (byte "
                f"0x{error.object[error.start]:02x}); save the file as "
                "\u201cCSV UTF-8\u201d or choose the encoding it was saved in",
            ) from error
        if "\x00" in text:
            # Python's csv reads NUL, but PostgreSQL refuses it in text.
            raise LineProblem(number, "this line holds a NUL byte: not a text file")
        yield text


@dataclass
class _ReadFile:
    parser: MemberParser | None = None
    rows: list[MemberRow] = field(default_factory=list)


def _read(data: IO[bytes], encoding: str, report: ImportReport) -> _ReadFile:
    """Parse the whole file into rows, reporting bad lines (no database)."""
    result = _ReadFile()
    lines = _text_lines(data, encoding)
    line = 1
    try:
        first = next(lines, "")
        # Excel in much of Europe separates columns with semicolons.
        delimiter = ";" if ";" in first and "," not in first else ","
        reader = csv.reader(chain([first], lines), delimiter=delimiter, strict=True)
        header = next(reader, None)
        if not first or header is None:
            report.error(Problem(1, "", "the file is empty"))
            return result
        columns = [column.strip().lower() for column in header]
        result.parser = parser_for(columns)
        if result.parser is None:
            report.error(
                Problem(
                    1,
                    "",
                    "no email column: the first line must name the columns, "
                    "as in a Ghost or Substack members export",
                )
            )
            return result
        report.format = result.parser.name
        report.format_label = result.parser.label

        def cells() -> Iterator[tuple[int, dict[str, str]]]:
            nonlocal line
            while True:
                line = reader.line_num + 1
                values = next(reader, None)
                if values is None:
                    return
                if not any(value.strip() for value in values):
                    continue
                yield line, dict(zip(columns, values, strict=False))

        for row in result.parser.parse(cells()):
            for problem in row.problems:
                report.error(problem)
            result.rows.append(row)
    except LineProblem as problem:
        report.error(Problem(problem.line, "", problem.message))
    except csv.Error as error:
        report.error(Problem(line, "", f"not readable as CSV ({error})"))
    report.row_count = len(result.rows)
    return result


def read_members(
    data: IO[bytes], encoding: str = "utf-8"
) -> tuple[list[MemberRow], ImportReport]:
    """The file's rows as the parser reads them, and the report of bad lines.

    Reads only the file: nothing is looked up or written.
    """
    report = ImportReport()
    return _read(data, encoding, report).rows, report
