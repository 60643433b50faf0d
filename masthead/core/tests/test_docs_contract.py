"""Docs that describe a vocabulary cannot drift from the code (issue #12).

Settings have their own contract (test_settings_documented.py); this file
holds the cache tags and the figures the architecture page quotes.
"""

import re
from pathlib import Path

import pytest

from masthead import cache
from masthead.content.tests.test_views import ARTICLE_PAGE_QUERIES

DOCS = Path(__file__).resolve().parents[3] / "docs"


def markdown_table(text: str, heading: str) -> list[list[str]]:
    """The rows of the first table under ``heading``, cells stripped of code."""
    section = text.split(heading, 1)[1]
    rows: list[list[str]] = []
    for line in section.splitlines()[1:]:
        if rows and not line.startswith("|"):
            break
        if line.startswith("|") and not set(line) <= set("|- "):
            cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
            rows.append(cells)
    return rows[1:]  # without the header


def test_cache_tag_table_matches_the_vocabulary():
    rows = markdown_table((DOCS / "deployment.md").read_text(), "### Cache tags")
    assert {row[0] for row in rows} == set(cache.TAG_VOCABULARY)


def test_every_tag_in_the_docs_is_a_known_tag():
    text = (DOCS / "deployment.md").read_text()
    examples = re.findall(r"X-Cache-Tags: ([a-z0-9 -]+)", text)
    assert examples
    for example in examples:
        for name in example.split():
            assert cache.is_known_tag(name), name


@pytest.mark.django_db
def test_tags_a_page_carries_are_in_the_vocabulary(client):
    from masthead.content.factories import make_article

    article = make_article()
    for url in ("/", article.url, "/news-feed/", "/feeds/rss/", "/sitemap.xml"):
        response = client.get(url)
        tags = response.headers.get(cache.TAGS_HEADER, "").split()
        assert tags, url
        assert [name for name in tags if not cache.is_known_tag(name)] == [], url


def test_architecture_quotes_the_asserted_query_budget():
    text = (DOCS / "architecture.md").read_text()
    quoted = re.search(r"warm article page costs (\d+) queries", text)
    assert quoted is not None
    assert int(quoted.group(1)) == ARTICLE_PAGE_QUERIES


def test_list_tags_refuse_unknown_kinds():
    assert cache.list_tag("section", 3) == "list-section-3"
    with pytest.raises(ValueError, match="sections"):
        cache.list_tag("sections", 3)


def test_task_table_lists_every_scheduled_task():
    from masthead.newsroom.scheduler import JOBS

    rows = markdown_table((DOCS / "deployment.md").read_text(), "## Background work")
    documented = {row[0] for row in rows}
    scheduled = {path.removeprefix("masthead.") for _, path, _, _ in JOBS}
    assert documented == scheduled
