"""The filter language parser (no database)."""

import pytest

from masthead.api.ghost.nql import All, Any_, Condition, ParseError, parse


def test_plus_is_and_and_comma_is_or():
    assert parse("tag:news+featured:true,author:jo") == Any_(
        (
            All(
                (Condition("tag", "", ("news",)), Condition("featured", "", ("true",)))
            ),
            Condition("author", "", ("jo",)),
        )
    )


def test_space_from_a_decoded_plus_is_and():
    assert parse("tag:news featured:true") == parse("tag:news+featured:true")


def test_quoted_date_with_comparison():
    assert parse("published_at:>'2017-06-03 23:43:12'") == Condition(
        "published_at", ">", ("2017-06-03 23:43:12",)
    )


def test_list_and_negation_and_parentheses():
    assert parse("tags:-[a, b]+(slug:x,slug:y)") == All(
        (
            Condition("tags", "-", ("a", "b"), is_list=True),
            Any_((Condition("slug", "", ("x",)), Condition("slug", "", ("y",)))),
        )
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tag",
        "tag:",
        "tag:news)",
        "(tag:news",
        "tag:[a,b",
        "tag:'open",
        ":x",
        "a:b" * 400,
    ],
)
def test_malformed_filters_are_refused(text):
    with pytest.raises(ParseError):
        parse(text)


def test_nesting_is_bounded():
    with pytest.raises(ParseError):
        parse("(" * 20 + "tag:a" + ")" * 20)
