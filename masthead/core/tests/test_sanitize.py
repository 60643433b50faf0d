"""The sanitiser keeps every word, namespaces ids and frames only providers (#13)."""

import pytest
from bs4 import BeautifulSoup

from masthead.core.sanitize import (
    EMBED_SANDBOX,
    clean_fragments,
    clean_html,
    embed_allowed,
    unclosed_markup,
)


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html5lib")


def text_of(html: str) -> str:
    return " ".join(soup(html).get_text(" ").split())


# Nothing an editor wrote is lost --------------------------------------------

LEFT_OPEN = {
    "style": "<p>Before <style>p { color: red }</p><p>After the style</p>",
    "script": "<p>Before <script>var x = 1;</p><p>After the script</p>",
    "comment": "<p>Before <!-- a note</p><p>After the comment</p>",
    "frame": '<p>Before <iframe src="https://www.youtube.com/embed/x"></p><p>After',
    "attribute": '<p title="no closing quote>Before</p><p>After the quote</p>',
}


@pytest.mark.parametrize("html", LEFT_OPEN.values(), ids=LEFT_OPEN.keys())
def test_text_after_a_construct_left_open_stays_visible(html):
    cleaned = clean_html(html)
    assert "After" in text_of(cleaned)
    assert "Before" in text_of(cleaned)
    assert unclosed_markup(html) is not None


def test_one_block_left_open_never_swallows_the_next():
    blocks = [f"<p>Paragraph {n}.</p>" for n in range(74)]
    blocks[10] = "<p>Paragraph 10. <style>.x { }</p>"
    blocks[40] = "<p>Paragraph 40. <!-- draft"
    paragraphs = soup(clean_fragments(blocks)).find_all("p")
    assert [p.get_text().split(".")[0] for p in paragraphs] == [
        f"Paragraph {n}" for n in range(74)
    ]


def test_closed_style_script_and_comments_are_still_removed():
    html = "<p>Kept</p><style>p{}</style><script>alert(1)</script><!-- note -->"
    cleaned = clean_html(html)
    assert text_of(cleaned) == "Kept"
    assert unclosed_markup(html) is None


def test_unclosed_markup_names_the_construct():
    assert unclosed_markup("<p>a <style>b") == "<style>"
    assert unclosed_markup("<p>a <!-- b") == "<!--"
    assert unclosed_markup("<p>Plain <b>bold</b> text.</p>") is None
    assert unclosed_markup("No markup at all") is None


def test_construct_open_at_the_very_end_hides_nothing_and_is_left():
    assert unclosed_markup("<p>Done.</p><!--") is None
    assert text_of(clean_html("<p>Done.</p><!--")) == "Done."


# Ids cannot shadow the page's own ---------------------------------------------


def test_ids_are_namespaced_and_links_within_the_body_follow_them():
    html = clean_fragments(
        [
            '<p><a href="#method">How we counted</a></p>',
            '<h2 id="method">Method</h2><p id="main">Not the page\'s main</p>',
        ]
    )
    parsed = soup(html)
    assert {tag["id"] for tag in parsed.find_all(id=True)} == {
        "user-content-method",
        "user-content-main",
    }
    assert parsed.a["href"] == "#user-content-method"


def test_links_to_the_page_own_anchors_are_left_alone():
    parsed = soup(clean_html('<p><a href="#item-5">the earlier post</a></p>'))
    assert parsed.a["href"] == "#item-5"


# Frames: known providers, our sandbox ---------------------------------------


def test_frame_from_an_unknown_site_is_dropped_whatever_its_sandbox():
    html = (
        '<p>Look:</p><iframe src="https://evil.example/x" '
        'sandbox="allow-scripts allow-same-origin"></iframe>'
    )
    parsed = soup(clean_html(html))
    assert parsed.find("iframe") is None
    assert parsed.get_text() == "Look:"


def test_frame_from_a_provider_gets_our_sandbox_not_the_author():
    html = (
        '<iframe src="https://www.youtube.com/embed/abc" '
        'sandbox="allow-scripts allow-same-origin allow-top-navigation" '
        'allow="camera; microphone" srcdoc="<script>alert(1)</script>">'
        "<img src=x onerror=alert(1)></iframe>"
    )
    frame = soup(clean_html(html)).find("iframe")
    assert frame["src"] == "https://www.youtube.com/embed/abc"
    assert frame["sandbox"] == EMBED_SANDBOX.split()
    assert "camera" not in frame["allow"]
    assert "srcdoc" not in frame.attrs
    assert frame.get_text() == ""


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/embed/abc",
        "https://www.youtube.com.evil.example/embed/abc",
        "https://user@www.youtube.com/embed/abc",
        "https://www.youtube.com:8443/embed/abc",
        "https://www.youtube.com/embed/../redirect?q=https://evil.example",
        "https://www.youtube.com/embed/%2e%2e/redirect",
        "https://www.youtube.com/watch?v=abc",
        "javascript:alert(1)",
        "https://[::1/embed/",
    ],
)
def test_frame_outside_the_provider_prefixes_is_refused(url):
    assert not embed_allowed(url)


def test_providers_are_a_setting(settings):
    settings.MASTHEAD_EMBED_PROVIDERS = ["https://charts.example/embed/"]
    html = (
        '<iframe src="https://charts.example/embed/1"></iframe>'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>'
    )
    frames = soup(clean_html(html)).find_all("iframe")
    assert [frame["src"] for frame in frames] == ["https://charts.example/embed/1"]
