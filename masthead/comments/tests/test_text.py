"""A comment's text as HTML, and the spam checks on text (no database)."""

from bs4 import BeautifulSoup

from masthead.comments.models import CommentSettings
from masthead.comments.rules import Held, content_suspicion, held_word
from masthead.comments.text import render_text


def parsed(text: str) -> BeautifulSoup:
    return BeautifulSoup(str(render_text(text)), "html5lib")


def test_paragraphs_and_line_breaks():
    body = parsed("One\ntwo\n\n\nThree").body
    paragraphs = body.find_all("p")
    assert [p.get_text("|") for p in paragraphs] == ["One|two", "Three"]
    assert len(paragraphs[0].find_all("br")) == 1


def test_markup_is_text():
    body = parsed('<img src=x onerror="alert(1)"> & <a href="javascript:x">y</a>').body
    assert body.find_all(["img", "a"]) == []
    assert (
        body.get_text()
        == '<img src=x onerror="alert(1)"> & <a href="javascript:x">y</a>'
    )


def test_only_http_links_with_ugc_rel():
    body = parsed("(https://example.org/a?b=1&c=2). http://x.test javascript:alert(1)")
    links = body.find_all("a")
    assert [(a["href"], a["rel"]) for a in links] == [
        ("https://example.org/a?b=1&c=2", ["nofollow", "ugc", "noopener"]),
        ("http://x.test", ["nofollow", "ugc", "noopener"]),
    ]
    assert body.get_text().startswith("(https://example.org/a?b=1&c=2).")


def test_quotes_in_a_link_cannot_break_out():
    links = parsed('https://x.test/"onmouseover="alert(1)').find_all("a")
    assert all(set(a.attrs) == {"href", "rel"} for a in links)


def test_long_link_text_is_shortened():
    link = parsed("https://example.org/" + "x" * 200).find("a")
    assert len(link.get_text()) <= 60
    assert link["href"].endswith("x" * 200)


def test_empty_text_renders_nothing():
    assert str(render_text("  \n ")) == ""


def test_held_words_match_whole_words_in_any_case():
    assert held_word("Win the LOTTERY now", ["lottery"]) == "lottery"
    assert held_word("Scunthorpe", ["cunt"]) is None
    assert held_word("Казино тут", ["казино"]) == "казино"


def test_too_many_links_hold_a_comment(settings):
    settings.MASTHEAD_COMMENT_MAX_LINKS = 1
    site_settings = CommentSettings(held_words="")
    assert content_suspicion("https://a.test", site_settings) is None
    assert content_suspicion("https://a.test http://b.test", site_settings) == (
        Held.LINKS
    )
