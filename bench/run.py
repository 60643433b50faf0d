"""Masthead's benchmarks against the targets of issue #5 (``make bench``).

Builds a small demo site in a temporary directory (or uses ``--var-dir``),
serves it with ``masthead serve --workers 1`` pinned to core 0, drives it
with wrk pinned to core 1 and prints each figure beside its baseline from
the same run, its target and PASS or MISS. docs/performance.md explains the
method and keeps the latest figures.

Steps (``--only`` picks some, comma-separated):

  throughput  nginx serving the article's bytes from a file (baseline), the
              cached article, the uncached article and home page
  weight      article HTML + CSS compressed; render-blocking scripts
  publish     publish → visible on the public URL (article, home page)
  listings    p99 at one connection, page cache off: home, section, big tag,
              author, News Feed, search for a common word, the date archive
              (index, year, month, day) and "Older stories" half-way down
  floods      the cached front page's p50/p99 alone, during a flood of
              unknown URLs and during a flood of searches (bench/flood.py)
  lighthouse  Lighthouse mobile performance score of the article page, the
              median of five runs (BENCH_LIGHTHOUSE_RUNS)
  live        the live page (#14): uncached and cached, one request and
              32 connections; HTML + CSS compressed; its updates.json 304
  editions    each edition's home, article, News Feed and search (#15):
              p99 uncached at one connection and cached throughput at 32,
              the Ukrainian figures beside the English ones with the ratio
  newsletter  one issue to 100,000 members (#16): a worker on core 0 sending
              to an SMTP sink on core 1; messages/s, seconds, the worker's
              peak RSS (bench/newsletter.py; BENCH_NEWSLETTER_MEMBERS)
  api         the cached /api/v1/articles list vs the cached article
              (>= 0.8x), the uncached list's p99 at one connection, the 304
              (bench/api.py, #18)
  memory      (always, last) RSS of every app process after the load runs

Durations: BENCH_DURATION (default 15 s) for the 32-connection runs and, when
BENCH_LATENCY_DURATION is unset, for the one-connection runs (default 10 s).

    make bench                                    # everything, full length
    BENCH_DURATION=3 make bench                   # a quick check
    .venv/bin/python bench/run.py --var-dir /tmp/gen1m --only listings
    .venv/bin/python bench/run.py --var-dir /srv/site --only publish \\
        --front http://127.0.0.1:6081             # through Varnish
"""

# ruff: noqa: S603, S607 - runs the project's own commands and local tools

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import harness
from api import step_api
from flood import step_floods
from gated_bench import step_gated
from harness import ROOT, say
from members_bench import step_members
from newsletter import step_newsletter

STEPS = [
    "throughput",
    "weight",
    "publish",
    "listings",
    "floods",
    "lighthouse",
    "live",
    "editions",
    "members",
    "gated",
    "api",
    "newsletter",
]
# RFC 9110 7.6.1: meaningful for one connection only, never forwarded.
HOP_BY_HOP_HEADERS = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}
# Ghost 5.130 on the same pinning and wrk command (issue #5).
GHOST_RPS = {"article": 18.0, "home": 9.0}
TARGETS = {
    "cached_share_of_nginx": 0.80,
    "cached_p99_ms": 10.0,
    "article_vs_ghost": 5,
    "home_vs_ghost": 10,
    "publish_median_ms": 250.0,
    "publish_max_ms": 1000.0,
    "listing_p99_ms": 50.0,
    "rss_mb": 150.0,
    "weight_bytes": 30_000,
    "lighthouse": 100,
}
DEMO_SIZE = {"articles": 60, "authors": 10, "tags": 24, "feed_items": 60}
PUBLISH_TIMEOUT = 5.0
LIGHTHOUSE = ROOT / "tests" / "browser" / "node_modules" / ".bin" / "lighthouse"
# The flags the browser suite gives Debian's chromium
# (tests/browser/screenshots.py: CHROMIUM_ARGS).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


LIGHTHOUSE_METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


@dataclass
class Row:
    group: str
    figure: str
    value: str
    baseline: str = ""
    target: str = ""
    result: str = ""  # PASS, MISS, SKIP or "" for a plain figure


@dataclass
class Run:
    """State shared by the steps: options, the site, running services, figures."""

    args: argparse.Namespace
    work_dir: Path
    var_dir: Path
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    services: dict[str, harness.Service] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)
    article_path: str = ""

    def env(self, **extra: str) -> dict:
        return {
            **os.environ,
            "MASTHEAD_VAR_DIR": str(self.var_dir),
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "masthead.settings.dev"
            ),
            "MASTHEAD_DEMO_PASSWORD": os.environ.get(
                "MASTHEAD_DEMO_PASSWORD", "bench-pass-1234"
            ),
            # Throughput runs measure the app alone (issue #5).
            "MASTHEAD_RUN_SCHEDULER": "0",
            "MASTHEAD_LOG_LEVEL": "WARNING",
            **extra,
        }

    def app(self, kind: str) -> str:
        """Base URL of the ``cached`` or ``uncached`` app, started on first use."""
        if kind not in self.bases:
            extra = {"MASTHEAD_PAGE_CACHE": "off"} if kind == "uncached" else {}
            say(f"Starting the {kind} app on core {harness.SERVER_CORE} …")
            service, base = harness.start_app(
                f"app-{kind}", self.env(**extra), self.work_dir
            )
            self.services[f"app-{kind}"] = service
            self.bases[kind] = base
        return self.bases[kind]

    def add(self, *args, **kwargs) -> None:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        say(
            f"  {row.figure}: {row.value}" + (f"  [{row.result}]" if row.result else "")
        )

    def stop_all(self) -> None:
        for name, service in reversed(self.services.items()):
            try:
                service.stop()
            except OSError as error:
                say(f"Could not stop {name} (PID {service.pid}): {error}")
        self.services.clear()


# --- formatting ------------------------------------------------------------


def rps(value: float) -> str:
    return f"{value:,.0f} req/s" if value >= 100 else f"{value:,.1f} req/s"


def ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.2f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def wrk_note(run: Run, label: str, result: harness.WrkResult) -> None:
    problems = []
    if result.timeouts:
        problems.append(
            f"{result.timeouts} of {result.requests} requests passed wrk's 2 s "
            "timeout (left out of its latency histogram)"
        )
    if result.errors:
        problems.append(f"{result.errors} socket errors")
    if result.non_2xx:
        problems.append(f"{result.non_2xx} non-2xx/3xx responses")
    if problems:
        run.notes.append(f"{label}: " + "; ".join(problems) + ".")


# --- site ------------------------------------------------------------------


def masthead(run: Run, *command: str) -> None:
    subprocess.run(
        [str(harness.MASTHEAD), *command],
        env=run.env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def collect_static(run: Run) -> None:
    masthead(run, "collectstatic", "--no-input", "-v0")


def build_demo_site(run: Run) -> None:
    """Migrate, collect static files, load a small demo and index it."""
    say(f"Building a demo site in {run.var_dir} …")
    size = [f"--{k.replace('_', '-')}={v}" for k, v in DEMO_SIZE.items()]
    if run.args.demo_articles:
        size[0] = f"--articles={run.args.demo_articles}"
    masthead(run, "migrate", "--no-input", "-v0")
    collect_static(run)
    masthead(run, "demo", "-v0", *size)
    masthead(run, "search_rebuild", "-v0")


def find_article(base: str, prefix: str = "") -> str:
    """The lead story's path, found from the home page as a reader would.

    ``prefix``: an edition's (``/uk``); its home page is searched instead.
    """
    page = harness.parse_html(harness.get(base + prefix + "/").text)
    candidates = [href for href, cls in page.anchors if "lead-story" in cls] + [
        href
        for href, _ in page.anchors
        if re.fullmatch(re.escape(prefix) + r"/[\w-]+/[\w-]+/", href)
        and href.removeprefix(prefix).split("/")[1]
        not in {"authors", "tags", "news-feed", "feeds"}
    ]
    if not candidates:
        raise RuntimeError(f"no article link on the home page {prefix or '/'}")
    return urlsplit(urljoin(base + "/", candidates[0])).path


# --- steps -----------------------------------------------------------------


def step_throughput(run: Run) -> None:
    duration = run.args.duration
    say(f"\n## Throughput (wrk -t1 -c32 -d{duration}s --latency)")
    cached = run.app("cached")
    article_url = cached + run.article_path
    page = harness.warm(article_url, 5)
    content_type = page.header("content-type") or "text/html; charset=utf-8"
    nginx, nginx_url = harness.start_nginx(run.work_dir, page.body, content_type)
    run.services["nginx"] = nginx
    run.data["article"] = {"path": run.article_path, "bytes": len(page.body)}

    harness.warm(nginx_url, 20)
    base = harness.wrk(nginx_url, connections=32, duration=duration)
    wrk_note(run, "nginx", base)
    run.data["nginx"] = base.as_dict()
    run.add("cached", "nginx, same bytes from a file", rps(base.rps), "", "baseline")
    run.add("cached", "nginx p99 (32 connections)", ms(base.p99_ms), "", "baseline")
    nginx.stop()
    del run.services["nginx"]

    # The ceiling: the same bytes and headers from Python doing nothing else,
    # under granian as ``masthead serve`` runs it.
    hit_headers = [
        (name, value)
        for name, value in harness.get(article_url).headers.items()
        if name not in ("date", "server", "age", "x-masthead-cache")
        # Hop-by-hop: the server's answer to this one client (urllib asks for
        # "Connection: close"), which would make granian close every
        # connection wrk keeps open and halve the ceiling.
        and name not in HOP_BY_HOP_HEADERS
    ]
    constant, constant_url = harness.start_constant_app(
        run.work_dir, page.body, hit_headers
    )
    run.services["constant-app"] = constant
    harness.warm(constant_url, 20)
    ceiling = harness.wrk(constant_url, connections=32, duration=duration)
    wrk_note(run, "constant WSGI app", ceiling)
    run.data["constant_app"] = ceiling.as_dict()
    run.add(
        "cached",
        "granian + a constant WSGI app, same bytes (ceiling)",
        f"{rps(ceiling.rps)} ({ceiling.rps / base.rps:.0%} of nginx)"
        if base.rps
        else rps(ceiling.rps),
        "",
        "baseline",
    )
    constant.stop()
    del run.services["constant-app"]

    statuses = [harness.get(article_url).header("x-masthead-cache") for _ in range(5)]
    result = harness.wrk(article_url, connections=32, duration=duration)
    after = harness.get(article_url).header("x-masthead-cache")
    wrk_note(run, "cached article", result)
    run.data["cached_article"] = {**result.as_dict(), "cache_status": after}
    if after != "hit":
        run.notes.append(
            "cached article: X-Masthead-Cache was "
            f"{'/'.join(s or 'absent' for s in statuses)} before the run and "
            f"{after or 'absent'} after it, so these figures may not come from the "
            "page cache."
        )
    floor = TARGETS["cached_share_of_nginx"] * base.rps
    run.add(
        "cached",
        "cached article",
        f"{rps(result.rps)} ({result.rps / base.rps:.0%} of nginx)"
        if base.rps
        else rps(result.rps),
        f"nginx {rps(base.rps)}; {result.rps / ceiling.rps:.0%} of the ceiling"
        if ceiling.rps
        else f"nginx {rps(base.rps)}",
        f">= 80% = {rps(floor)}",
        verdict(result.rps >= floor),
    )
    run.add(
        "cached",
        "cached article p99 (32 connections)",
        ms(result.p99_ms),
        f"nginx {ms(base.p99_ms)}",
        "< 10 ms",
        verdict(result.p99_ms is not None and result.p99_ms < TARGETS["cached_p99_ms"]),
    )

    uncached = run.app("uncached")
    for name, path, factor in (
        ("article", run.article_path, TARGETS["article_vs_ghost"]),
        ("home", "/", TARGETS["home_vs_ghost"]),
    ):
        url = uncached + path
        warmed = harness.warm(url, 10)
        result = harness.wrk(url, connections=32, duration=duration)
        wrk_note(run, f"uncached {name}", result)
        run.data[f"uncached_{name}"] = {
            **result.as_dict(),
            "cache_status": warmed.header("x-masthead-cache"),
            "one_request_ms": warmed.seconds * 1000,
        }
        ghost = GHOST_RPS[name]
        run.add(
            "uncached",
            f"uncached {name}",
            rps(result.rps),
            f"Ghost 5.130 {rps(ghost)}",
            f">= {factor}x = {rps(ghost * factor)}",
            verdict(result.rps >= ghost * factor),
        )
        run.add(
            "uncached",
            f"uncached {name} p50 / p99 (32 connections)",
            f"{ms(result.p50_ms)} / {ms(result.p99_ms)}",
            "",
            "",
        )


def find_live_page(base: str) -> str:
    """The first live page linked from the home page's "Live" strip."""
    page = harness.parse_html(harness.get(base + "/").text)
    for href, cls in page.anchors:
        if "live-strip" in cls:
            return urlsplit(urljoin(base + "/", href)).path
    raise RuntimeError("no live page linked from the home page")


def step_live(run: Run) -> None:
    """The live page uncached and cached, its weight and a revalidated poll."""
    duration = run.args.duration
    say(f"\n## Live page (wrk -t1 -c32 -d{duration}s --latency)")
    path = find_live_page(run.app("cached"))
    say(f"Live page: {path}")
    for kind in ("uncached", "cached"):
        url = run.app(kind) + path
        warmed = harness.warm(url, 10)
        one = harness.get(url)
        result = harness.wrk(url, connections=32, duration=duration)
        wrk_note(run, f"{kind} live page", result)
        run.data[f"{kind}_live"] = {
            **result.as_dict(),
            "cache_status": warmed.header("x-masthead-cache"),
            "one_request_ms": one.seconds * 1000,
        }
        run.add("live", f"{kind} live page, one request", ms(one.seconds * 1000))
        run.add(
            "live",
            f"{kind} live page (32 connections) / p50 / p99",
            f"{rps(result.rps)} / {ms(result.p50_ms)} / {ms(result.p99_ms)}",
        )
    base = run.app("cached")
    accept = {"Accept-Encoding": "gzip, br"}
    page = harness.get(base + path, headers=accept)
    html = page.body
    if page.header("content-encoding") == "gzip":
        html = gzip.decompress(page.body)
    parsed = harness.parse_html(html.decode("utf-8", "replace"))
    total = harness.compressed_size(page)
    for href in parsed.stylesheets:
        total += harness.compressed_size(
            harness.get(urljoin(base + path, href), headers=accept)
        )
    run.data["live_weight_bytes"] = total
    run.add(
        "live",
        "live page HTML + CSS, compressed",
        f"{total / 1000:.1f} KB",
        "",
        "< 30 KB",
        verdict(total < TARGETS["weight_bytes"]),
    )
    match = re.search(r'data-updates-url="([^"]+)"', html.decode("utf-8", "replace"))
    if match:
        updates = urljoin(base + path, match.group(1))
        etag = harness.get(updates).header("etag") or ""
        again = harness.get(updates, headers={"If-None-Match": etag})
        run.data["live_poll"] = {"status": again.status, "ms": again.seconds * 1000}
        run.add(
            "live",
            "updates.json revalidated (If-None-Match)",
            f"{again.status} in {ms(again.seconds * 1000)}",
            "",
            "304",
            verdict(again.status == 304),
        )


def step_weight(run: Run) -> None:
    say("\n## Page weight")
    base = run.app("cached")
    accept = {"Accept-Encoding": "gzip, br"}
    page = harness.get(base + run.article_path, headers=accept)
    html = page.body
    if page.header("content-encoding") == "gzip":
        html = gzip.decompress(page.body)
    parsed = harness.parse_html(html.decode("utf-8", "replace"))
    total = html_size = harness.compressed_size(page)
    parts = [f"HTML {html_size:,} B"]
    for href in parsed.stylesheets:
        sheet = harness.get(urljoin(base + run.article_path, href), headers=accept)
        size = harness.compressed_size(sheet)
        total += size
        parts.append(f"{Path(urlsplit(href).path).name} {size:,} B")
    served = page.header("content-encoding") or "none (gzip -9 counted)"
    run.data["weight"] = {
        "total_bytes": total,
        "parts": parts,
        "html_raw_bytes": len(html),
        "html_encoding": served,
    }
    run.notes.append(
        f"page weight: {', '.join(parts)}; the HTML is {len(html):,} B raw, "
        f"content-encoding from the app: {served}."
    )
    run.add(
        "weight",
        "article HTML + CSS, compressed",
        f"{total / 1000:.1f} KB",
        "",
        "< 30 KB",
        verdict(total < TARGETS["weight_bytes"]),
    )
    blocking = harness.render_blocking_scripts(parsed)
    run.data["render_blocking_scripts"] = blocking
    run.add(
        "weight",
        "render-blocking scripts",
        str(len(blocking)) + (f" ({', '.join(blocking)})" if blocking else ""),
        "",
        "0",
        verdict(not blocking),
    )


class Publisher:
    """The publisher process (bench/publisher.py) and its JSON-lines protocol."""

    def __init__(self, argv: list[str], env: dict, log: Path):
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            bufsize=1,
        )
        if self.process.stdin is None or self.process.stdout is None:
            raise RuntimeError("the publisher's pipes did not open")
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self.read(timeout=120)

    def read(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.stdout], [], [], timeout)
        line = self.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"publisher gave no answer; see {self.log.name}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"publisher: {answer['error']}")
        return answer

    def send(self, **command) -> None:
        self.stdin.write(json.dumps(command) + "\n")
        self.stdin.flush()

    def ask(self, timeout: float = 60, **command) -> dict:
        self.send(**command)
        return self.read(timeout)

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.stdin.close()
                self.process.wait(timeout=30)
        except (subprocess.TimeoutExpired, OSError):
            self.process.kill()
            self.process.wait()
        finally:
            self.log.close()


def poll_until(url: str, shows, start: float) -> float:
    """Seconds from ``start`` until ``shows(response)`` holds, at most the timeout.

    Each page is polled by its own thread, so a slow home page render does
    not delay noticing the article, and the reader's view is re-requested
    as soon as the previous answer arrived.
    """
    while (elapsed := time.perf_counter() - start) < PUBLISH_TIMEOUT:
        if shows(harness.get(url)):
            return time.perf_counter() - start
        time.sleep(0.002)
    return elapsed


def step_publish(run: Run) -> None:
    front = (run.args.front or run.app("cached")).rstrip("/")
    rounds = run.args.rounds
    say(f"\n## Publish → visible at {front} ({rounds} rounds)")
    argv = (
        shlex.split(run.args.publisher_cmd)
        if run.args.publisher_cmd
        else [sys.executable, str(ROOT / "bench" / "publisher.py")]
    )
    publisher = Publisher(argv, run.env(), run.work_dir / "publisher.log")
    article_ms, home_ms, publish_ms = [], [], []
    try:
        for n in range(1, rounds + 1):
            probe = publisher.ask(op="prepare", n=n)
            url, link = front + probe["path"], f'href="{probe["path"]}"'
            # Readers (and the caches) have seen the page before: the home page
            # is cached and the probe's URL has answered 404 once.
            harness.get(url)
            harness.get(front + "/")
            harness.get(front + "/")
            start = time.perf_counter()
            publisher.send(op="publish", id=probe["id"])
            with ThreadPoolExecutor(max_workers=2) as pool:
                on_article = pool.submit(
                    poll_until,
                    url,
                    lambda page, h=probe["headline"]: (
                        page.status == 200 and h in page.text
                    ),
                    start,
                )
                on_home = pool.submit(
                    poll_until, front + "/", lambda page, a=link: a in page.text, start
                )
                article_seen, home_seen = on_article.result(), on_home.result()
            publish_ms.append(publisher.read(timeout=60)["seconds"] * 1000)
            article_ms.append(article_seen * 1000)
            home_ms.append(home_seen * 1000)
            time.sleep(0.1)
    finally:
        try:
            publisher.ask(op="cleanup", timeout=120)
        except (RuntimeError, OSError, ValueError) as error:
            run.notes.append(f"publish: cleanup of the probe articles failed: {error}")
        publisher.close()
    run.data["publish"] = {
        "front": front,
        "article_ms": article_ms,
        "home_ms": home_ms,
        "publish_call_ms": publish_ms,
    }
    if any(value >= PUBLISH_TIMEOUT * 1000 for value in [*article_ms, *home_ms]):
        run.notes.append(
            f"publish: some probes were not visible after {PUBLISH_TIMEOUT:.0f} s "
            "(counted as 5 s)."
        )
    for name, values in (("article URL", article_ms), ("home page", home_ms)):
        median, worst = statistics.median(values), max(values)
        run.add(
            "publish",
            f"publish → {name} shows it, median / max",
            f"{ms(median)} / {ms(worst)}",
            f"publish call {ms(statistics.median(publish_ms))}"
            if name == "home page"
            else "",
            "< 250 ms / < 1 s",
            verdict(
                median < TARGETS["publish_median_ms"]
                and worst < TARGETS["publish_max_ms"]
            ),
        )


def step_listings(run: Run) -> None:
    duration = run.args.latency_duration
    say(f"\n## Listings, page cache off (wrk -t1 -c1 -d{duration}s --latency)")
    extra = []
    for option in ("section", "tag", "author", "word"):
        if value := getattr(run.args, option):
            extra += [f"--{option}", value]
    found = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "site_urls.py"), *extra],
        env=run.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    site = json.loads(found.stdout)
    say(f"  {site['articles']:,} published articles")
    base = run.app("uncached")
    run.data["listings"] = {"articles": site["articles"], "pages": {}}
    for name, info in site["urls"].items():
        url = base + info["path"]
        warmed = harness.warm(url, 3)
        if warmed.status != 200:
            run.notes.append(f"{name}: {info['path']} answered {warmed.status}.")
        result = harness.wrk(url, connections=1, duration=duration)
        wrk_note(run, name, result)
        run.data["listings"]["pages"][name] = {**info, **result.as_dict()}
        detail = f"{info['path']}" + (
            f" ({info['articles']:,} articles)" if info.get("articles") else ""
        )
        run.add(
            "listings",
            f"{name} p99 (1 connection)",
            f"{ms(result.p99_ms)} (p50 {ms(result.p50_ms)}, {rps(result.rps)})",
            detail,
            "< 50 ms",
            # The time of an error page says nothing about the listing.
            verdict(
                warmed.status == 200
                and result.p99_ms is not None
                and result.p99_ms < TARGETS["listing_p99_ms"]
            ),
        )


EDITIONS = {"en": "", "uk": "/uk"}


def headline_word(html: str) -> str:
    """The longest word of a page's ``<h1>``: a search sure to match."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    words = (
        re.findall(r"\w{4,}", re.sub(r"<[^>]+>", " ", match.group(1))) if match else []
    )
    if not words:
        raise RuntimeError("no headline to take a search word from")
    return max(words, key=len)


def edition_pages(base: str, prefix: str) -> dict[str, str]:
    """An edition's home, lead article, News Feed and a search for a word of
    the article's headline, as paths."""
    article = find_article(base, prefix)
    word = headline_word(harness.get(base + article).text)
    return {
        "home": prefix + "/",
        "article": article,
        "News Feed": prefix + "/news-feed/",
        "search": prefix + "/search/?" + urlencode({"q": word}),
    }


def english_source(base: str, path: str) -> str | None:
    """The path of the English version of the page at ``path``, if any.

    Read from the page's ``<link rel="alternate" hreflang="en">``.
    """
    for tag in re.findall(r"<link\b[^>]*>", harness.get(base + path).text):
        if 'hreflang="en"' in tag and (href := re.search(r'href="([^"]+)"', tag)):
            return urlsplit(href.group(1)).path
    return None


def step_editions(run: Run) -> None:
    """Each edition's pages, uncached p99 and cached throughput (#15).

    The English figures are the baseline of the Ukrainian ones: the same
    server, the same run, the same wrk command.
    """
    latency, duration = run.args.latency_duration, run.args.duration
    say(
        f"\n## Editions (uncached: wrk -t1 -c1 -d{latency}s; "
        f"cached: wrk -t1 -c32 -d{duration}s)"
    )
    uncached, cached = run.app("uncached"), run.app("cached")
    figures: dict[str, dict[str, dict]] = {}
    edition_paths = {code: edition_pages(cached, p) for code, p in EDITIONS.items()}
    # The same story in both editions: each edition's lead was a different
    # article, and that, not the edition, made the article row differ (#15).
    source = english_source(cached, edition_paths["uk"]["article"])
    if source:
        edition_paths["en"]["article"] = source
    for code, pages in edition_paths.items():
        figures[code] = {}
        for name, path in pages.items():
            row: dict = {"path": path}
            for kind, base, connections, seconds in (
                ("uncached", uncached, 1, latency),
                ("cached", cached, 32, duration),
            ):
                warmed = harness.warm(base + path, 5)
                if warmed.status != 200:
                    run.notes.append(f"{code} {name}: {path} answered {warmed.status}.")
                result = harness.wrk(
                    base + path, connections=connections, duration=seconds
                )
                wrk_note(run, f"{code} {name} {kind}", result)
                row[kind] = {**result.as_dict(), "status": warmed.status}
            figures[code][name] = row
    run.data["editions"] = figures
    english = figures["en"]
    for name, row in figures["uk"].items():
        base_row = english[name]
        p99, base_p99 = row["uncached"]["p99_ms"], base_row["uncached"]["p99_ms"]
        run.add(
            "editions",
            f"uk {name} uncached p99 (1 connection)",
            f"{ms(p99)} (en {ms(base_p99)})",
            row["path"],
            "< 50 ms",
            verdict(
                row["uncached"]["status"] == 200
                and p99 is not None
                and p99 < TARGETS["listing_p99_ms"]
            ),
        )
        got, base_rps = row["cached"]["rps"], base_row["cached"]["rps"]
        ratio = got / base_rps if base_rps else 0.0
        run.add(
            "editions",
            f"uk {name} cached (32 connections)",
            f"{rps(got)} = {ratio:.2f} x en ({rps(base_rps)})",
            row["path"],
            ">= 0.80 x en",
            verdict(row["cached"]["status"] == 200 and ratio >= 0.80),
        )


def ensure_lighthouse() -> str | None:
    """Why Lighthouse cannot run, or None; installs the browser tools if able."""
    if not LIGHTHOUSE.exists() or not shutil.which("chromium"):
        setup = subprocess.run(
            ["bash", str(ROOT / "tests" / "browser" / "setup.sh")],
            capture_output=True,
            text=True,
            check=False,
        )
        if setup.returncode != 0:
            return (setup.stderr or setup.stdout).strip().splitlines()[-1]
    if not LIGHTHOUSE.exists():
        return f"{LIGHTHOUSE} is missing"
    if not (os.environ.get("MASTHEAD_CHROMIUM") or shutil.which("chromium")):
        return "chromium is not installed"
    return None


def lighthouse_once(run: Run, url: str, number: int) -> dict | str:
    """One Lighthouse run: its report, or why it failed."""
    out = run.work_dir / f"lighthouse-{number}.json"
    chromium = (
        os.environ.get("MASTHEAD_CHROMIUM") or shutil.which("chromium") or "chromium"
    )
    profile = run.work_dir / f"chromium-profile-{number}"
    # Not pinned: Chromium runs several processes, and Lighthouse's simulated
    # phone (4x CPU slowdown) multiplies any time its main thread waits for a
    # core it shares with the rest of the browser.
    argv = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance",
        "--form-factor=mobile",
        "--screenEmulation.mobile",
        "--disable-full-page-screenshot",
        f"--chrome-flags={' '.join([*CHROMIUM_FLAGS, f'--user-data-dir={profile}'])}",
        "--quiet",
    ]
    # Its own session: if it hangs, its chromium goes with it (killpg below).
    process = subprocess.Popen(
        argv,
        env={**os.environ, "CHROME_PATH": chromium},
        stdout=subprocess.DEVNULL,
        stderr=(run.work_dir / "lighthouse.log").open("ab"),
        start_new_session=True,
    )
    try:
        process.wait(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if process.returncode != 0 or not out.exists():
        return f"run {number} failed, see {run.work_dir / 'lighthouse.log'}"
    return json.loads(out.read_text(encoding="utf-8"))


def lighthouse_score(report: dict) -> int:
    return round((report["categories"]["performance"]["score"] or 0) * 100)


def step_lighthouse(run: Run) -> None:
    """Lighthouse's mobile performance score: the median of several runs.

    One run's Total Blocking Time moves between 40 and 250 ms on this
    machine with the same page, and the score with it (95-100); Lighthouse's
    documentation on variability says the median of five runs halves the
    spread. Each run's ``benchmarkIndex`` (Lighthouse's measure of the host
    CPU) is printed too: the 4x slowdown is calibrated for 1500-2000.
    """
    say(f"\n## Lighthouse (mobile, performance; median of {run.args.lighthouse_runs})")
    url = run.app("cached") + run.article_path
    problem = ensure_lighthouse()
    if problem:
        run.add(
            "lighthouse", "Lighthouse mobile performance", "not run", "", "100", "SKIP"
        )
        run.notes.append(f"lighthouse: {problem}")
        return
    reports = []
    for number in range(1, run.args.lighthouse_runs + 1):
        result = lighthouse_once(run, url, number)
        if isinstance(result, str):
            run.notes.append(f"lighthouse: {result}")
        else:
            reports.append(result)
    if not reports:
        run.add(
            "lighthouse", "Lighthouse mobile performance", "failed", "", "100", "MISS"
        )
        return
    report = sorted(reports, key=lighthouse_score)[len(reports) // 2]
    score = lighthouse_score(report)
    # In run order: each run's score beside the host CPU it measured.
    scores = [lighthouse_score(each) for each in reports]
    cpu = [
        round(each.get("environment", {}).get("benchmarkIndex") or 0)
        for each in reports
    ]
    metrics = {
        short: report["audits"][key]["displayValue"]
        for key, short in LIGHTHOUSE_METRICS.items()
        if key in report["audits"]
    }
    weak = [
        report["audits"][ref["id"]]["title"]
        for ref in report["categories"]["performance"]["auditRefs"]
        if ref.get("weight") and (report["audits"][ref["id"]].get("score") or 0) < 0.9
    ]
    run.data["lighthouse"] = {
        "score": score,
        "scores": scores,
        "benchmark_index": cpu,
        "metrics": metrics,
        "weak": weak,
    }
    run.add(
        "lighthouse",
        "Lighthouse mobile performance (median run)",
        str(score),
        f"runs {', '.join(map(str, scores))}; "
        + ", ".join(f"{k} {v}" for k, v in metrics.items()),
        "100",
        verdict(score >= TARGETS["lighthouse"]),
    )
    if weak:
        run.notes.append("lighthouse: weak metrics: " + "; ".join(weak) + ".")
    run.notes.append(
        "lighthouse: host CPU benchmarkIndex per run "
        f"{', '.join(map(str, cpu))} (the default 4x slowdown is calibrated for "
        "1500-2000; below 1000 Lighthouse warns the host is slower than it expects)."
    )


def step_memory(run: Run) -> None:
    say("\n## Memory after the load runs")
    rows: list[dict[str, Any]] = []
    for name, service in run.services.items():
        if not name.startswith("app-"):
            continue
        for pid, process, rss in service.memory():
            # File-backed pages (libraries, SQLite's memory map of a large
            # database) count in RSS but are shared and reclaimable.
            file_mb = harness.status_mb(pid, "RssFile") or 0.0
            rows.append(
                {
                    "app": name,
                    "pid": pid,
                    "process": process,
                    "rss_mb": rss,
                    "file_mb": file_mb,
                }
            )
    run.data["memory"] = rows
    for row in rows:
        run.add(
            "memory",
            f"{row['app']}: {row['process']}",
            f"{row['rss_mb']:.0f} MB",
            f"of it file-backed {row['file_mb']:.0f} MB",
            "< 150 MB",
            verdict(row["rss_mb"] < TARGETS["rss_mb"]),
        )


# --- output ----------------------------------------------------------------

HEADERS = ("figure", "value", "baseline / detail", "target", "result")


def table_text(rows: list[Row]) -> str:
    cells = [HEADERS] + [
        (r.figure, r.value, r.baseline, r.target, r.result) for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]
    lines = []
    for index, row in enumerate(cells):
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def table_markdown(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + " --- |" * len(HEADERS)]
    for r in rows:
        cells = (r.figure, r.value, r.baseline, r.target, r.result)
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def report(run: Run, machine: dict) -> None:
    say("\n# Results")
    say(", ".join(f"{k}: {v}" for k, v in machine.items()))
    say("")
    say(table_text(run.rows))
    if run.notes:
        say("\nNotes:")
        for note in run.notes:
            say(f"- {note}")
    missed = [r.figure for r in run.rows if r.result == "MISS"]
    say(
        f"\n{len(missed)} target(s) missed"
        + (": " + "; ".join(missed) if missed else ".")
    )
    results = {
        "machine": machine,
        "duration": run.args.duration,
        "latency_duration": run.args.latency_duration,
        "rows": [r.__dict__ for r in run.rows],
        "notes": run.notes,
        "data": run.data,
    }
    json_path = run.args.json or run.work_dir / "results.json"
    harness.dump_json(Path(json_path), results)
    if run.args.markdown:
        Path(run.args.markdown).write_text(
            table_markdown(run.rows) + "\n", encoding="utf-8"
        )
    if run.args.json or run.args.keep:
        say(f"Results in {json_path}")


# --- main ------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    duration = os.environ.get("BENCH_DURATION")
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument(
        "--only", default=",".join(STEPS), help=f"comma-separated steps of {STEPS}"
    )
    parser.add_argument(
        "--duration",
        type=positive_int,
        default=int(duration or 15),
        help="seconds per 32-connection wrk run (BENCH_DURATION, default 15)",
    )
    parser.add_argument(
        "--latency-duration",
        type=positive_int,
        default=int(os.environ.get("BENCH_LATENCY_DURATION") or duration or 10),
        help="seconds per one-connection wrk run (default 10)",
    )
    parser.add_argument(
        "--var-dir",
        type=Path,
        help="an existing site (MASTHEAD_VAR_DIR) instead of a fresh demo",
    )
    parser.add_argument("--demo-articles", type=positive_int, help="demo size")
    parser.add_argument(
        "--front", help="public base URL polled by the publish step (e.g. Varnish)"
    )
    parser.add_argument(
        "--publisher-cmd",
        help="command running bench/publisher.py in the site's environment",
    )
    parser.add_argument(
        "--rounds",
        type=positive_int,
        default=int(os.environ.get("BENCH_PUBLISH_ROUNDS", "20")),
        help="publish rounds (BENCH_PUBLISH_ROUNDS, default 20)",
    )
    for option in ("section", "tag", "author", "word"):
        parser.add_argument(f"--{option}", help=f"listings: the {option} to measure")
    parser.add_argument(
        "--lighthouse-runs",
        type=positive_int,
        default=int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "5")),
        help="Lighthouse runs, the median reported (BENCH_LIGHTHOUSE_RUNS, default 5)",
    )
    parser.add_argument("--json", type=Path, help="write all figures here as JSON")
    parser.add_argument("--markdown", type=Path, help="write the table as Markdown")
    parser.add_argument(
        "--keep", action="store_true", help="keep the work directory and its logs"
    )
    args = parser.parse_args(argv)
    if args.front and not (args.var_dir or args.publisher_cmd):
        # Publishing into a throwaway demo would never show at that address.
        parser.error("--front needs --var-dir or --publisher-cmd: the site behind it")
    args.steps = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown step(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    harness.ensure_tools()
    harness.check_cores()
    machine = harness.machine()
    work_dir = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    var_dir = args.var_dir.resolve() if args.var_dir else work_dir / "var"
    run = Run(args, work_dir, var_dir)
    failed: list[str] = []
    say(f"Masthead benchmarks: {', '.join(args.steps)}; work directory {work_dir}")
    try:
        if not args.var_dir:
            build_demo_site(run)
        else:
            # The site's data is given; its static files belong to this code
            # (a deploy collects them too): stale ones fail pages with 500s.
            collect_static(run)
        needs_article = {"throughput", "weight", "lighthouse", "members"} & set(
            args.steps
        )
        if needs_article:
            run.article_path = find_article(run.app("cached"))
            say(f"Article: {run.article_path}")
        for step in [*(s for s in STEPS if s in args.steps), "memory"]:
            try:
                STEP_FUNCTIONS[step](run)
            except (
                RuntimeError,
                OSError,
                ValueError,
                KeyError,
                subprocess.SubprocessError,
            ) as error:
                failed.append(step)
                run.add(step, f"{step} step", "failed", "", "", "MISS")
                run.notes.append(f"{step}: {type(error).__name__}: {error}")
    finally:
        run.stop_all()
    machine["load average"] += f" at the start, {harness.load_average()} at the end"
    report(run, machine)
    if not args.keep:
        shutil.rmtree(work_dir, ignore_errors=True)
    return 1 if failed else 0


STEP_FUNCTIONS = {
    "throughput": step_throughput,
    "weight": step_weight,
    "publish": step_publish,
    "listings": step_listings,
    "floods": step_floods,
    "members": step_members,
    "gated": step_gated,
    "api": step_api,
    "lighthouse": step_lighthouse,
    "live": step_live,
    "editions": step_editions,
    "newsletter": step_newsletter,
    "memory": step_memory,
}


if __name__ == "__main__":
    sys.exit(main())
