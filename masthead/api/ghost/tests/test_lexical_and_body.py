"""Lexical JSON and HTML to an article body."""

import json

import pytest
from bs4 import BeautifulSoup

from masthead.api.bodies import MAX_BLOCKS, BodyError, body_blocks
from masthead.api.ghost.lexical import LexicalError, to_html


def _doc(*children):
    return json.dumps({"root": {"type": "root", "children": list(children)}})


def _text(text, format=0):
    return {"type": "text", "text": text, "format": format}


def test_lexical_nodes_become_html():
    html = to_html(
        _doc(
            {"type": "paragraph", "children": [_text("Bold", 1), _text(" & <x>", 2)]},
            {"type": "extended-heading", "tag": "h3", "children": [_text("Sub")]},
            {
                "type": "list",
                "listType": "number",
                "children": [{"type": "listitem", "children": [_text("one")]}],
            },
            {
                "type": "paragraph",
                "children": [
                    {"type": "link", "url": "https://e.org/", "children": [_text("l")]}
                ],
            },
            {"type": "quote", "children": [_text("Said")]},
            {"type": "paywall"},
            {"type": "unknown-card", "secret": "x"},
        )
    )
    assert html.split("\n") == [
        "<p><strong>Bold</strong><em> &amp; &lt;x&gt;</em></p>",
        "<h3>Sub</h3>",
        "<ol><li>one</li></ol>",
        '<p><a href="https://e.org/">l</a></p>',
        "<blockquote><p>Said</p></blockquote>",
        "<!--members-only-->",
        "",
    ]


@pytest.mark.parametrize("bad", ["not json", "[]", '{"root": 3}'])
def test_lexical_that_is_not_a_document_is_refused(bad):
    with pytest.raises(LexicalError):
        to_html(bad)


def test_deep_lexical_is_refused():
    node = _text("x")
    for _ in range(60):
        node = {"type": "paragraph", "children": [node]}
    with pytest.raises(LexicalError):
        to_html(_doc(node))


def test_html_becomes_blocks_sanitised(db):
    blocks = body_blocks(
        '<p>A <strong>b</strong> <a href="https://e.org" onclick="x()">c</a></p>'
        "loose <em>words</em><h1>Title</h1><script>alert(1)</script>"
        "<!--members-only--><blockquote>Q<cite>Who</cite></blockquote>"
        "<ul><li>item</li></ul>"
    )
    assert [kind for kind, _value in blocks] == [
        "paragraph",
        "paragraph",
        "heading",
        "members_only",
        "quote",
        "paragraph",
    ]
    assert "onclick" not in blocks[0][1] and "<b>b</b>" in blocks[0][1]
    assert blocks[1][1] == "<p>loose <i>words</i></p>"
    assert blocks[2][1] == {"text": "Title", "level": "h2"}
    assert blocks[4][1]["attribution"] == "Who"


def test_picture_from_elsewhere_is_kept_as_a_link(db):
    ((kind, value),) = body_blocks(
        '<figure><img src="https://e.org/a.png" alt="A">'
        "<figcaption>Cap</figcaption></figure>"
    )
    assert kind == "paragraph" and 'href="https://e.org/a.png"' in value


def test_both_members_only_markers_give_one_gate(db):
    blocks = body_blocks(
        '<p>Free</p><hr class="members-only"><p>Paid</p><!--members-only--><hr>'
    )
    assert [kind for kind, _value in blocks] == [
        "paragraph",
        "members_only",
        "paragraph",
    ]


def test_rich_text_keeps_only_the_paragraph_features(db):
    ((_kind, value),) = body_blocks(
        '<p id="x"><u>under</u> <code>code</code> <a href="https://e.org" '
        'class="c">link</a> <sup>2</sup> a &lt;script&gt; b</p>'
    )
    paragraph = BeautifulSoup(value, "html.parser")
    assert {tag.name for tag in paragraph.find_all(True)} == {"p", "a", "sup"}
    assert [tag.attrs for tag in paragraph.find_all(True)] == [
        {},
        {"href": "https://e.org"},
        {},
    ]
    assert paragraph.get_text() == "under code link 2 a <script> b"


def test_escaped_text_outside_paragraphs_stays_text(db):
    blocks = body_blocks("a &lt;b&gt; c<pre>x &lt; y\nz</pre>")
    texts = [BeautifulSoup(value, "html.parser").get_text() for _k, value in blocks]
    assert texts == ["a <b> c", "x < yz"]


def test_too_many_blocks_is_refused(db):
    with pytest.raises(BodyError):
        body_blocks("<h2>x</h2>" * (MAX_BLOCKS + 1))
