"""Throughput of ``masthead import ghost`` on a generated export (#18).

    .venv/bin/python bench/importing.py                 # 2,000 posts
    .venv/bin/python bench/importing.py --posts 200 --profile

Writes a Ghost 5 export of ``--posts`` posts (Lexical bodies with headings,
lists, links and an image card; 10 authors, 50 tags, 20 local images under
``content/images``) into a temporary folder, migrates a fresh SQLite
database there, then times the import alone and prints posts per second.
``--profile`` runs the import in this process under cProfile and prints the
25 costliest functions instead. docs/importing.md records the figures.
"""

# ruff: noqa: S603, T201 - a measuring tool: runs local programs, prints

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MASTHEAD = ROOT / ".venv" / "bin" / "masthead"


def lexical(n: int, image: str) -> str:
    def text(words: str, fmt: int = 0) -> dict[str, object]:
        return {"type": "extended-text", "text": words, "format": fmt, "version": 1}

    def para(*children: dict[str, object]) -> dict[str, object]:
        return {"type": "paragraph", "children": list(children), "version": 1}

    children = [
        para(
            text(f"Story {n} opens with a plain sentence about the harbour. "),
            text("Bold words", 1),
            text(" and more text follow."),
        ),
        {"type": "extended-heading", "tag": "h2", "children": [text("What we know")]},
        para(
            text("A second paragraph with a "),
            {
                "type": "link",
                "url": f"https://example.org/{n}",
                "children": [text("link")],
            },
            text("."),
        ),
        {"type": "image", "src": image, "alt": "A picture", "caption": "Caption"},
        {
            "type": "list",
            "listType": "bullet",
            "children": [
                {"type": "listitem", "children": [text("first point")]},
                {"type": "listitem", "children": [text("second point")]},
            ],
        },
        para(text("A closing paragraph. " * 20)),
    ]
    return json.dumps({"root": {"type": "root", "children": children}})


def make_export(folder: Path, count: int) -> Path:
    from PIL import Image

    images = folder / "content" / "images" / "2024" / "01"
    images.mkdir(parents=True)
    for i in range(20):
        out = io.BytesIO()
        Image.new("RGB", (64, 48), (i * 12, 80, 200 - i * 8)).save(out, "JPEG")
        (images / f"photo-{i}.jpg").write_bytes(out.getvalue())
    users = [
        {"id": f"u{i}", "name": f"Writer {i}", "slug": f"writer-{i}", "bio": "Bio."}
        for i in range(10)
    ]
    tags = [
        {"id": f"t{i}", "name": f"Topic {i}", "slug": f"topic-{i}"} for i in range(50)
    ]
    posts, posts_tags, posts_authors = [], [], []
    for n in range(count):
        image = f"__GHOST_URL__/content/images/2024/01/photo-{n % 20}.jpg"
        posts.append(
            {
                "id": f"p{n}",
                "title": f"Generated story number {n}",
                "slug": f"story-{n}",
                "lexical": lexical(n, image),
                "html": "",
                "type": "post",
                "status": "published",
                "visibility": "public",
                "feature_image": image,
                "published_at": f"2023-{n % 12 + 1:02d}-{n % 28 + 1:02d}T08:00:00.000Z",
                "updated_at": "2024-01-01T00:00:00.000Z",
                "custom_excerpt": "A standfirst.",
            }
        )
        posts_tags += [
            {"post_id": f"p{n}", "tag_id": f"t{(n + k) % 50}", "sort_order": k}
            for k in range(3)
        ]
        posts_authors.append(
            {"post_id": f"p{n}", "author_id": f"u{n % 10}", "sort_order": 0}
        )
    data = {
        "posts": posts,
        "tags": tags,
        "users": users,
        "posts_tags": posts_tags,
        "posts_authors": posts_authors,
        "posts_meta": [],
    }
    path = folder / "export.json"
    path.write_text(json.dumps({"db": [{"meta": {"version": "5.82.0"}, "data": data}]}))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--queries", action="store_true", help="count SQL per post, by shape"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="masthead-import-bench-") as tmp:
        folder = Path(tmp)
        export = make_export(folder, args.posts)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "MASTHEAD_MEDIA_ROOT": str(folder / "media"),
        }
        env.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.dev")
        subprocess.run([MASTHEAD, "migrate", "--no-input", "-v0"], env=env, check=True)
        if args.profile or args.queries:
            os.environ.update(env)
            (profile if args.profile else count_queries)(export)
            return
        load = os.getloadavg()[0]
        cpu_before = _child_cpu()
        started = time.perf_counter()
        subprocess.run([MASTHEAD, "import", "ghost", str(export)], env=env, check=True)
        seconds = time.perf_counter() - started
        cpu = _child_cpu() - cpu_before
        # CPU seconds vary less than the wall clock when other jobs share
        # the machine; the load average says how shared it was.
        print(
            f"{args.posts} posts in {seconds:.1f} s: {args.posts / seconds:.1f} posts/s"
            f" ({cpu:.1f} s CPU; load average {load:.2f} at the start)"
        )


def _child_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def profile(export: Path) -> None:
    import cProfile
    import pstats

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from masthead.importers import ghost
    from masthead.importers.writer import write

    archive = ghost.parse(export)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report = write(archive)
    profiler.disable()
    seconds = time.perf_counter() - started
    print(report.error or f"{len(archive.posts) / seconds:.1f} posts/s")
    pstats.Stats(profiler).sort_stats(
        os.environ.get("BENCH_SORT", "cumulative")
    ).print_stats(40)


def count_queries(export: Path) -> None:
    """Run the import in this process; print SQL per post, grouped by shape."""
    import re
    from collections import Counter

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection

    from masthead.importers import ghost
    from masthead.importers.writer import write

    archive = ghost.parse(export)
    shapes: Counter[str] = Counter()

    def wrapper(execute, sql, params, many, context):
        shape = re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'|%s|\?", "?", sql))
        shapes[re.sub(r"\(\?(, \?)*\)", "(…)", shape)[:160]] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        report = write(archive)
    seconds = time.perf_counter() - started
    posts = len(archive.posts)
    total = sum(shapes.values())
    print(report.error or f"{posts / seconds:.1f} posts/s")
    print(f"{total} queries, {total / posts:.1f} per post")
    for shape, n in shapes.most_common(40):
        print(f"{n / posts:7.2f}  {shape}")


if __name__ == "__main__":
    main()
