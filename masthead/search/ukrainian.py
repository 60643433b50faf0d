"""Ukrainian words and their lemmas, for indexing and querying (issue #15).

Snowball has no Ukrainian stemmer and Tantivy accepts no Python analyzer, so
Ukrainian text is split and lemmatised here and handed to the engine as
pre-tokenised lemma streams. Lemmas come from simplemma (MIT, no
dependencies); docs/search.md records why it beat pymorphy3 and the Russian
stemmer on the relevance set.

simplemma keeps its Ukrainian dictionary (598,687 forms) in a dict that costs
about 65 MiB per process, too much for a web worker held under 150 MB, and
web workers index too (the first batches after a publish). Its lookups
therefore go through ``Lexicon``, the same form-to-lemma table in a read-only
SQLite file next to the index: the same strategies and rules run on the same
data (so index and query time agree), at about 20-25 us per word not yet
cached and well under a MiB of resident memory for the table itself
(docs/search.md has the figures).
"""

import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import simplemma
from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import frontcode
from simplemma.strategies.dictionaries.dictionary_factory import (
    CachingDictionaryFactory,
    DecodedStrMapping,
    DictionaryFactory,
    _read_decompressed,
)

LANGUAGE = "uk"
# ASCII apostrophe, right single quotation mark, modifier letter apostrophe:
# all three are typed for the Ukrainian apostrophe (Знам'янка, Знам’янка).
APOSTROPHES = "'\u2019\u02bc"
_STRIP_APOSTROPHES = str.maketrans("", "", APOSTROPHES)
# Letters and digits, with apostrophes kept only between them; "_" is not a
# word character for readers.
WORD = re.compile(rf"[^\W_]+(?:[{APOSTROPHES}][^\W_]+)*")
# Distinct words a process remembers; a news archive's vocabulary repeats,
# and 16,384 entries cost a few MiB.
CACHE_WORDS = 16_384


class WordToken(NamedTuple):
    """One word of a text: where it is (characters) and what it can mean.

    A tuple, not a dataclass: a rebuild makes one per word of the archive.
    """

    text: str
    start: int
    end: int
    lemmas: frozenset[str]


def lexicon_path(index_dir: str | Path) -> Path:
    """Where the form-to-lemma table for this simplemma release lives."""
    return Path(index_dir) / f"lexicon-uk-simplemma-{simplemma.__version__}.sqlite"


def forms_path(index_dir: str | Path) -> Path:
    """Where the lemma-to-forms table for this simplemma release lives."""
    return Path(index_dir) / f"forms-uk-simplemma-{simplemma.__version__}.sqlite"


def _dictionary_rows() -> tuple[int, Iterator[tuple[str, str]]]:
    """How many (form, lemma) pairs simplemma has for Ukrainian, and them."""
    data = _read_decompressed(LANGUAGE)
    reverse, count, position = frontcode._read_header(data)

    def rows() -> Iterator[tuple[str, str]]:
        for _, key, value in frontcode._iter_records(data, position):
            if reverse:
                key, value = key[::-1], value[::-1]
            yield key.decode(), value.decode()

    return count, rows()


def _write_table(
    path: Path,
    schema: str,
    rows: Iterator[tuple[str, str]],
    expected: int | None = None,
    finish: tuple[str, ...] = (),
) -> None:
    """Write ``rows`` into a new SQLite file at ``path``.

    Written to a temporary file and renamed, so concurrent builders never
    expose a half-written table.

    Raises:
        ValueError: the table holds other than ``expected`` rows.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute(schema)
            table = schema.removeprefix("CREATE ").removeprefix("TEMP ").split()[1]
            connection.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", rows)  # noqa: S608 - our own schema
            for statement in finish:
                connection.execute(statement)
            written: int = connection.execute(
                f"SELECT count(*) FROM {table}"  # noqa: S608 - our own schema
            ).fetchone()[0]
            connection.commit()
        finally:
            connection.close()
        if expected is not None and written != expected:
            raise ValueError(f"table has {written} rows, simplemma {expected}")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_forms(path: Path) -> Path:
    """Write the inverse of the lexicon: each lemma's dictionary forms.

    For the database fallback (issue #15), which cannot compare lemmas and
    so searches every form of the query's lemmas as text instead. Keyed by
    the lemma as ``UkrainianNormaliser`` gives it (lowercase, no
    apostrophes). Built on first use by that backend only (about 2 s).
    """
    _, rows = _dictionary_rows()
    _write_table(
        path,
        "CREATE TEMP TABLE staging (lemma TEXT NOT NULL, form TEXT NOT NULL)",
        ((lemma.lower().translate(_STRIP_APOSTROPHES), form) for form, lemma in rows),
        finish=(
            "CREATE TABLE form (lemma TEXT NOT NULL, form TEXT NOT NULL,"
            " PRIMARY KEY (lemma, form)) WITHOUT ROWID",
            # Sorted once and written in key order: several times faster
            # than inserting rows that arrive in form order.
            "INSERT OR IGNORE INTO form SELECT lemma, form FROM staging"
            " ORDER BY lemma, form",
        ),
    )
    return path


class Forms:
    """Every dictionary form of a lemma, read from ``build_forms``'s table."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            build_forms(path)
        self.path = path
        self._local = threading.local()
        self.of = lru_cache(maxsize=CACHE_WORDS)(self._of)

    def _of(self, lemma: str) -> tuple[str, ...]:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                f"file:{self.path}?mode=ro&immutable=1", uri=True
            )
            self._local.connection = connection
        rows = connection.execute("SELECT form FROM form WHERE lemma = ?", (lemma,))
        return tuple(form for (form,) in rows)


def build_lexicon(path: Path) -> Path:
    """Write simplemma's Ukrainian dictionary to a SQLite table at ``path``.

    Reads the shipped front-coded stream record by record (3.8 MB once
    decompressed) rather than simplemma's 60 MiB dict, so any process may
    build it. Written to a temporary file and renamed, so concurrent
    builders never expose a half-written table. Returns ``path``.

    ``_read_decompressed`` and ``frontcode`` are simplemma internals: the
    release is pinned in the lock, the file name carries its version, and
    the tests compare the table's lemmas with simplemma's own.
    """
    count, rows = _dictionary_rows()
    _write_table(
        path,
        "CREATE TABLE lemma (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID",
        rows,
        expected=count,
    )
    return path


class Lexicon(DecodedStrMapping):
    """simplemma's form-to-lemma mapping, read from the SQLite table.

    One connection per thread: sqlite3 connections must not be shared
    between threads, and a threaded web server queries from several.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # immutable: no locking or change checks; the file is replaced,
            # never written in place.
            connection = sqlite3.connect(
                f"file:{self.path}?mode=ro&immutable=1", uri=True
            )
            self._local.connection = connection
        return connection

    def _lookup(self, key: str) -> str | None:
        row = (
            self._connection()
            .execute("SELECT lemma FROM lemma WHERE form = ?", (key,))
            .fetchone()
        )
        return row[0] if row else None

    def __iter__(self) -> Iterator[str]:
        for (form,) in self._connection().execute("SELECT form FROM lemma"):
            yield form

    def __len__(self) -> int:
        count: int = (
            self._connection().execute("SELECT count(*) FROM lemma").fetchone()[0]
        )
        return count


class LexiconFactory(CachingDictionaryFactory):
    """Hands simplemma the on-disk ``Lexicon`` for Ukrainian."""

    def __init__(self, path: Path) -> None:
        super().__init__(cache_max_size=1)
        self.path = path

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        if lang != LANGUAGE:
            raise ValueError(f"Unsupported language: {lang}")
        return Lexicon(self.path)


class UkrainianNormaliser:
    """Splits Ukrainian text into words and gives each its set of lemmas.

    Args:
        lexicon: the SQLite table from ``build_lexicon`` (built there if
            missing), or None for simplemma's in-memory dictionary (faster,
            about 65 MiB more; for benchmarks and one-off scripts).
    """

    def __init__(self, lexicon: Path | None = None) -> None:
        factory: DictionaryFactory | None = None
        if lexicon is not None:
            if not lexicon.exists():
                build_lexicon(lexicon)
            factory = LexiconFactory(lexicon)
        self._strategy = DefaultStrategy(dictionary_factory=factory)
        self._lemmatizer = Lemmatizer(
            cache_max_size=CACHE_WORDS, lemmatization_strategy=self._strategy
        )
        self.lemmas = lru_cache(maxsize=CACHE_WORDS)(self._lemmas)

    def _lemmas(self, word: str) -> frozenset[str]:
        """Every lemma the word may be, lowercased, without apostrophes.

        simplemma is case-sensitive and tries the other case only when the
        first misses: "києві" is a form of кий (a cue) and never reaches
        Київ, while "Києві" does. A reader types "києві" for the city, so a
        word is looked up as typed, lowercased and capitalised, and any lemma
        counts; except a capitalised word the dictionary knows as written
        (Києві, Київ, Зеленського): that is the proper noun, and adding its
        lowercase reading would make «Київ» find articles about cues.
        """
        if word.isnumeric():
            return frozenset({word})
        capitalised = word.capitalize()
        if word == capitalised and self._strategy.is_dictionary_member(word, LANGUAGE):
            variants: tuple[str, ...] = (word,)
        else:
            variants = tuple(dict.fromkeys((word, word.lower(), capitalised)))
        lemmas = {
            self._lemmatizer.lemmatize(variant, LANGUAGE)
            .lower()
            .translate(_STRIP_APOSTROPHES)
            for variant in variants
        }
        lemmas.discard("")
        return frozenset(lemmas)

    def tokens(self, text: str) -> list[WordToken]:
        """The words of ``text`` in order, with character offsets and lemmas."""
        return list(self.iter_tokens(text))

    def iter_tokens(self, text: str) -> Iterator[WordToken]:
        """``tokens`` one at a time, for callers that stop early."""
        for match in WORD.finditer(text):
            if lemmas := self.lemmas(match.group()):
                yield WordToken(match.group(), match.start(), match.end(), lemmas)

    def query_words(self, text: str) -> list[frozenset[str]]:
        """The lemma sets of the words of a search unit (a word or a phrase)."""
        return [token.lemmas for token in self.tokens(text)]


def spellings(word: str) -> list[str]:
    """The ways ``word`` may be written in stored text, for substring search.

    For the database fallback, which matches raw text with LIKE and cannot
    compare lemmas: the three apostrophes, and the case of non-ASCII letters,
    which SQLite's LIKE does not fold (it folds ASCII only). A plain ASCII
    word is returned alone, so English queries are unchanged.
    """
    has_apostrophe = any(mark in word for mark in APOSTROPHES)
    if word.isascii() and not has_apostrophe:
        return [word]
    cases = dict.fromkeys((word, word.lower(), word.capitalize()))
    if not has_apostrophe:
        return list(cases)
    return list(
        dict.fromkeys(
            re.sub(f"[{APOSTROPHES}]", mark, form)
            for form in cases
            for mark in APOSTROPHES
        )
    )
