"""Sitemaps cost the same with a thousand articles or a million (issue #5).

At a million articles the index took 6 s (a count and a MAX() over every
article, and SQLite walking the whole page tree to find the home page) and
the last articles file 3.7 s (OFFSET 990,000). Article files are now ranges
of ids and every query reads an index from one end.
"""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage, HomePage, SectionPage
from masthead.core.queries import live_pages
from masthead.core.tests.plans import Recorder, plan
from masthead.syndication.sitemaps import SITEMAPS, ArticleSitemap, IdRangePaginator

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's query plans"
)


def article_urls(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)
    return [loc.text or "" for loc in root.iter(f"{SM}loc")]


def published_pks() -> list[int]:
    return list(
        ArticlePage.objects.published().order_by("pk").values_list("pk", flat=True)
    )


def test_article_files_are_ranges_of_ids_from_the_first_article(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    section = make_section()
    articles = [make_article(section) for _ in range(7)]
    articles[1].unpublish()
    first = articles[0].pk

    files = [
        article_urls(client, f"/sitemap-articles.xml?p={number}")
        for number in (1, 2, 3)
    ]

    def ids(low: int) -> set[str]:
        return {
            f"http://testserver{a.url}"
            for a in articles
            if low <= a.pk < low + 3 and a.pk != articles[1].pk
        }

    assert [set(urls) for urls in files] == [ids(first), ids(first + 3), ids(first + 6)]
    assert sum(len(urls) for urls in files) == 6
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_a_withdrawn_article_leaves_the_other_files_unchanged(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    section = make_section()
    articles = [make_article(section) for _ in range(6)]
    before = [article_urls(client, f"/sitemap-articles.xml?p={n}") for n in (2, 3)]

    articles[1].unpublish()

    after = [article_urls(client, f"/sitemap-articles.xml?p={n}") for n in (2, 3)]
    assert after == before


def test_an_empty_archive_still_has_a_first_file(client):
    assert article_urls(client, "/sitemap-articles.xml") == []
    paginator = IdRangePaginator(ArticlePage.objects.published(), 10)
    assert paginator.num_pages == 1


def test_the_index_and_files_neither_count_nor_skip_articles(client):
    section = make_section()
    for _ in range(3):
        make_article(section)
    recorder = Recorder()

    with connection.execute_wrapper(recorder):
        client.get("/sitemap.xml")
        client.get("/sitemap-articles.xml")

    selects = [sql.split(" FROM ", 1) for sql, _ in recorder.queries]
    on_articles = [
        columns for columns, rest in selects if rest.startswith('"content_articlepage"')
    ]
    assert on_articles
    assert not [c for c in on_articles if "COUNT(" in c or "MAX(" in c]
    assert not [sql for sql, _ in recorder.queries if "OFFSET" in sql]


@sqlite_only
def test_every_sitemap_query_reads_indexes_not_tables(client):
    section = make_section()
    make_article(section)
    recorder = Recorder()

    with connection.execute_wrapper(recorder):
        client.get("/sitemap.xml")
        for key in SITEMAPS:
            client.get(f"/sitemap-{key}.xml")
        client.get("/sitemap-articles.xml?p=1")
        client.get("/news-sitemap.xml")

    problems = {}
    for sql, params in recorder.queries:
        if (
            not sql.startswith("SELECT")
            or "wagtailcore_site" in sql.split(" WHERE ")[0]
        ):
            continue
        steps = plan(sql, params)
        # Tags and authors are listed by walking their own small tables.
        bad = [
            step
            for step in steps
            if (
                "TEMP B-TREE" in step
                and "content_homepage" not in sql.split(" WHERE ")[0]
                and "content_sectionpage" not in sql.split(" WHERE ")[0]
            )
            # The page table itself, not wagtailcore_pageviewrestriction.
            or re.match(r"SCAN wagtailcore_page\b", step)
            or step.startswith("SCAN content_articlepage")
            or step.startswith("SCAN content_articletag")
            or step.startswith("SCAN content_articleauthor")
        ]
        if bad:
            problems[sql[:120]] = steps
    assert not problems


@sqlite_only
@pytest.mark.parametrize("model", [HomePage, SectionPage])
def test_live_pages_start_from_their_own_small_table(model):
    sql, params = live_pages(model).order_by("path").query.sql_with_params()

    steps = plan(sql, params)

    assert not any(step.startswith("SCAN wagtailcore_page") for step in steps), steps
    assert any(f"TABLE {model._meta.db_table}" in step for step in steps), steps


@sqlite_only
def test_newest_dates_come_from_the_top_of_an_index():
    sitemap = ArticleSitemap()
    recorder = Recorder()

    with connection.execute_wrapper(recorder):
        sitemap.get_latest_lastmod()
        sitemap.paginator.first_id  # noqa: B018
        sitemap.paginator.last_id  # noqa: B018
        sitemap.paginator.page(1)
        list(sitemap.paginator.page(1).object_list)

    used = set()
    for sql, params in recorder.queries:
        steps = plan(sql, params)
        assert not any("TEMP B-TREE" in step for step in steps), steps
        assert not any(step.startswith("SCAN") for step in steps), steps
        used |= {step.split(" USING ")[-1].split(" (")[0] for step in steps}
    # The edition's own indexes (#15): a nearly empty edition reads as few.
    assert {
        "INDEX article_edition_newest_idx",
        "INDEX article_edition_updated_idx",
        "INTEGER PRIMARY KEY",
    } <= used


def test_newest_date_is_the_latest_publication_or_update():
    section = make_section()
    articles = [make_article(section) for _ in range(3)]
    edited_at = timezone.now() + timedelta(hours=1)
    ArticlePage.objects.filter(pk=articles[0].pk).update(updated_at=edited_at)

    assert ArticleSitemap().get_latest_lastmod() == edited_at
    ArticlePage.objects.filter(pk=articles[0].pk).update(updated_at=None)
    assert ArticleSitemap().get_latest_lastmod() == max(
        a.published_at for a in ArticlePage.objects.all()
    )
