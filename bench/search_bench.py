"""Search latency benchmark: synthetic articles into a temporary Tantivy index.

Builds ``--docs`` articles (default 1,000,000) with the backend's bulk path
(``replace_all``), then times queries through ``backend.search`` exactly as
the search page calls it (20 hits, total count, highlighted snippets) and
prints p50/p95/p99 in milliseconds. No database is touched.

Words follow a Zipf distribution over a 50,000-word vocabulary, so the
"common" words (the 20 most frequent) appear in 65-100% of articles, like
"the" or "said" in real news; "frequent" words (ranks 100-300) in about 10%,
like "minister" or "war"; "rare" words (ranks 20,000-50,000) in a handful.

``--language ukrainian`` (#15) draws the vocabulary from real Ukrainian word
forms (simplemma's dictionary, the one the Ukrainian index lemmatises with),
so every word indexed and every query goes through the lemma pipeline; the
same seed, sizes and query mix make its figures comparable with English's.

    .venv/bin/python bench/search_bench.py --docs 200000
    .venv/bin/python bench/search_bench.py --docs 200000 --language ukrainian
"""

# ruff: noqa: S311 - synthetic text, not secrets

import argparse
import itertools
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")

import django

django.setup()

from masthead.search.backends.tantivy import TantivyBackend  # noqa: E402
from masthead.search.documents import IndexDocument  # noqa: E402
from masthead.search.ukrainian import build_lexicon, lexicon_path  # noqa: E402

VOCABULARY = 50_000  # words; --vocabulary changes it (Ukrainian has 42,277)
COMMON = range(0, 20)
FREQUENT = range(100, 300)
RARE_FROM = 20_000  # rare words: this rank to the end of the vocabulary
SECTIONS = 12
EPOCH = datetime(2016, 1, 1, tzinfo=UTC)
DAYS = 3650


def make_vocabulary(rng: random.Random, size: int = VOCABULARY) -> list[str]:
    """Pronounceable unique pseudo-words; none is an English stem collision."""
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    words: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < size:
        length = rng.randint(2, 5)
        word = "".join(
            rng.choice(consonants) + rng.choice(vowels) for _ in range(length)
        )
        if word not in words:
            words.add(word)
            ordered.append(word)
    return ordered


def ukrainian_vocabulary(rng: random.Random, lexicon: Path, size: int) -> list[str]:
    """``size`` distinct Ukrainian word forms, in a seeded random order.

    Forms of distinct lemmas only, so a query word's lemma has exactly the
    Zipf frequency of its rank, as a pseudo-word has in English.
    """
    connection = sqlite3.connect(f"file:{lexicon}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT min(form), lemma FROM lemma"
            " WHERE length(form) >= 4 AND form NOT GLOB '*[^а-яіїєґ]*'"
            " GROUP BY lemma ORDER BY lemma"
        ).fetchall()
    finally:
        connection.close()
    forms = [form for form, _ in rows]
    if len(forms) < size:
        raise SystemExit(
            f"the lexicon has {len(forms):,} usable lemmas: --vocabulary {len(forms)}"
        )
    return rng.sample(forms, size)


def make_words(
    rng: random.Random, language: str, lexicon: Path | None, size: int
) -> list[str]:
    if language == "ukrainian":
        if lexicon is None:
            raise ValueError("Ukrainian words need the lexicon")
        return ukrainian_vocabulary(rng, lexicon, size)
    return make_vocabulary(rng, size)


def documents(
    count: int,
    body_words: int,
    seed: int,
    language: str = "english",
    lexicon: Path | None = None,
    size: int = VOCABULARY,
):
    rng = random.Random(seed)
    vocabulary = make_words(rng, language, lexicon, size)
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.07 for rank in range(size)))
    tags = [f"{vocabulary[rng.randrange(size)]} tag" for _ in range(2_000)]
    authors = [
        f"{vocabulary[rng.randrange(size)].title()} "
        f"{vocabulary[rng.randrange(size)].title()}"
        for _ in range(500)
    ]

    # Slices of one large Zipf sample: as random as fresh draws per article
    # and ten times faster, so building a million articles takes minutes.
    pool = rng.choices(vocabulary, cum_weights=weights, k=4_000_000)

    def words(k: int) -> str:
        start = rng.randrange(len(pool) - k)
        return " ".join(pool[start : start + k])

    for article_id in range(1, count + 1):
        yield IndexDocument(
            article_id=article_id,
            title=words(8).capitalize(),
            standfirst=words(25).capitalize() + ".",
            body=words(body_words),
            tags=tuple(rng.sample(tags, 3)),
            authors=tuple(rng.sample(authors, rng.randint(1, 2))),
            section_id=rng.randint(1, SECTIONS),
            published_at=EPOCH + timedelta(minutes=rng.randrange(DAYS * 24 * 60)),
        )


def out(line: str) -> None:
    sys.stdout.write(line + "\n")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.1f}  p95 {cuts[94]:6.1f}  p99 {cuts[98]:6.1f}"


def time_queries(backend, label: str, queries: list[dict]) -> None:
    """Wall-clock and CPU time of each query, in ms.

    CPU time (this thread's) leaves out waiting for a core, so it shows the
    engine's own cost when other processes share the machine.
    """
    for query in queries[:10]:  # warm the page cache and the reader
        backend.search(**query)
    wall, cpu, totals = [], [], []
    for query in queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        result = backend.search(**query)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        totals.append(result.total)
    out(
        f"{label:<26} wall {percentiles(wall)}  | cpu {percentiles(cpu)}  "
        f"(median total {int(statistics.median(totals)):,})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--body-words", type=int, default=250)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="index directory (kept)")
    parser.add_argument(
        "--language",
        choices=("english", "ukrainian"),
        default="english",
        help="the index's analysis language and the words' (default english)",
    )
    parser.add_argument(
        "--vocabulary",
        type=int,
        default=VOCABULARY,
        help=f"distinct words (default {VOCABULARY:,}; Ukrainian has 42,277)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="query the index in --dir as it is"
    )
    args = parser.parse_args()
    if args.reuse and not args.dir:
        parser.error("--reuse needs --dir")

    directory = args.dir or Path(tempfile.mkdtemp(prefix="masthead-search-bench-"))
    backend = TantivyBackend(index_dir=directory, language=args.language)
    lexicon = None
    if args.language == "ukrainian":
        lexicon = lexicon_path(directory)
        if not lexicon.exists():
            build_lexicon(lexicon)
    try:
        if not args.reuse:
            started = time.perf_counter()
            docs = documents(
                args.docs,
                args.body_words,
                args.seed,
                args.language,
                lexicon,
                args.vocabulary,
            )
            count = backend.replace_all(docs)
            built = time.perf_counter() - started
            out(f"indexed {count:,} docs in {built:.0f} s ({count / built:,.0f}/s)")
        searcher = backend.index.searcher()
        size = sum(f.stat().st_size for f in backend.path.rglob("*") if f.is_file())
        out(
            f"index: {searcher.num_docs:,} docs, {size / 2**20:,.0f} MiB, "
            f"{searcher.num_segments} segment(s)"
        )

        # The same words as documents() drew, from the same seed.
        vocabulary = make_words(
            random.Random(args.seed), args.language, lexicon, args.vocabulary
        )
        rng = random.Random(args.seed + 1)
        n = args.queries

        def pick(ranks: range) -> str:
            return vocabulary[rng.choice(ranks)]

        cases: dict[str, list[dict]] = {
            "common word": [{"query": pick(COMMON)} for _ in range(n)],
            "frequent word": [{"query": pick(FREQUENT)} for _ in range(n)],
            "rare word": [
                {"query": pick(range(RARE_FROM, args.vocabulary))} for _ in range(n)
            ],
            "common word, page 10": [
                {"query": pick(COMMON), "offset": 180} for _ in range(n)
            ],
            "common word + section": [
                {"query": pick(COMMON), "section_id": rng.randint(1, SECTIONS)}
                for _ in range(n)
            ],
            "common word + one year": [
                {
                    "query": pick(COMMON),
                    "date_from": EPOCH + timedelta(days=365 * 3),
                    "date_to": EPOCH + timedelta(days=365 * 4),
                }
                for _ in range(n)
            ],
            "two frequent words": [
                {"query": f"{pick(FREQUENT)} {pick(FREQUENT)}"} for _ in range(n)
            ],
            "two common words": [
                {"query": f"{pick(COMMON)} {pick(COMMON)}"} for _ in range(n)
            ],
            "frequent phrase (2 words)": [
                {"query": f'"{pick(FREQUENT)} {pick(FREQUENT)}"'} for _ in range(n)
            ],
            "common phrase (2 words)": [
                {"query": f'"{pick(COMMON)} {pick(COMMON)}"'} for _ in range(n)
            ],
        }
        out(f"language {args.language}")
        out(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        out(f"{n} queries each, 20 hits with snippets and total count, in ms:")
        for label, queries in cases.items():
            time_queries(backend, label, [{"limit": 20, **q} for q in queries])
    finally:
        if not args.dir:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
