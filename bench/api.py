"""The API step of ``make bench`` (issue #18).

A Content API list is a page like any other to the page cache: kept under
the listing's tags and purged by publishing. The step measures, in the same
run and with the same wrk command, the cached article page (the baseline)
and the cached ``/api/v1/articles`` list; the target is the list's
throughput within 20% of the article's. It also reports the uncached list's
p99 at one connection (page cache off) against the listings' 50 ms target,
and checks that an unchanged list answers ``If-None-Match`` with a 304.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import harness
from harness import say

LIST_PATH = "/api/v1/articles?limit=20"
TARGET_SHARE = 0.8
LIST_P99_MS = 50.0


def step_api(run: Any) -> None:
    """Cached API list vs. cached article; the uncached list's p99; the 304."""
    duration = run.args.duration
    say(f"\n## Content API (wrk -t1 -c32 -d{duration}s, cached)")
    cached = run.app("cached")
    listing = harness.get(cached + LIST_PATH)
    articles = json.loads(listing.body)["articles"] if listing.status == 200 else []
    if not articles:
        run.notes.append(f"api: {LIST_PATH} answered {listing.status} or is empty.")
        return
    article_path = run.article_path or urlsplit(articles[0]["url"]).path
    etag = listing.header("etag")
    revalidated = harness.get(cached + LIST_PATH, headers={"If-None-Match": etag})
    for url in (cached + article_path, cached + LIST_PATH):
        harness.warm(url, 5)
    page = harness.wrk(cached + article_path, connections=32, duration=duration)
    api = harness.wrk(cached + LIST_PATH, connections=32, duration=duration)
    uncached_url = run.app("uncached") + LIST_PATH
    harness.warm(uncached_url, 5)
    one = harness.wrk(uncached_url, connections=1, duration=run.args.latency_duration)
    run.data["api"] = {
        "article_path": article_path,
        "article": page.as_dict(),
        "list_cached": api.as_dict(),
        "list_uncached_one_connection": one.as_dict(),
        "if_none_match_status": revalidated.status,
    }
    share = api.rps / page.rps if page.rps else 0.0
    run.add(
        "api",
        "cached article page",
        f"{page.rps:,.0f} req/s, p99 {_ms(page.p99_ms)}",
        "",
        "baseline",
    )
    run.add(
        "api",
        "cached API list (20 articles)",
        f"{api.rps:,.0f} req/s = {share:.2f} x article, p99 {_ms(api.p99_ms)}",
        "",
        f">= {TARGET_SHARE:.2f} x article",
        "PASS" if share >= TARGET_SHARE else "MISS",
    )
    run.add(
        "api",
        "uncached API list p99 (1 connection)",
        _ms(one.p99_ms),
        "",
        f"<= {LIST_P99_MS:.0f} ms",
        "PASS" if one.p99_ms is not None and one.p99_ms <= LIST_P99_MS else "MISS",
    )
    run.add(
        "api",
        "unchanged list, If-None-Match",
        str(revalidated.status),
        "",
        "304",
        "PASS" if revalidated.status == 304 else "MISS",
    )


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"
