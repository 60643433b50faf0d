"""Tantivy: the embedded default, a Lucene-like engine with top-k retrieval.

Measured for issue #3: a one-word query over a million articles answers in
milliseconds (docs/search.md has the figures), where Wagtail's database
backend on SQLite took over 30 s at 100,000.

Tantivy lets one writer at a time hold an index, across processes too. Writers
here are short: ``apply`` takes the lock for one commit and gives up after
``lock_wait`` seconds with ``IndexBusy``; the queue in ``services`` makes sure
the change is applied by whoever holds the lock (docs/search.md).
"""

import itertools
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import cast

import tantivy
from django.core.exceptions import ImproperlyConfigured
from django.utils.safestring import SafeString

from masthead.search.documents import IndexDocument
from masthead.search.highlight import (
    byte_spans_to_chars,
    mark_spans,
    snippet,
)
from masthead.search.query import UserQuery
from masthead.search.ukrainian import UkrainianNormaliser, lexicon_path

from .base import IndexBusy, SearchBackend, SearchHit, SearchResults, SearchUnavailable
from .pretokenised import lemma_hit, lemma_stream

logger = logging.getLogger(__name__)

# Bump when the schema or the analysis changes: a new directory is used and
# ``masthead search_rebuild`` fills it.
SCHEMA_VERSION = 1
TOKENIZER = "masthead"
# Every word is matched in ``text`` (all of an article's words in one field,
# so a common word walks one long posting list, not five); these fields add
# to the score when they match too, so a headline match outranks a body-only
# one, and a tag or byline match a plain mention (issue #3).
RANK_BOOSTS = {"title": 3.0, "names": 2.0}
# Tokens longer than this are not words (hashes, base64); Tantivy counts bytes.
MAX_TOKEN_BYTES = 40
# Counting a common word's postings exactly costs milliseconds per 100,000
# articles; past this many matches the total is shown as "more than" anyway.
EXACT_COUNT_BELOW = 10_000
# Tantivy measures snippets in bytes: 320 is two lines of Latin text.
SNIPPET_BYTES = 320
# Languages Tantivy has no analyzer for: their words are lemmatised in Python
# and indexed as pre-tokenised lemma streams (issue #15).
PRETOKENISED_LANGUAGES = frozenset({"ukrainian"})
# A phrase whose words each have several lemmas is searched as one phrase per
# combination; Tantivy has no multi-term phrase. Real phrases have one or two
# ambiguous words, so 16 covers them and bounds a hostile ten-word phrase.
MAX_PHRASE_VARIANTS = 16

# One search unit as the index sees it: per word position, the terms that
# may stand there (one for analysed languages, a lemma set for Ukrainian).
UnitTerms = list[list[str]]


def build_analyzer(language: str) -> tantivy.TextAnalyzer:
    """Split on non-alphanumerics, lowercase, fold accents, stem ``language``.

    An empty ``language`` turns stemming off.
    """
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if language:
        builder = builder.filter(tantivy.Filter.stemmer(language))
    return builder.build()


def build_schema() -> tantivy.Schema:
    """Fields of the index; bump ``SCHEMA_VERSION`` when this changes."""
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("text", tokenizer_name=TOKENIZER)
    builder.add_text_field("title", stored=True, tokenizer_name=TOKENIZER)
    # Stored for snippets; indexed only as far as the snippet scorer needs.
    for name in ("standfirst", "body"):
        builder.add_text_field(
            name, stored=True, tokenizer_name=TOKENIZER, index_option="basic"
        )
    # Tag names and byline names in one field: one posting list less per word.
    builder.add_text_field("names", tokenizer_name=TOKENIZER)
    builder.add_integer_field("section_id", indexed=True, fast=True)
    builder.add_integer_field("published_ts", indexed=True, fast=True)
    return builder.build()


class TantivyBackend(SearchBackend):
    """Search with a Tantivy index in a directory on local disk.

    Args:
        index_dir: parent directory; the index lives in a versioned child.
        edition: the edition whose articles this index holds (#15), part of
            the child's name (``v1-uk-ukrainian``); "" for an index named
            by its language alone (``v1-english``: benchmarks, tests).
        language: stemmer language ("" for none), or "ukrainian" for the
            lemmatised pipeline (``masthead.search.ukrainian``). Changing it
            needs a rebuild.
        writer_heap: memory for a short write (bytes).
        rebuild_heap: memory for ``replace_all`` (bytes). One indexing thread
            with a large heap writes few, large segments, and queries on a
            common word cost about the same per segment.
        lock_wait: seconds ``apply`` waits for another writer before giving up.
        rebuild_lock_wait: the same for ``replace_all``.
    """

    def __init__(
        self,
        *,
        index_dir: str | Path,
        language: str = "english",
        edition: str = "",
        writer_heap: int = 32_000_000,
        rebuild_heap: int = 1_000_000_000,
        lock_wait: float = 2.0,
        rebuild_lock_wait: float = 60.0,
    ):
        slug = language.lower() or "plain"
        self.edition = edition
        name = f"{edition.lower()}-{slug}" if edition else slug
        self.path = Path(index_dir) / f"v{SCHEMA_VERSION}-{name}"
        self.is_pretokenised = slug in PRETOKENISED_LANGUAGES
        self._lexicon = lexicon_path(index_dir)
        self._normaliser: UkrainianNormaliser | None = None
        try:
            self.analyzer = build_analyzer("" if self.is_pretokenised else language)
        except ValueError as exc:
            raise ImproperlyConfigured(f"MASTHEAD_SEARCH_LANGUAGE: {exc}") from exc
        self.schema = build_schema()
        self.writer_heap = writer_heap
        self.rebuild_heap = rebuild_heap
        self.lock_wait = lock_wait
        self.rebuild_lock_wait = rebuild_lock_wait
        self._index: tantivy.Index | None = None
        self._open_lock = threading.Lock()

    # Reading

    @property
    def normaliser(self) -> UkrainianNormaliser:
        """The Ukrainian lemmatiser, its table built on first use (2 s, once)."""
        if self._normaliser is None:
            with self._open_lock:
                if self._normaliser is None:
                    try:
                        self._normaliser = UkrainianNormaliser(self._lexicon)
                    except OSError as exc:
                        raise SearchUnavailable(
                            f"cannot build lexicon {self._lexicon}: {exc}"
                        ) from exc
        return self._normaliser

    def units(self, query: UserQuery | str) -> list[UnitTerms]:
        """The query's words and phrases as index terms; unsearchable ones dropped."""
        result = []
        for unit in self.as_query(query).units:
            if self.is_pretokenised:
                positions = [
                    sorted(lemmas) for lemmas in self.normaliser.query_words(unit.text)
                ]
            else:
                positions = [[term] for term in self.analyzer.analyze(unit.text)]
            if positions:
                result.append(positions)
        return result

    @property
    def index(self) -> tantivy.Index:
        """The open index (created empty on first use)."""
        if self._index is None:
            with self._open_lock:
                if self._index is None:
                    self._index = self._open()
        return self._index

    def _open(self) -> tantivy.Index:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        except (OSError, ValueError) as exc:
            raise SearchUnavailable(f"cannot open index {self.path}: {exc}") from exc
        index.register_tokenizer(TOKENIZER, self.analyzer)
        return index

    def search(
        self,
        query: UserQuery | str,
        *,
        section_id: int | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> SearchResults:
        units = self.units(query)
        # Tantivy panics on a limit of 0; an empty query matches nothing.
        if not units or limit <= 0:
            return SearchResults()
        filters = self._filters(section_id, date_from, date_to)
        clauses = [self._unit_query(terms) for terms in units]
        try:
            searcher = self.index.searcher()
            if (
                len(clauses) == 1
                and not filters
                and len(units[0]) == 1
                and len(units[0][0]) == 1
            ):
                # One word: a pure disjunction of terms takes Tantivy's
                # block-max WAND path, which skips postings that cannot reach
                # the top; counting in the same pass would score them all.
                result = searcher.search(
                    clauses[0], limit=limit, offset=offset, count=False
                )
                total, is_estimate = self._word_count(searcher, units[0][0][0])
            else:
                result = searcher.search(
                    tantivy.Query.boolean_query(
                        [(tantivy.Occur.Must, item) for item in clauses + filters]
                    ),
                    limit=limit,
                    offset=offset,
                    count=True,
                )
                total, is_estimate = result.count or 0, False  # type: ignore[attr-defined]
            if self.is_pretokenised:
                wanted = {term for unit in units for terms in unit for term in terms}
                hits = [
                    lemma_hit(self.normaliser, searcher.doc(address), wanted, score)
                    for score, address in result.hits
                ]
            else:
                generators = self._snippet_generators(searcher, units)
                hits = [
                    self._hit(searcher, generators, score, address)
                    for score, address in result.hits
                ]
        except ValueError as exc:
            raise SearchUnavailable(str(exc)) from exc
        return SearchResults(hits=hits, total=total, total_is_estimate=is_estimate)

    def _word_count(self, searcher: tantivy.Searcher, term: str) -> tuple[int, bool]:
        """How many articles contain ``term``, and whether that is an estimate.

        The term dictionary's document frequency costs nothing but still
        counts replaced and deleted copies until segments merge; it is used
        only when far above what a reader can page through, and otherwise
        the postings are counted exactly (cheap when they are few).
        """
        frequency = searcher.doc_freq("text", term)
        if frequency >= EXACT_COUNT_BELOW:
            return frequency, True
        query = tantivy.Query.term_query(self.schema, "text", term)
        found = searcher.search(query, limit=1, count=True)
        # Set when count=True; tantivy's stub leaves it out.
        return found.count or 0, False  # type: ignore[attr-defined]

    def _unit_query(self, unit: UnitTerms) -> tantivy.Query:
        """A word or phrase: must be in ``text``; boosted fields add score."""
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self._field_query("text", unit))]
            + [
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(self._field_query(name, unit), boost),
                )
                for name, boost in RANK_BOOSTS.items()
            ]
        )

    def _field_query(self, name: str, unit: UnitTerms) -> tantivy.Query:
        """Any of a word's terms, or the phrase in any of its combinations."""
        if len(unit) == 1:
            queries = [
                tantivy.Query.term_query(self.schema, name, term) for term in unit[0]
            ]
        else:
            combinations = itertools.islice(
                itertools.product(*unit), MAX_PHRASE_VARIANTS
            )
            queries = [
                tantivy.Query.phrase_query(self.schema, name, list(words))
                for words in combinations
            ]
        if len(queries) == 1:
            return queries[0]
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, query) for query in queries]
        )

    def _snippet_generators(
        self, searcher: tantivy.Searcher, units: list[UnitTerms]
    ) -> dict[str, tantivy.SnippetGenerator]:
        """One snippet generator per shown field, for every searched word.

        The ranking query names ``text``; highlighting needs the same words
        addressed to the stored fields, so a query is built just for that.
        """
        words = {term for unit in units for terms in unit for term in terms}
        generators = {}
        for name in ("title", "standfirst", "body"):
            highlight_query = tantivy.Query.boolean_query(
                [
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.term_query(self.schema, name, word),
                    )
                    for word in sorted(words)
                ]
            )
            generator = tantivy.SnippetGenerator.create(
                searcher, highlight_query, self.schema, name
            )
            generator.set_max_num_chars(SNIPPET_BYTES)
            generators[name] = generator
        return generators

    def _filters(
        self,
        section_id: int | None,
        date_from: datetime | None,
        date_to: datetime | None,
    ) -> list[tantivy.Query]:
        filters = []
        if section_id is not None:
            filters.append(
                tantivy.Query.term_query(self.schema, "section_id", int(section_id))
            )
        if date_from is not None or date_to is not None:
            filters.append(
                tantivy.Query.range_query(
                    self.schema,
                    "published_ts",
                    tantivy.FieldType.Integer,
                    int(date_from.timestamp()) if date_from else -(2**62),
                    int(date_to.timestamp()) if date_to else 2**62,
                    include_lower=True,
                    include_upper=False,
                )
            )
        # Filters decide membership only; the words decide the rank.
        return [tantivy.Query.const_score_query(item, 0.0) for item in filters]

    def _hit(
        self,
        searcher: tantivy.Searcher,
        generators: dict[str, tantivy.SnippetGenerator],
        score: float,
        address: tantivy.DocAddress,
    ) -> SearchHit:
        document = searcher.doc(address)
        title = document.get_first("title") or ""
        snippet_html = self._highlight(generators, document, "standfirst")
        if snippet_html is None:
            snippet_html = self._highlight(generators, document, "body")
        if snippet_html is None:
            # Matched on title, tags or byline only: the opening words, unmarked.
            text = document.get_first("standfirst") or document.get_first("body") or ""
            snippet_html = snippet(text, None)[0]
        return SearchHit(
            # Every document is written with its id (``_document``).
            article_id=cast(int, document.get_first("id")),
            score=score,
            title_html=self._highlight(generators, document, "title")
            or mark_spans(title, []),
            snippet_html=snippet_html,
        )

    def _highlight(
        self,
        generators: dict[str, tantivy.SnippetGenerator],
        document: tantivy.Document,
        name: str,
    ) -> SafeString | None:
        """Escaped best passage of field ``name`` with matches marked, or None.

        A headline, or any text that fits, is shown whole; otherwise Tantivy's
        best fragment, widened to whole words and punctuation, with ellipses
        where cut.
        """
        text = document.get_first(name) or ""
        if not text:
            return None
        found = generators[name].snippet_from_doc(document)
        bounds = found.fragment_range()
        spans = [
            (bounds.start + item.start, bounds.start + item.end)
            for item in found.highlighted()
        ]
        if not spans:
            return None
        spans = byte_spans_to_chars(text, spans)
        if name == "title" or len(text.encode()) <= SNIPPET_BYTES:
            return mark_spans(text, spans)
        start, end = byte_spans_to_chars(text, [(bounds.start, bounds.end)])[0]
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        return mark_spans(
            text[start:end],
            [(span_start - start, span_end - start) for span_start, span_end in spans],
            lead=start > 0,
            trail=end < len(text),
        )

    # Writing

    @contextmanager
    def _writer(
        self, heap: int, threads: int, wait: float
    ) -> Iterator[tantivy.IndexWriter]:
        """Hold the index writer for one commit; release it however it ends."""
        deadline = time.monotonic() + wait
        while True:
            try:
                writer = self.index.writer(heap_size=heap, num_threads=threads)
                break
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise SearchUnavailable(str(exc)) from exc
                if time.monotonic() >= deadline:
                    raise IndexBusy(str(exc)) from exc
                time.sleep(0.05)
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            # Lets merges of small segments finish and frees the lock now, not
            # whenever the writer is garbage-collected.
            writer.wait_merging_threads()
        self.index.reload()

    def apply(self, upserts: Sequence[IndexDocument], removals: Sequence[int]) -> None:
        if not upserts and not removals:
            return
        with self._writer(self.writer_heap, 1, self.lock_wait) as writer:
            for article_id in {*removals, *(doc.article_id for doc in upserts)}:
                writer.delete_documents_by_term("id", int(article_id))
            for doc in upserts:
                writer.add_document(self._document(doc))

    def replace_all(self, documents: Iterable[IndexDocument]) -> int:
        count = 0
        with self._writer(self.rebuild_heap, 1, self.rebuild_lock_wait) as writer:
            writer.delete_all_documents()
            for doc in documents:
                writer.add_document(self._document(doc))
                count += 1
        return count

    def _document(self, doc: IndexDocument) -> tantivy.Document:
        """The article as index fields: analysed text, or lemma streams."""
        result = tantivy.Document()
        result.add_integer("id", doc.article_id)
        if self.is_pretokenised:
            streams: dict[str, tantivy.PreTokenizedString] = {}

            def add(name: str, text: str) -> None:
                # Every text goes to ``text`` and to its own field: lemmatised
                # once.
                if text not in streams:
                    streams[text] = lemma_stream(self.normaliser, text)
                result.add_pre_tokenized_text(name, streams[text])

        else:
            add = result.add_text  # type: ignore[assignment]
        for text in (doc.title, doc.standfirst, doc.body, *doc.tags, *doc.authors):
            add("text", text)
        add("title", doc.title)
        add("standfirst", doc.standfirst)
        add("body", doc.body)
        for name in (*doc.tags, *doc.authors):
            add("names", name)
        if doc.section_id is not None:
            result.add_integer("section_id", doc.section_id)
        if doc.published_at is not None:
            result.add_integer("published_ts", int(doc.published_at.timestamp()))
        return result
