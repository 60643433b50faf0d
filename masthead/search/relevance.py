"""Measuring search quality on a judged set of queries (issue #15).

The set (``tests/relevance/corpus.toml``) holds short original articles in
Ukrainian and English and, for each query, the articles a reader expects.
``evaluate`` runs every query through a backend's ``search`` exactly as the
search page does and counts what it found against what was expected; the
benchmark (bench/search_relevance.py) compares analyses with it and a test
holds the chosen one to its measured level.
"""

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from masthead.search.backends.base import SearchBackend
from masthead.search.documents import IndexDocument

CORPUS = Path(__file__).parent / "tests" / "relevance" / "corpus.toml"
# Far more than any query's expected set: every match is counted.
SEARCH_LIMIT = 200


@dataclass(frozen=True)
class Judgement:
    """A query and the ids of the articles it should find, no more."""

    query: str
    language: str
    expected: frozenset[int]


@dataclass(frozen=True)
class Outcome:
    """What one query found: the expected ids it missed and the extra ones."""

    judgement: Judgement
    found: frozenset[int]

    @property
    def missed(self) -> frozenset[int]:
        return self.judgement.expected - self.found

    @property
    def extra(self) -> frozenset[int]:
        return self.found - self.judgement.expected


@dataclass
class Report:
    """Micro-averaged precision and recall over a set of queries.

    Micro (over all found and all expected ids) so a query that floods the
    results weighs as much as the articles it wrongly returned.
    """

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = sum(len(item.found) for item in self.outcomes)
        right = sum(len(item.found - item.extra) for item in self.outcomes)
        return right / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = sum(len(item.judgement.expected) for item in self.outcomes)
        right = sum(len(item.found - item.extra) for item in self.outcomes)
        return right / expected if expected else 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [item for item in self.outcomes if item.missed or item.extra]


def load_corpus(
    path: Path = CORPUS,
) -> tuple[dict[str, list[IndexDocument]], list[Judgement]]:
    """The articles by language, and the judged queries.

    The body is indexed as the body; there is no standfirst, tag or byline,
    so every result's match is in words written for this set.
    """
    data = tomllib.loads(path.read_text())
    documents: dict[str, list[IndexDocument]] = {}
    for row in data["documents"]:
        documents.setdefault(row["language"], []).append(
            IndexDocument(
                article_id=row["id"],
                title=row["title"],
                standfirst="",
                body=row["body"],
                tags=tuple(row.get("tags", ())),
                authors=tuple(row.get("authors", ())),
                section_id=None,
                published_at=None,
            )
        )
    judgements = [
        Judgement(row["query"], row["language"], frozenset(row["expected"]))
        for row in data["queries"]
    ]
    return documents, judgements


def evaluate(backend: SearchBackend, judgements: Iterable[Judgement]) -> Report:
    """Run each query through ``backend.search`` and compare with the judgement."""
    report = Report()
    for judgement in judgements:
        results = backend.search(judgement.query, limit=SEARCH_LIMIT)
        found = frozenset(hit.article_id for hit in results.hits)
        report.outcomes.append(Outcome(judgement, found))
    return report
