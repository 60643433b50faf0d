"""Relevance, memory and speed of the candidate analyses for Ukrainian search (#15).

Indexes the judged set (masthead/search/tests/relevance/corpus.toml) once per
analysis and language into temporary Tantivy indexes, runs every query
through ``backend.search`` as the search page does, and prints micro
precision and recall per analysis and language, with each query's misses
and extra hits:

- ``plain``: split, lowercase, fold accents; no stemming (``language=""``);
- ``russian``: the same plus Tantivy's Russian Snowball stemmer (Snowball
  has no Ukrainian);
- ``english``: the same plus the English stemmer (the English edition's);
- ``simplemma``: Ukrainian words lemmatised with simplemma, indexed as
  pre-tokenised lemma streams (``language="ukrainian"``).

``--memory`` also measures, each in a fresh process: resident memory and
the cost of a word not seen before for simplemma's three ways of holding
its Ukrainian dictionary, and a Django process answering the Ukrainian
queries (the web worker's case).

    .venv/bin/python bench/search_relevance.py [--memory]
"""

# ruff: noqa: T201, S311 - a report printed for a person; a seeded sample

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")

import django

django.setup()

from masthead.search.backends.tantivy import TantivyBackend  # noqa: E402
from masthead.search.relevance import evaluate, load_corpus  # noqa: E402
from masthead.search.ukrainian import build_lexicon, lexicon_path  # noqa: E402

PIPELINES = {
    "plain": "",
    "russian": "russian",
    "english": "english",
    "simplemma": "ukrainian",
}
# Forms looked up in the memory runs: distinct, so no cache helps.
SAMPLE_WORDS = 20_000


def relevance(workdir: Path) -> None:
    documents, judgements = load_corpus()
    rows = []
    failures = []
    for name, language in PIPELINES.items():
        row = [name]
        for edition in ("uk", "en"):
            backend = TantivyBackend(
                index_dir=workdir / name / edition, language=language
            )
            backend.replace_all(documents[edition])
            report = evaluate(
                backend, [item for item in judgements if item.language == edition]
            )
            row += [f"{report.precision:.3f}", f"{report.recall:.3f}"]
            failures += [
                (name, edition, item.judgement.query, item.missed, item.extra)
                for item in report.failures
            ]
        rows.append(row)
    count = {
        edition: sum(item.language == edition for item in judgements)
        for edition in ("uk", "en")
    }
    print(
        f"{sum(len(docs) for docs in documents.values())} articles, "
        f"{count['uk']} Ukrainian and {count['en']} English queries\n"
    )
    print("| analysis | uk precision | uk recall | en precision | en recall |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nMissed (expected, not found) and extra (found, not expected):")
    for name, edition, query, missed, extra in failures:
        print(
            f"  {name:9} {edition}  {query!r}: missed {sorted(missed)} "
            f"extra {sorted(extra)}"
        )


def query_speed(workdir: Path) -> None:
    """Per-query wall time, Ukrainian pipeline versus English, over the set."""
    documents, judgements = load_corpus()
    for edition, language in (("uk", "ukrainian"), ("en", "english")):
        backend = TantivyBackend(
            index_dir=workdir / "speed" / edition, language=language
        )
        backend.replace_all(documents[edition])
        queries = [item.query for item in judgements if item.language == edition]
        timings = []
        for _ in range(50):
            for query in queries:
                started = time.perf_counter()
                backend.search(query)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(
            f"  {language:9} {len(timings)} searches: p50 "
            f"{statistics.median(timings):.2f} ms, p99 "
            f"{timings[int(len(timings) * 0.99)]:.2f} ms"
        )


# Each runs in a fresh interpreter; prints one JSON line.
PROBE = """
import json, sys, time
def rss():
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]) / 1024
mode, lexicon, words_file = sys.argv[1:4]
words = open(words_file).read().split()
before = rss()
started = time.perf_counter()
if mode.startswith("worker"):
    import os
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    import django
    django.setup()
    from masthead.search.backends.tantivy import TantivyBackend
    from masthead.search.relevance import load_corpus
    language = mode.split("-")[1]
    backend = TantivyBackend(index_dir=sys.argv[4], language=language)
    edition = "uk" if language == "ukrainian" else "en"
    queries = [j.query for j in load_corpus()[1] if j.language == edition]
    before = rss()
    for query in queries:
        backend.search(query)
    loaded = rss()
    load = time.perf_counter() - started
    started = time.perf_counter()
    for word in words:
        backend.search(word)
else:
    from pathlib import Path
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    if mode == "lexicon":
        from masthead.search.ukrainian import LexiconFactory
        strategy = DefaultStrategy(dictionary_factory=LexiconFactory(Path(lexicon)))
    else:
        strategy = DefaultStrategy(low_memory=mode == "low_memory")
    lemmatizer = Lemmatizer(cache_max_size=16384, lemmatization_strategy=strategy)
    lemmatizer.lemmatize("Києві", "uk")
    loaded = rss()
    load = time.perf_counter() - started
    started = time.perf_counter()
    for word in words:
        lemmatizer.lemmatize(word, "uk")
elapsed = time.perf_counter() - started
print(json.dumps({"before": before, "loaded": loaded, "after": rss(),
                  "load_s": load, "us_per_item": elapsed / len(words) * 1e6}))
"""


def memory(workdir: Path) -> None:
    lexicon = lexicon_path(workdir / "memory")
    if not lexicon.exists():
        build_lexicon(lexicon)
    with sqlite3.connect(lexicon) as connection:
        forms = [row[0] for row in connection.execute("SELECT form FROM lemma")]
    words_file = workdir / "words.txt"
    words_file.write_text("\n".join(random.Random(15).sample(forms, SAMPLE_WORDS)))
    query_file = workdir / "queries.txt"
    # Search words the index has mostly not seen: every one a new lookup.
    query_file.write_text("\n".join(random.Random(16).sample(forms, 2_000)))
    documents, _ = load_corpus()
    for edition, language in (("uk", "ukrainian"), ("en", "english")):
        TantivyBackend(index_dir=workdir / "worker", language=language).replace_all(
            documents[edition]
        )
    print(
        "\n| dictionary / process | RSS before | after load | after run | load | cost |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for mode, words, unit in (
        ("in_memory", words_file, "us/new word"),
        ("low_memory", words_file, "us/new word"),
        ("lexicon", words_file, "us/new word"),
        ("worker-english", query_file, "us/query"),
        ("worker-ukrainian", query_file, "us/query"),
    ):
        output = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
            [
                sys.executable,
                "-c",
                PROBE,
                mode,
                str(lexicon),
                str(words),
                str(workdir / "worker"),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(
            f"| {mode} | {result['before']:.1f} MiB | {result['loaded']:.1f} MiB "
            f"| {result['after']:.1f} MiB | {result['load_s']:.2f} s "
            f"| {result['us_per_item']:.1f} {unit} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", action="store_true", help="measure RSS too")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="search-relevance-"))
    try:
        relevance(workdir)
        print("\nSearch time over the set (after a first pass):")
        query_speed(workdir)
        if options.memory:
            memory(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
