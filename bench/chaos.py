"""Fault cases on the scale-out stack: what readers saw, and what was lost (#13).

    make chaos                       # a fresh stack in a temporary directory
    .venv/bin/python bench/chaos.py --dir var/services --seconds 10

Starts (or reuses, with ``--dir``) the stack of scripts/services: PostgreSQL,
Redis, Varnish, two app processes and the task worker under supervisord.
For each case it puts reader load on the stack (threads asking for cached
pages and uncached ones, through Varnish and straight to an app process),
breaks one thing, publishes while it is broken where that makes sense,
repairs it, and checks that every publish reached readers: the article
answers 200 through Varnish and is on the home page. It prints, per case,
the status codes readers got, their p50/p99 and whether anything was lost,
and writes the figures to ``var/chaos/results.json`` (docs/reliability.md).
"""

# ruff: noqa: S311, S603, T201 - a measuring tool: random timings, local programs

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

type Urls = dict[str, list[str]]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scaleout.stack import SERVICES, Stack, links, request  # noqa: E402

RESULTS = ROOT / "var" / "chaos" / "results.json"
READERS = 6

PUBLISH = """
import json
from masthead.content.models import ArticleAuthor, ArticlePage, SectionPage
from masthead.content.services import create_article
from masthead.people.models import Author

section = SectionPage.objects.live().order_by("pk").first()
article = ArticlePage(
    title={title!r},
    slug={slug!r},
    standfirst="Published while something was broken.",
    body=[("paragraph", "<p>Words in the body.</p>")],
    article_authors=[ArticleAuthor(author=Author.objects.order_by("pk").first())],
)
create_article(section, article)
print(json.dumps({{"url": article.url}}))
"""

# A new article whose go-live time comes in a few seconds: the worker's job.
SCHEDULE = """
import json
from datetime import timedelta
from django.utils import timezone
from masthead.content.factories import make_article
from masthead.content.models import ArticlePage, SectionPage
from masthead.people.models import Author

section = SectionPage.objects.live().order_by("pk").first()
later = timezone.now() + timedelta(seconds={seconds})
article = make_article(
    section, authors=[Author.objects.order_by("pk").first()], title={title!r},
    slug={slug!r}, publish=False,
)
revision = article.save_revision()
revision.approved_go_live_at = later
revision.save()
ArticlePage.objects.filter(pk=article.pk).update(go_live_at=later)
print(json.dumps({{"url": section.url + {slug!r} + "/", "at": later.timestamp()}}))
"""


def percentile_ms(latencies: list[float], fraction: float) -> float:
    ordered = sorted(latencies) or [0.0]
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000, 1)


@dataclass
class Load:
    """Reader threads asking for ``urls`` until stopped; statuses and latencies.

    ``urls`` maps a kind of reader ("varnish": through the front door as
    readers come; "app": straight to an app process) to what it asks for.
    """

    urls: dict[str, list[str]]
    statuses: dict[str, Counter[str]] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _read(self) -> None:
        while not self._stop.is_set():
            kind = random.choice(list(self.urls))
            # "{n}": a new value each time, so no cache holds the page.
            url = random.choice(self.urls[kind])
            url = url.replace("{n}", str(random.getrandbits(32)))
            started = time.monotonic()
            try:
                status = str(request(url).status)
            except OSError as error:
                status = type(error).__name__
            elapsed = time.monotonic() - started
            with self._lock:
                self.statuses.setdefault(kind, Counter())[status] += 1
                self.latencies.setdefault(kind, []).append(elapsed)

    def __enter__(self) -> "Load":
        for _ in range(READERS):
            thread = threading.Thread(target=self._read, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def figures(self) -> dict:
        return {
            kind: {
                "requests": len(self.latencies.get(kind, [])),
                "statuses": dict(sorted(self.statuses.get(kind, Counter()).items())),
                "p50_ms": percentile_ms(self.latencies.get(kind, []), 0.5),
                "p99_ms": percentile_ms(self.latencies.get(kind, []), 0.99),
            }
            for kind in self.urls
        }


def publish(stack: Stack) -> str:
    slug = f"chaos-{uuid.uuid4().hex[:10]}"
    result = stack.shell_json(PUBLISH.format(title=f"Chaos {slug}", slug=slug))
    return result["url"]


def reached_readers(stack: Stack, url: str, timeout: float = 30) -> float | None:
    """Seconds until ``url`` answers through Varnish and is on its home page.

    None when that did not happen within ``timeout``.
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if request(stack.front + url).status == 200 and url in links(
                request(f"{stack.front}/")
            ):
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.05)
    return None


def reader_urls(stack: Stack) -> dict[str, list[str]]:
    """Cached pages and uncached ones, through Varnish and straight to app 1.

    One request in four is for a page no cache holds (a search for a new
    word each time), which needs the database and asks Redis first.
    """
    home = request(f"{stack.front}/").soup()
    article = home.select_one(".lead-story__title a")
    paths = ["/", str(article["href"]) if article else "/news-feed/", "/feeds/rss/"]
    paths.append("/search/?q=chaos{n}")
    return {
        "varnish": [stack.front + path for path in paths],
        "app": [stack.apps[0] + path for path in paths],
    }


def pids(stack: Stack) -> dict[str, int]:
    output = stack.services("status", check=False).stdout
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) > 3 and parts[1] == "RUNNING" and parts[2] == "pid":
            found[parts[0]] = int(parts[3].rstrip(","))
    return found


def while_broken(
    stack: Stack,
    urls: Urls,
    seconds: float,
    breaks: Callable[[], object],
    repairs: Callable[[], object],
    publishes: bool = True,
) -> dict:
    """Load, break, publish (maybe), load on, repair; then check the publish."""
    published: list[str] = []
    failures: list[str] = []
    with Load(urls) as load:
        breaks()
        try:
            time.sleep(seconds / 2)
            if publishes:
                try:
                    published.append(publish(stack))
                except AssertionError as error:
                    failures.append(str(error).splitlines()[-1][:200])
            time.sleep(seconds / 2)
        finally:
            repairs()
    reach = {url: reached_readers(stack, url) for url in published}
    return {
        **load.figures(),
        "published": len(published),
        "publish_refused": failures,
        "reach_s": max((s for s in reach.values() if s is not None), default=None),
        "lost": [url for url, seconds in reach.items() if seconds is None],
    }


def kill_worker_during_schedule(stack: Stack, urls: Urls, seconds: float) -> dict:
    """kill -9 the worker as a scheduled article's go-live time comes."""
    slug = f"chaos-sched-{uuid.uuid4().hex[:8]}"
    script = SCHEDULE.format(seconds=3, title=f"Chaos {slug}", slug=slug)
    scheduled = stack.shell_json(script)
    with Load(urls) as load:
        time.sleep(max(0.0, scheduled["at"] - time.time()))
        worker = pids(stack).get("worker")
        if worker:
            os.kill(worker, signal.SIGKILL)
        time.sleep(seconds)
    reach = reached_readers(stack, scheduled["url"], 60)
    return {
        **load.figures(),
        "published": 1,
        "publish_refused": [],
        "reach_s": reach,
        "lost": [] if reach is not None else [scheduled["url"]],
    }


def start_publisher(stack: Stack, slug: str) -> subprocess.Popen[str]:
    """A ``masthead shell`` publishing a new article; returns once it starts.

    It prints GO when Django is loaded and the publish begins.
    """
    script = PUBLISH.format(title=f"Chaos {slug}", slug=slug).replace(
        "create_article(", "print('GO', flush=True)\ncreate_article(", 1
    )
    masthead = str(Path(sys.executable).with_name("masthead"))
    process = subprocess.Popen(
        [masthead, "shell", "-c", script],
        env={**os.environ, **stack.env, "MASTHEAD_RUN_SCHEDULER": "0"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    if process.stdout is not None:
        process.stdout.readline()
    return process


def kill_app_during_publish(stack: Stack, urls: Urls, rounds: int) -> dict:
    """kill -9 a publishing process at a random moment of its publish, ``rounds`` times.

    The editor's side is ``masthead shell`` calling the content services, as
    the admin does; afterwards each article is either published and reaches
    readers, or not there at all (no half-published draft).
    """
    half: list[str] = []
    published = absent = 0
    with Load(urls) as load:
        # One publish left alone first: how long it takes after GO, so the
        # kills land anywhere in it, the commit included.
        calibration = start_publisher(stack, f"chaos-kill-{uuid.uuid4().hex[:8]}")
        started = time.monotonic()
        calibration.wait()
        window = time.monotonic() - started
        for _ in range(rounds):
            slug = f"chaos-kill-{uuid.uuid4().hex[:8]}"
            process = start_publisher(stack, slug)
            time.sleep(random.uniform(0.002, window))
            process.kill()
            process.wait()
            state = stack.shell_json(
                "import json\nfrom masthead.content.models import ArticlePage\n"
                f"page = ArticlePage.objects.filter(slug={slug!r}).first()\n"
                "print(json.dumps(page and {'live': page.live, 'url': page.url, "
                "'draft': page.has_unpublished_changes}))"
            )
            if state is None:
                absent += 1
                continue
            if state["live"] and not state["draft"]:
                published += 1
                if reached_readers(stack, state["url"]) is None:
                    half.append(state["url"] + " (not purged)")
            else:
                half.append(f"{slug} (saved, not published)")
    return {
        **load.figures(),
        "published": published,
        # Killed before their commit: no article at all, as it should be.
        "publish_refused": [
            f"{absent} of {rounds} killed before their commit "
            f"(kills within {window * 1000:.0f} ms of the publish's start)"
        ],
        "reach_s": None,
        "lost": half,
    }


def run(stack: Stack, seconds: float) -> dict[str, dict]:
    urls = reader_urls(stack)

    def services(*args: str) -> Callable[[], object]:
        return lambda: stack.services(*args)

    def nothing() -> None:
        return None

    results: dict[str, dict] = {}
    results["baseline"] = while_broken(stack, urls, seconds, nothing, nothing)
    results["postgres stopped"] = while_broken(
        stack,
        urls,
        seconds,
        services("stop", "postgres"),
        services("start", "postgres"),
        publishes=False,
    )
    results["redis stopped"] = while_broken(
        stack, urls, seconds, services("stop", "redis"), services("start", "redis")
    )
    results["redis paused"] = while_broken(
        stack, urls, seconds, services("pause", "redis"), services("resume", "redis")
    )
    results["varnish stopped"] = while_broken(
        stack, urls, seconds, services("stop", "varnish"), services("start", "varnish")
    )
    results["worker killed at a scheduled publish"] = kill_worker_during_schedule(
        stack, urls, seconds
    )
    results["publisher killed during a publish (10x)"] = kill_app_during_publish(
        stack, urls, 10
    )
    return results


def table(results: dict[str, dict]) -> str:
    rows = [
        "| case | via Varnish: statuses | p50 / p99 ms | straight to an app: "
        "statuses | p50 / p99 ms | published | reach s | lost | notes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for case, figures in results.items():
        cells = [case]
        for kind in ("varnish", "app"):
            seen = figures[kind]
            cells.append(", ".join(f"{k}: {v}" for k, v in seen["statuses"].items()))
            cells.append(f"{seen['p50_ms']} / {seen['p99_ms']}")
        reach = figures.get("reach_s")
        cells.append(str(figures["published"]))
        cells.append("" if reach is None else f"{reach:.2f}")
        cells.append("; ".join(figures["lost"]) or "nothing")
        cells.append("; ".join(figures["publish_refused"]))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="a running stack to use")
    parser.add_argument("--seconds", type=float, default=8, help="per case")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="masthead-chaos-"))
    directory.chmod(0o755)  # the postgres user reaches its data inside
    own = args.dir is None
    command = ["bash", str(SERVICES), "--dir", str(directory)]
    try:
        if own:
            subprocess.run(
                [
                    *command,
                    "up",
                    "--apps",
                    "2",
                    "--demo",
                    "small",
                    "--scheduler-interval",
                    "1",
                ],
                check=True,
            )
        results = run(Stack(directory), args.seconds)
    finally:
        if own:
            subprocess.run([*command, "down"], check=False)
            shutil.rmtree(directory, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nfigures in {RESULTS}")
    if any(figures["lost"] for figures in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
