"""Flat query cost: the same pages timed on databases of different sizes (#5).

Each argument is a MASTHEAD_VAR_DIR holding a site built by ``masthead
generate`` (and ``masthead search_rebuild`` for the search row), optionally
followed by ``=DATABASE_URL`` for a PostgreSQL database. Every page is
requested in-process through Django's test client: two warm-up requests
(renditions, caches), then ``--repeat`` timed ones (at most ``--budget``
seconds). The table gives, for each database side by side, p50 and p99 in
milliseconds, the number of queries, the time spent in SQL (the request's
queries run again to their last row, best of three) and the response size;
then the ratio of the last database to the first (1.0 is flat).

Below it, every query plan step that reads a whole table or index or sorts
(SQLite ``SCAN``, ``TEMP B-TREE``; PostgreSQL ``Seq Scan``, ``Sort``) is
listed per page with the query's first table and its size: a scan with
``LIMIT 20`` or of the one-row site table is harmless, a scan of a million
rows is not. ``--queries`` lists every query with its time and plan.

    .venv/bin/python bench/flat_queries.py /tmp/gen1k /tmp/gen1m
    .venv/bin/python bench/flat_queries.py /tmp/gen1m --repeat 100 --only tag
    .venv/bin/python bench/flat_queries.py /tmp/pg1k=postgres://localhost/gen1k \
        /tmp/pg1m=postgres://localhost/gen1m

Each database is measured in its own process (settings are read once).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMON_WORD = "said"


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def pages() -> list[tuple[str, str]]:
    """(name, URL) of every page measured, found in the current database."""
    from django.db.models import Count

    from masthead.content.models import ArticleAuthor, ArticlePage, SectionPage
    from masthead.core.pagination import MAX_PAGE_NUMBER
    from masthead.demo.bulk import BIG_TAG_SLUG
    from masthead.syndication.sitemaps import ArticleSitemap
    from masthead.taxonomy.models import Tag

    section = SectionPage.objects.live().order_by("path").first()
    tag = Tag.objects.get(slug=BIG_TAG_SLUG)
    page_size = 20
    tagged = ArticlePage.objects.published().tagged(tag).count()
    last_tag_page = max(1, min(MAX_PAGE_NUMBER, -(-tagged // page_size)))
    top_author = (
        ArticleAuthor.objects.values("author__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if top_author is None:
        raise SystemExit("no byline rows: build a site first")
    newest = ArticlePage.objects.published().newest_first().first()
    oldest = ArticlePage.objects.published().order_by("published_at", "pk").first()
    last_file = ArticleSitemap().paginator.num_pages
    # The date archive and "Older stories" cursors (#14): the oldest day, its
    # month and year, and cursors half-way down the site and the big tag.
    from django.utils import timezone

    from masthead.core.keyset import Cursor

    day = timezone.localdate(oldest.published_at)
    total = ArticlePage.objects.count()
    middle = (
        ArticlePage.objects.published()
        .newest_first()[total // 2 : total // 2 + 1]
        .get()
    )
    deep = Cursor(middle.published_at, middle.pk)
    archive = [
        ("archive index", "/archive/"),
        ("archive year", f"/archive/{day:%Y}/"),
        ("archive month", f"/archive/{day:%Y/%m}/"),
        ("archive day", f"/archive/{day:%Y/%m/%d}/"),
        ("latest, older (middle)", f"/latest/?before={deep}"),
        ("tag, older (middle)", f"/tags/{tag.slug}/?before={deep}"),
        ("tag index", "/tags/"),
        ("tag index (from m)", "/tags/?from=m"),
        ("author index", "/authors/"),
    ]
    return [
        ("home", "/"),
        ("section", section.url),
        ("tag page 1", f"/tags/{tag.slug}/"),
        (f"tag last page ({last_tag_page})", f"/tags/{tag.slug}/?page={last_tag_page}"),
        ("author (top)", f"/authors/{top_author['author__slug']}/"),
        ("article (newest)", newest.url),
        ("article (oldest)", oldest.url),
        ("news feed", "/news-feed/"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap articles p1", "/sitemap-articles.xml"),
        (
            f"sitemap articles last ({last_file})",
            f"/sitemap-articles.xml?p={last_file}",
        ),
        ("sitemap tags", "/sitemap-tags.xml"),
        ("sitemap authors", "/sitemap-authors.xml"),
        ("news sitemap", "/news-sitemap.xml"),
        (f"search '{COMMON_WORD}'", f"/search/?q={COMMON_WORD}"),
        *archive,
    ]


_ROWS: dict[str, int] = {}


def table_rows(table: str) -> int:
    from django.db import connection

    if table not in _ROWS:
        with connection.cursor() as cursor:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
            _ROWS[table] = cursor.fetchone()[0]
    return _ROWS[table]


def plan_flags(sql: str, params) -> list[str]:
    """Plan steps of the query that read a whole table or sort, with the
    query's first table and its size (a scan of the one-row site table is
    harmless). The plan is asked with the query's own bound parameters: on
    SQLite a literal can change it (issue #2)."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return []
    table = re.search(r'FROM "(\w+)"', sql)
    where = ""
    if table:
        where = f"  [query on {table[1]}, {table_rows(table[1]):,} rows]"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            steps = [row[-1] for row in cursor.fetchall()]
            return [
                step + where
                for step in steps
                if "TEMP B-TREE" in step or step.startswith("SCAN")
            ]
        cursor.execute(f"EXPLAIN {sql}", params)
        steps = [row[0].strip() for row in cursor.fetchall()]
        return [
            step.split("  (")[0].lstrip("-> ") + where
            for step in steps
            if "Seq Scan" in step or step.lstrip("-> ").startswith("Sort ")
        ]


class Recorder:
    """Records each query's SQL and parameters as the database receives them."""

    def __init__(self):
        self.queries: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        if not many:
            self.queries.append((sql, params))
        return execute(sql, params, many, context)


def full_plan(sql: str, params) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def replay_each(queries, times: int = 3) -> list[float]:
    """Milliseconds per query, best of ``times``, run to its last row."""
    from django.db import connection

    spent = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            best = float("inf")
            for _ in range(times):
                began = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                best = min(best, time.perf_counter() - began)
            spent.append(best * 1000)
    return spent


def replay_ms(queries: list[tuple[str, object]], times: int = 3) -> float:
    """Milliseconds the queries take run again to their last row, best of
    ``times``. Timing ``execute`` alone would miss the work SQLite does while
    rows are fetched (a scan that finds its first row early)."""
    return sum(replay_each(queries, times))


def measure(
    var_dir: str, repeat: int, only: str | None, budget: float, detail: bool
) -> dict:
    """Run in a child process whose MASTHEAD_VAR_DIR is ``var_dir``."""
    sys.path.insert(0, str(ROOT))
    os.environ["MASTHEAD_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.dev")
    import django

    # Static files are served by the storage override below, not from disk.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from masthead.content.models import ArticlePage

    results = []
    # No collectstatic needed: static URLs are built without the manifest.
    storages = {
        "default": {"BACKEND": "masthead.core.storage.MediaStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    with override_settings(STORAGES=storages):
        client = Client(HTTP_HOST="localhost")
        for name, url in pages():
            if only and only not in name:
                continue
            for _ in range(2):
                client.get(url)
            recorder = Recorder()
            with connection.execute_wrapper(recorder):
                response = client.get(url)
            samples: list[float] = []
            started = time.monotonic()
            while len(samples) < repeat and (
                len(samples) < 5 or time.monotonic() - started < budget
            ):
                began = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - began) * 1000)
            if detail:
                details = [
                    {"ms": ms, "sql": sql, "params": repr(params)[:200]}
                    | {"plan": full_plan(sql, params)}
                    for (sql, params), ms in zip(
                        recorder.queries, replay_each(recorder.queries), strict=True
                    )
                ]
            flags = sorted(
                {f for sql, params in recorder.queries for f in plan_flags(sql, params)}
            )
            results.append(
                {
                    "name": name,
                    "url": url,
                    "status": response.status_code,
                    "kb": len(response.content) / 1024,
                    "queries": len(recorder.queries),
                    "sql_ms": replay_ms(recorder.queries),
                    "p50": statistics.median(samples),
                    "p99": percentile(samples, 0.99),
                    "runs": len(samples),
                    "flags": flags,
                    "detail": details if detail else [],
                }
            )
    return {
        "label": Path(var_dir).name,
        "vendor": connection.vendor,
        "articles": ArticlePage.objects.count(),
        "pages": results,
    }


def table(runs: list[dict]) -> str:
    """The side-by-side table; pages are matched by position."""
    head = ["page"]
    for run in runs:
        label = f"{run['label']} ({run['articles']:,})"
        head += [f"{label} p50", "p99", "q", "sql ms", "KB"]
    if len(runs) > 1:
        head += ["p50 ratio", "sql ratio"]
    rows = [head]
    for index, first in enumerate(runs[0]["pages"]):
        row = [first["name"].split(" (")[0] if len(runs) > 1 else first["name"]]
        for run in runs:
            page = run["pages"][index]
            status = "" if page["status"] == 200 else f" [{page['status']}]"
            row += [
                f"{page['p50']:.1f}{status}",
                f"{page['p99']:.1f}",
                str(page["queries"]),
                f"{page['sql_ms']:.1f}",
                f"{page['kb']:.0f}",
            ]
        if len(runs) > 1:
            last = runs[-1]["pages"][index]
            row.append(f"{last['p50'] / max(first['p50'], 1e-9):.2f}")
            row.append(f"{last['sql_ms'] / max(first['sql_ms'], 1e-3):.2f}")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def queries_report(runs: list[dict]) -> list[str]:
    parts = []
    for run in runs:
        for page in run["pages"]:
            if not page["detail"]:
                continue
            parts.append(f"\n{run['label']} {page['name']} ({page['url']}):")
            for query in page["detail"]:
                parts.append(f"  {query['ms']:8.2f} ms  {query['sql'][:160]}")
                parts.append(f"               params {query['params']}")
                parts += [f"               | {step}" for step in query["plan"]]
    return parts


def report(runs: list[dict]) -> str:
    parts = [table(runs)]
    parts += queries_report(runs)
    for run in runs:
        flagged = [page for page in run["pages"] if page["flags"]]
        parts.append(f"\nPlan steps reading a whole table or sorting, {run['label']}:")
        if not flagged:
            parts.append("  none")
        for page in flagged:
            parts.append(f"  {page['name']} ({page['url']}):")
            parts += [f"    {flag}" for flag in page["flags"]]
    names = " / ".join(
        f"{run['label']}: {', '.join(p['url'] for p in run['pages'][2:5])}"
        for run in runs
    )
    parts.append(f"\nURLs of the tag and author rows: {names}")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "var_dirs", nargs="+", help="MASTHEAD_VAR_DIR[=DATABASE_URL] of each site"
    )
    parser.add_argument("--repeat", type=int, default=50, help="timed requests")
    parser.add_argument(
        "--budget", type=float, default=20.0, help="seconds per page at most"
    )
    parser.add_argument("--only", help="measure pages whose name contains this")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print raw results")
    parser.add_argument(
        "--queries", action="store_true", help="list every query, its time and plan"
    )
    args = parser.parse_args()
    if args.worker:
        result = measure(
            args.var_dirs[0], args.repeat, args.only, args.budget, args.queries
        )
        sys.stdout.write(json.dumps(result) + "\n")
        return
    runs = []
    for target in args.var_dirs:
        var_dir, _, database_url = target.partition("=")
        env = dict(os.environ)
        if database_url:
            env["DATABASE_URL"] = database_url
        command = [
            sys.executable,
            __file__,
            var_dir,
            "--worker",
            "--repeat",
            str(args.repeat),
            "--budget",
            str(args.budget),
        ]
        if args.only:
            command += ["--only", args.only]
        if args.queries:
            command.append("--queries")
        output = subprocess.run(  # noqa: S603 - this script, our arguments
            command, check=True, stdout=subprocess.PIPE, text=True, env=env
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    if args.json:
        sys.stdout.write(json.dumps(runs, indent=2) + "\n")
    sys.stdout.write(report(runs) + "\n")


if __name__ == "__main__":
    main()
