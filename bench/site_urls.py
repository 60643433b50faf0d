"""Print, as JSON, the listing URLs the large-site latency step measures.

Runs inside the site's environment (MASTHEAD_VAR_DIR or DATABASE_URL select
the database) and picks the hardest case of each listing: the section, tag
and author with the most published articles, and a word common in recent
headlines for the search. Each pick can be forced with an option. Then the
date archive (its index, and the month before the newest article's, its
year and last day) and "Older stories" half-way down the site.

    MASTHEAD_VAR_DIR=/tmp/gen1m .venv/bin/python bench/site_urls.py
"""

import argparse
import json
import os
import re
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.dev")

import django

django.setup()

from django.db.models import Count  # noqa: E402

from masthead.content.models import (  # noqa: E402
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    SectionPage,
)
from masthead.people.models import Author  # noqa: E402
from masthead.taxonomy.models import Tag  # noqa: E402

# Plain words a "common word" search should not pick (the regex already skips
# words under four letters).
_STOP_WORDS = """
    about after again against also among been before being between could does
    from have into more most over said says should some than that their them
    then there these they this those through under until were what when where
    which while will with would your
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def biggest(model, key: str) -> tuple[int, int]:
    """``(id, count)`` of the ``key`` with the most published rows."""
    row = (
        model.objects.filter(published_at__isnull=False)
        .values(key)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise SystemExit(f"no published {model.__name__} rows: build a site first")
    return row[key], row["n"]


def common_word(sample: int = 500) -> str:
    titles = (
        ArticlePage.objects.published()
        .newest_first()
        .values_list("title", flat=True)[:sample]
    )
    words = Counter(
        word
        for title in titles
        for word in re.findall(r"[a-z]{4,}", title.lower())
        if word not in STOP_WORDS
    )
    return words.most_common(1)[0][0] if words else "news"


def archive_urls() -> dict[str, dict]:
    """The date archive (#14) near the newest article, and "Older stories"
    half-way down the site."""
    from django.utils import timezone

    from masthead.core.keyset import Cursor

    published = ArticlePage.objects.published().newest_first()
    newest = published.first()
    if newest is None:
        raise SystemExit("no published articles: build a site first")
    # The last day of the month before the newest article's: a whole month
    # of days and a whole day of articles, as far back as the calendar goes.
    day = timezone.localdate(newest.published_at).replace(day=1) - timedelta(days=1)
    total = published.count()
    middle = published[total // 2 : total // 2 + 1].get()
    return {
        "archive index": {"path": "/archive/"},
        "archive year": {"path": f"/archive/{day:%Y}/"},
        "archive month": {"path": f"/archive/{day:%Y/%m}/"},
        "archive day": {"path": f"/archive/{day:%Y/%m/%d}/"},
        "latest, older": {
            "path": f"/latest/?before={Cursor(middle.published_at, middle.pk)}",
            "articles": total - total // 2,
        },
    }


def page_path(page) -> str:
    return page.get_url_parts()[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", help="slug of the section to list")
    parser.add_argument("--tag", help="slug of the tag to list")
    parser.add_argument("--author", help="slug of the author to list")
    parser.add_argument("--word", help="the word to search for")
    args = parser.parse_args()

    if args.section:
        section = SectionPage.objects.get(slug=args.section)
        section_count = None
    else:
        section_id, section_count = (
            ArticlePage.objects.published()
            .values("section")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("section", "n")[0]
        )
        section = SectionPage.objects.get(pk=section_id)
    if args.tag:
        tag, tag_count = Tag.objects.get(slug=args.tag), None
    else:
        tag_id, tag_count = biggest(ArticleTag, "tag")
        tag = Tag.objects.get(pk=tag_id)
    if args.author:
        author, author_count = Author.objects.get(slug=args.author), None
    else:
        author_id, author_count = biggest(ArticleAuthor, "author")
        author = Author.objects.get(pk=author_id)
    word = args.word or common_word()
    urls = {
        "home": {"path": "/"},
        "section": {"path": page_path(section), "articles": section_count},
        "big tag": {"path": tag.get_absolute_url(), "articles": tag_count},
        "author": {"path": author.get_absolute_url(), "articles": author_count},
        "News Feed": {"path": "/news-feed/"},
        "search": {"path": "/search/?" + urlencode({"q": word}), "word": word},
        **archive_urls(),
    }
    sys.stdout.write(
        json.dumps({"articles": ArticlePage.objects.published().count(), "urls": urls})
        + "\n"
    )


if __name__ == "__main__":
    main()
