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
        if args.profile:
            os.environ.update(env)
            profile(export)
            return
        started = time.perf_counter()
        subprocess.run([MASTHEAD, "import", "ghost", str(export)], env=env, check=True)
        seconds = time.perf_counter() - started
        print(
            f"{args.posts} posts in {seconds:.1f} s: {args.posts / seconds:.1f} posts/s"
        )


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


if __name__ == "__main__":
    main()
