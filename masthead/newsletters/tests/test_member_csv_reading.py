"""Reading members CSV files: Ghost and Substack formats, no database (#16)."""

import io
from datetime import UTC, datetime

from masthead.newsletters.member_csv import (
    GHOST_COLUMNS,
    GhostParser,
    SubstackParser,
    parser_for,
    read_members,
)

from .member_files import GHOST, SUBSTACK


def test_format_is_detected_from_the_header_row():
    assert isinstance(parser_for(GHOST_COLUMNS), GhostParser)
    substack = ["email", "active_subscription", "expiry", "plan", "email_disabled"]
    assert isinstance(parser_for(substack), SubstackParser)
    # Ghost's importer takes any file with an e-mail column.
    assert isinstance(parser_for(["email", "name"]), GhostParser)
    assert parser_for(["e-mail address", "name"]) is None


def test_ghost_export_is_read_field_by_field():
    with GHOST.open("rb") as data:
        rows, report = read_members(data)

    assert report.format == "ghost"
    assert report.errors == []
    assert [row.line for row in rows] == [2, 3, 4, 5]
    olena, taras, marta, _paid = rows
    assert olena.email == "olena@example.org"
    # A quoted field of labels joined by commas, as Ghost writes it.
    assert olena.labels == ("press", "donor 2022")
    assert olena.created_at == datetime(2023, 2, 14, 9, 30, 12, tzinfo=UTC)
    assert olena.is_subscribed is True
    assert taras.email == "taras@example.org"
    assert taras.is_subscribed is False
    assert marta.name == 'Marta "M." Shevchenko'
    assert marta.note == "Prefers the weekly, not the daily"


def test_substack_export_is_read_with_email_disabled_as_no_mail():
    with SUBSTACK.open("rb") as data:
        rows, report = read_members(data)

    assert report.format == "substack"
    assert [(row.email, row.is_subscribed) for row in rows] == [
        ("reader.one@example.org", True),
        ("reader.two@example.org", True),
        ("muted@example.org", False),
    ]
    assert rows[0].created_at == datetime(2020, 3, 15, 10, 12, 44, 123000, tzinfo=UTC)


def test_columns_match_in_any_case_and_unknown_ones_are_ignored():
    text = " EMAIL ,Name,Favourite colour\r\nann@example.org,Ann,green\r\n"
    rows, report = read_members(io.BytesIO(text.encode()))

    assert report.errors == []
    assert [(row.email, row.name) for row in rows] == [("ann@example.org", "Ann")]


def test_columns_separated_by_semicolons_are_read():
    text = "Email;Name\r\nann@example.org;Ann\r\n"
    rows, report = read_members(io.BytesIO(text.encode()))

    assert report.errors == []
    assert [(row.email, row.name) for row in rows] == [("ann@example.org", "Ann")]


def test_a_byte_order_mark_before_the_header_is_ignored():
    text = "email,name\r\nann@example.org,Ann\r\n"
    rows, report = read_members(io.BytesIO(b"\xef\xbb\xbf" + text.encode()))

    assert report.format == "ghost"
    assert [row.email for row in rows] == ["ann@example.org"]


def test_a_latin1_file_is_refused_naming_the_line_unless_chosen():
    data = "email,name\r\nann@example.org,Ann\r\njose@example.org,José\r\n"
    raw = data.encode("cp1252")

    rows, report = read_members(io.BytesIO(raw))
    assert [str(problem) for problem in report.errors] == [
        "line 3: this line is not UTF-8 text (byte 0xe9); save the file as "
        "\u201cCSV UTF-8\u201d or choose the encoding it was saved in"
    ]

    rows, report = read_members(io.BytesIO(raw), encoding="cp1252")
    assert report.errors == []
    assert rows[1].name == "José"


def test_a_file_without_an_email_column_is_refused():
    rows, report = read_members(io.BytesIO(b"name,phone\r\nAnn,123\r\n"))

    assert rows == []
    assert report.is_refused
    assert str(report.errors[0]).startswith("line 1: no email column")


def test_an_empty_file_is_refused():
    _rows, report = read_members(io.BytesIO(b""))

    assert [str(problem) for problem in report.errors] == ["line 1: the file is empty"]


def test_line_numbers_count_lines_of_quoted_fields_spanning_several():
    text = 'email,note\r\na@example.org,"two\r\nlines"\r\nnope,\r\n'
    _rows, report = read_members(io.BytesIO(text.encode()))

    assert [str(problem) for problem in report.errors] == [
        "line 4: email: 'nope' is not a valid e-mail address"
    ]
