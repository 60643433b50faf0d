"""Reading a reader's search words into a bounded, syntax-free query.

Readers type words, not a query language: ``AND``, ``(``, ``:``, ``*`` and
their friends are ordinary characters here, so no input can reach an engine's
parser and fail there. Double quotes group a phrase; a quote left open is
dropped. Every word must match somewhere in the article (title, standfirst,
body, tags or authors). Pure functions, no database.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext

# A headline is rarely over 100 characters; 200 leaves room for a pasted one
# and keeps the work of one query small whatever is sent.
MAX_QUERY_CHARS = 200
# Each word is one clause the engine intersects; ten covers any real search.
MAX_UNITS = 10

_QUOTES = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb", '"'))
_PHRASE = re.compile(r'"([^"]*)"')
_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Unit:
    """One thing every result must contain: a word, or a phrase in quotes."""

    text: str
    is_phrase: bool = False


@dataclass(frozen=True)
class UserQuery:
    """A reader's search, cleaned and bounded.

    ``text`` is what the search box shows back; ``notices`` explain anything
    that was dropped, in the reader's words.
    """

    text: str
    units: tuple[Unit, ...]
    notices: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.units


def clean_text(raw: str) -> str:
    """Normalise Unicode, turn control characters (NUL included) into spaces."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"} else char
        for char in text
    )
    return " ".join(text.translate(_QUOTES).split())


def parse_query(raw: str) -> UserQuery:
    """Turn what a reader typed into words and phrases.

    Args:
        raw: the ``q`` parameter as received (any length, any characters).

    Returns:
        A ``UserQuery``; ``is_empty`` when nothing searchable is left, e.g.
        only punctuation.
    """
    notices: list[str] = []
    # Cut before normalising so a megabyte of input costs no more than 4x the cap.
    text = clean_text(raw[: MAX_QUERY_CHARS * 4])
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]
        notices.append(
            gettext(
                "Your search was long, so only its first %(count)d "
                "characters were used."
            )
            % {"count": MAX_QUERY_CHARS}
        )

    units: list[Unit] = []
    position = 0
    for match in _PHRASE.finditer(text):
        units.extend(_words(text[position : match.start()]))
        phrase = " ".join(match.group(1).split())
        if _HAS_WORD.search(phrase):
            units.append(Unit(phrase, is_phrase=" " in phrase))
        position = match.end()
    # A quote left open is ignored rather than swallowing the rest of the words.
    units.extend(_words(text[position:].replace('"', " ")))

    if len(units) > MAX_UNITS:
        units = units[:MAX_UNITS]
        notices.append(
            gettext("Only the first %(count)d words of your search were used.")
            % {"count": MAX_UNITS}
        )
    return UserQuery(text=text, units=tuple(units), notices=tuple(notices))


def _words(text: str) -> list[Unit]:
    return [Unit(word) for word in text.split() if _HAS_WORD.search(word)]
