"""An Admin API body, given as HTML, as the article's StreamField blocks.

Top-level ``<p>``, ``<ul>`` and ``<ol>`` become paragraph blocks (rich text
limited to the editor's features: bold, italic, links, lists, superscript),
``<h2>``/``<h3>`` heading blocks, ``<blockquote>`` quote blocks, and
``<hr class="members-only">`` the "Members only from here" block of a gated
article. Anything else keeps only its text, as a paragraph. Each piece is
sanitised with nh3 on the way in, and the article's own rendering sanitises
again (core/sanitize.py), so nothing a client sends can run on the site.
"""

from typing import Any

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.html import escape

from masthead.content.models.access import GATE_BLOCK

# The paragraph block's features (content/blocks.py PARAGRAPH_FEATURES) as
# the tags Wagtail stores them with.
RICH_TAGS = {"p", "b", "i", "a", "ol", "ul", "li", "sup", "br"}
RENAMED = {"strong": "b", "em": "i"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
GATE_CLASS = "members-only"
MAX_BLOCKS = 2000


def rich_text(html: str) -> str:
    """``html`` limited to the paragraph block's tags and plain links."""
    for old, new in RENAMED.items():
        html = html.replace(f"<{old}>", f"<{new}>").replace(f"</{old}>", f"</{new}>")
    cleaned: str = nh3.clean(
        html,
        tags=RICH_TAGS,
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return cleaned


def _text(node: Any) -> str:
    return " ".join(str(node.get_text(" ") if isinstance(node, Tag) else node).split())


def body_blocks(html: str) -> list[tuple[str, Any]]:
    """The blocks of ``html`` (see the module's docstring).

    Raises:
        ValueError: more than ``MAX_BLOCKS`` blocks.
    """
    blocks: list[tuple[str, Any]] = []
    soup = BeautifulSoup(html or "", "html.parser")
    loose: list[str] = []

    def flush() -> None:
        text = " ".join(part for part in loose if part)
        if text.strip():
            blocks.append(("paragraph", f"<p>{rich_text(text)}</p>"))
        loose.clear()

    for node in soup.contents:
        if isinstance(node, NavigableString) and not isinstance(node, Tag):
            if type(node) is NavigableString:
                loose.append(escape(str(node).strip()))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name.lower()
        if name in {"b", "strong", "i", "em", "a", "sup", "br", "span"}:
            loose.append(str(node))
            continue
        flush()
        if name == "p":
            inner = rich_text(node.decode_contents())
            if inner.strip():
                blocks.append(("paragraph", f"<p>{inner}</p>"))
        elif name in {"ul", "ol"}:
            blocks.append(("paragraph", rich_text(str(node))))
        elif name in {"h1", "h2", "h3", "h4", "h5", "h6"} and _text(node):
            level = "h2" if name in {"h1", "h2"} else "h3"
            blocks.append(("heading", {"text": _text(node)[:200], "level": level}))
        elif name == "blockquote" and _text(node):
            blocks.append(("quote", {"text": _text(node), "attribution": ""}))
        elif name == "hr" and GATE_CLASS in (node.get("class") or []):
            blocks.append((GATE_BLOCK, None))
        elif _text(node):
            blocks.append(("paragraph", f"<p>{escape(_text(node))}</p>"))
        if len(blocks) > MAX_BLOCKS:
            raise ValueError(f"more than {MAX_BLOCKS} blocks")
    flush()
    return blocks
