"""Body blocks from neutral records: headings never skip a level (#18)."""

from masthead.importers.records import Block
from masthead.importers.writer.body import stream_data


def levels(blocks: list[Block]) -> list[str]:
    data = stream_data(blocks, None, lambda message: None, gated=False, dry_run=True)  # type: ignore[arg-type]
    return [item["value"]["level"] for item in data if item["type"] == "heading"]


def heading(level: int, text: str = "A heading") -> Block:
    return Block("heading", {"text": text, "level": level})


def test_a_first_heading_is_h2_whatever_its_source_level():
    assert levels([heading(3), heading(4), heading(2), heading(3)]) == [
        "h2",
        "h3",
        "h2",
        "h3",
    ]


def test_h1_in_the_source_becomes_h2_under_the_headline():
    assert levels([heading(1), heading(3)]) == ["h2", "h3"]


def test_callout_text_that_is_paragraphs_keeps_the_emoji_inside():
    data = stream_data(
        [Block("callout", {"emoji": "💡", "html": "<p><b>Tip:</b> open.</p>"})],
        None,
        lambda message: None,
        gated=False,
        dry_run=True,
    )
    assert data == [{"type": "paragraph", "value": "<p>💡 <b>Tip:</b> open.</p>"}]
