"""Text Tantivy cannot analyse, indexed as lemma streams made in Python (#15).

Tantivy has no Ukrainian analyzer and cannot run a Python one, so each word
is lemmatised here (``search/ukrainian.py``) and handed over as tokens:
every lemma of a word stands at the word's position, with its character
offsets, so a phrase matches through any of them. Tantivy's snippet
generator cannot read such fields back; matches are found again here with
the same normaliser.
"""

from typing import cast

import tantivy

from masthead.search.highlight import mark_spans, snippet_spans
from masthead.search.ukrainian import UkrainianNormaliser

from .base import SearchHit

# Snippets built here count characters: 240 is about as long on the page as
# the 320 bytes of Latin text Tantivy's snippets are given.
SNIPPET_CHARS = 240


def lemma_stream(
    normaliser: UkrainianNormaliser, text: str
) -> tantivy.PreTokenizedString:
    """``text`` as Tantivy tokens: each word's lemmas at its position."""
    return tantivy.PreTokenizedString(
        text,
        [
            tantivy.Token(lemma, position, token.start, token.end)
            for position, token in enumerate(normaliser.tokens(text))
            for lemma in sorted(token.lemmas)
        ],
    )


def matched_spans(
    normaliser: UkrainianNormaliser,
    text: str,
    wanted: set[str],
    window: int | None = None,
) -> list[tuple[int, int]]:
    """Character spans of the words in ``text`` with a lemma in ``wanted``.

    A passage ends within ``window`` characters of its first match: the
    words past it need no lemma lookup.
    """
    spans: list[tuple[int, int]] = []
    for token in normaliser.iter_tokens(text):
        if window and spans and token.start > spans[0][0] + window:
            break
        if token.lemmas & wanted:
            spans.append((token.start, token.end))
    return spans


def lemma_hit(
    normaliser: UkrainianNormaliser,
    document: tantivy.Document,
    wanted: set[str],
    score: float,
) -> SearchHit:
    """A hit of a lemma-stream index: headline and passage, matches marked."""

    def matched(text: str, window: int | None = None) -> list[tuple[int, int]]:
        return matched_spans(normaliser, text, wanted, window)

    title = document.get_first("title") or ""
    snippet_html = None
    for name in ("standfirst", "body"):
        text = document.get_first(name) or ""
        if spans := matched(text, SNIPPET_CHARS):
            snippet_html = snippet_spans(text, spans, SNIPPET_CHARS)
            break
    if snippet_html is None:
        # Matched on tags or byline only: the opening words, unmarked.
        text = document.get_first("standfirst") or document.get_first("body") or ""
        snippet_html = snippet_spans(text, [], SNIPPET_CHARS)
    return SearchHit(
        # Every document is written with its id (``_document``).
        article_id=cast(int, document.get_first("id")),
        score=score,
        title_html=mark_spans(title, matched(title)),
        snippet_html=snippet_html,
    )
