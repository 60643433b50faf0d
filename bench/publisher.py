"""Publish probe articles on command, for the publish → visible benchmark.

bench/run.py starts this script inside the site's own environment (the same
settings, database and cache configuration as the app servers; pass
``--publisher-cmd`` to run it elsewhere, e.g. on an editor's machine of a
scale-out site) and talks to it in JSON lines: one command on stdin, one
answer on stdout.

    {"op": "prepare", "n": 3}  → {"id": 41, "path": "/world/bench-…/", "headline": …}
    {"op": "publish", "id": 41} → {"seconds": 0.052}
    {"op": "cleanup"}           → {"deleted": 20}

``prepare`` saves a draft through ``create_article(publish=False)`` so the
timed ``publish`` is exactly what an editor's Publish button runs
(``publish_article``: one transaction, purges and indexing after commit).
``cleanup`` unpublishes and deletes every probe, so it is safe against a
staging site.
"""

import json
import os
import sys
import time
import uuid
from pathlib import Path

# Django logs to stderr, but anything printed to fd 1 by a library would break
# the protocol: keep a private copy of stdout for answers, send fd 1 to stderr.
_answers = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.dev")

import django  # noqa: E402

django.setup()

from masthead.content.models import ArticleAuthor, ArticlePage, SectionPage  # noqa: E402
from masthead.content.services import (  # noqa: E402
    create_article,
    public_path,
    publish_article,
)
from masthead.people.models import Author  # noqa: E402

RUN = uuid.uuid4().hex[:8]


def answer(data: dict) -> None:
    _answers.write(json.dumps(data) + "\n")


def prepare(n: int) -> dict:
    section = SectionPage.objects.live().order_by("path").first()
    author = Author.objects.order_by("pk").first()
    if section is None or author is None:
        raise RuntimeError("the site needs a live section and an author")
    headline = f"Benchmark probe {RUN} number {n}"
    article = ArticlePage(
        title=headline,
        slug=f"bench-probe-{RUN}-{n}",
        standfirst="A probe published by bench/run.py to time publish to visible.",
        body=[("paragraph", "<p>Published by the benchmark; deleted after it.</p>")],
        article_authors=[ArticleAuthor(author=author, sort_order=0)],
    )
    article = create_article(section, article, publish=False)
    return {"id": article.pk, "path": public_path(article), "headline": headline}


def publish(article_id: int) -> dict:
    article = ArticlePage.objects.get(pk=article_id)
    start = time.perf_counter()
    publish_article(article)
    return {"seconds": time.perf_counter() - start}


def cleanup() -> dict:
    probes = ArticlePage.objects.filter(slug__startswith=f"bench-probe-{RUN}-")
    deleted = 0
    for article in probes:
        if article.live:
            article.unpublish()
        article.delete()
        deleted += 1
    return {"deleted": deleted}


def main() -> None:
    answer({"ready": True, "run": RUN})
    for line in sys.stdin:
        command = json.loads(line)
        try:
            if command["op"] == "prepare":
                answer(prepare(command["n"]))
            elif command["op"] == "publish":
                answer(publish(command["id"]))
            elif command["op"] == "cleanup":
                answer(cleanup())
            else:
                answer({"error": f"unknown op {command['op']!r}"})
        except Exception as error:  # noqa: BLE001 - reported to the harness
            answer({"error": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
