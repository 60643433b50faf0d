"""Safe highlighting: escape every character, wrap matched spans in ``<mark>``.

Engines report where the matches are; only this module turns text and spans
into HTML, so no engine's own HTML reaches a page.
"""

import re
from collections.abc import Iterable, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

ELLIPSIS = "\u2026"


def mark_spans(
    text: str,
    spans: Iterable[tuple[int, int]],
    *,
    lead: bool = False,
    trail: bool = False,
) -> SafeString:
    """Escape ``text`` and wrap each ``(start, end)`` character span in <mark>.

    Overlapping or out-of-range spans are clipped; ``lead``/``trail`` add an
    ellipsis where the text was cut from a longer one.
    """
    parts: list[str] = [ELLIPSIS] if lead else []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    if trail:
        parts.append(ELLIPSIS)
    # html.escape quotes ' and " too, like django's escape, without its wrappers.
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def byte_spans_to_chars(
    text: str, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Turn UTF-8 byte offsets (as engines written in Rust report) into indexes."""
    if text.isascii():
        return list(spans)
    data = text.encode()
    return [
        (
            len(data[:start].decode(errors="ignore")),
            len(data[:end].decode(errors="ignore")),
        )
        for start, end in spans
    ]


def word_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern for words at word starts, longest first."""
    escaped = sorted({re.escape(word) for word in words if word}, key=len, reverse=True)
    if not escaped:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(escaped) + ")", re.IGNORECASE)


def snippet(
    text: str, pattern: re.Pattern[str] | None, max_chars: int = 240
) -> tuple[SafeString, bool]:
    """A window of ``text`` around the first match, highlighted.

    Returns the HTML and whether anything matched. Without a match the start
    of the text is shown.
    """
    spans = [match.span() for match in pattern.finditer(text)] if pattern else []
    return snippet_spans(text, spans, max_chars), bool(spans)


def snippet_spans(
    text: str, spans: Sequence[tuple[int, int]], max_chars: int = 240
) -> SafeString:
    """A window of ``text`` around the first of ``spans`` (sorted), highlighted.

    For engines that find the matched words themselves (Ukrainian lemmas,
    which no pattern can express); without spans the start of the text.
    """
    start = 0
    if spans and len(text) > max_chars:
        start = max(0, spans[0][0] - max_chars // 4)
        start = _word_start(text, start)
    end = min(len(text), start + max_chars)
    if end < len(text):
        end = _word_end(text, end, start)
    window = text[start:end]
    shown = [
        (span_start - start, span_end - start)
        for span_start, span_end in spans
        if span_start >= start and span_end <= end
    ]
    return mark_spans(window, shown, lead=start > 0, trail=end < len(text))


def _word_start(text: str, index: int) -> int:
    """Move ``index`` forward to the start of a word (not mid-word)."""
    if index == 0:
        return 0
    space = text.find(" ", index)
    return index if space == -1 else space + 1


def _word_end(text: str, index: int, floor: int) -> int:
    """Move ``index`` back to the end of a word, staying above ``floor``."""
    space = text.rfind(" ", floor, index)
    return index if space <= floor else space
