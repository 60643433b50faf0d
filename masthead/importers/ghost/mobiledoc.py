"""Ghost's older mobiledoc documents (``posts.mobiledoc``, format 0.3) as blocks.

A document has ``markups`` (``["a", ["href", url]]``), ``atoms``
(``["soft-return", "", {}]``), ``cards`` (``[name, payload]``) and
``sections``: ``[1, tag, markers]`` markup sections, ``[2, src]`` image
sections, ``[3, tag, items]`` lists and ``[10, card_index]`` cards. A marker
is ``[kind, opened_markup_indexes, closed_count, value]`` (kind 0 text,
1 atom).
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..records import Block
from .cards import Report, card_blocks

SAFE_MARKUPS = {"a", "b", "strong", "i", "em", "s", "u", "code", "sub", "sup"}


def _markers_html(
    markers: list[Any], markups: list[Any], atoms: list[Any], report: Report
) -> str:
    out: list[str] = []
    stack: list[str] = []
    for marker in markers:
        if not isinstance(marker, list) or len(marker) < 4:
            continue
        kind, opened, closed, value = marker[:4]
        for index in opened or []:
            markup = markups[index] if 0 <= index < len(markups) else ["span"]
            tag = str(markup[0]).lower()
            tag = tag if tag in SAFE_MARKUPS else "span"
            attrs = markup[1] if len(markup) > 1 and isinstance(markup[1], list) else []
            href = ""
            if tag == "a":
                pairs = dict(zip(attrs[::2], attrs[1::2], strict=False))
                href = f' href="{html.escape(str(pairs.get("href", "")))}"'
            out.append(f"<{tag}{href}>")
            stack.append(tag)
        if kind == 0:
            out.append(html.escape(str(value), quote=False))
        elif kind == 1 and isinstance(value, int) and 0 <= value < len(atoms):
            name = atoms[value][0]
            if name == "soft-return":
                out.append("<br>")
            else:
                out.append(html.escape(str(atoms[value][1]), quote=False))
        for _ in range(min(int(closed or 0), len(stack))):
            out.append(f"</{stack.pop()}>")
    while stack:
        out.append(f"</{stack.pop()}>")
    return "".join(out)


def mobiledoc_blocks(document: str, report: Report) -> list[Block]:
    """Blocks of a mobiledoc JSON string.

    Raises:
        ValueError: not a mobiledoc document.
    """
    data = json.loads(document)
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise ValueError("no mobiledoc sections")
    markups = data.get("markups") or []
    atoms = data.get("atoms") or []
    cards = data.get("cards") or []
    blocks: list[Block] = []
    for section in data["sections"]:
        if not isinstance(section, list) or not section:
            continue
        kind = section[0]
        if kind == 1 and len(section) >= 3:
            tag = str(section[1]).lower()
            inner = _markers_html(section[2], markups, atoms, report)
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                text = html.unescape(_strip(inner)).strip()
                if text:
                    blocks.append(
                        Block("heading", {"text": text, "level": int(tag[1])})
                    )
            elif tag in {"blockquote", "aside"}:
                text = html.unescape(_strip(inner)).strip()
                if text:
                    blocks.append(Block("quote", {"text": text, "attribution": ""}))
            elif inner.strip():
                blocks.append(Block("html", f"<p>{inner}</p>"))
        elif kind == 2 and len(section) >= 2:
            blocks.extend(card_blocks("image", {"src": section[1]}, report))
        elif kind == 3 and len(section) >= 3:
            tag = "ol" if section[1] == "ol" else "ul"
            items = "".join(
                f"<li>{_markers_html(item, markups, atoms, report)}</li>"
                for item in section[2]
            )
            blocks.append(Block("html", f"<{tag}>{items}</{tag}>"))
        elif kind == 10 and len(section) >= 2:
            index = section[1]
            if isinstance(index, int) and 0 <= index < len(cards):
                name, payload = cards[index][0], cards[index][1]
                payload = payload if isinstance(payload, dict) else {}
                blocks.extend(card_blocks(str(name), payload, report))
    return blocks


def _strip(markup: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", markup)
