"""Pure text helpers: word counts and reading time (no database)."""

import math
import re
from html import unescape

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*")


def strip_tags(html: str) -> str:
    """Turn HTML into plain text, keeping word boundaries between blocks."""
    return unescape(_TAG.sub(" ", html))


def count_words(text: str) -> int:
    """Count words in plain text; hyphenated and apostrophe words count once."""
    return len(_WORD.findall(text))


def reading_minutes(word_count: int, words_per_minute: int = 230) -> int:
    """Whole minutes to read ``word_count`` words, rounded up, at least 1."""
    if words_per_minute <= 0:
        raise ValueError("words_per_minute must be positive")
    return max(1, math.ceil(word_count / words_per_minute))
