"""``masthead generate``: a bulk-written site the real site reads correctly."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Locale, Page

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    HomePage,
    SectionPage,
)
from masthead.demo.bulk import (
    ARTICLE_FIELDS,
    BIG_TAG_SLUG,
    BYLINE_FIELDS,
    FEED_FIELDS,
    PAGE_FIELDS,
    TAG_FIELDS,
    GenerateError,
    GenerateOptions,
    _Rows,
    article_key,
    generate,
)
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Small, but several batches, every section and a few hundred tag rows.
SMALL = GenerateOptions(
    articles=240,
    authors=12,
    tags=25,
    sections=3,
    feed_items=45,
    big_tag_share=0.3,
    per_day=40,
    images=1,
    batch_size=50,
)


@pytest.fixture
def frozen_clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def generated(frozen_clock):
    return generate(SMALL)


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def teaser_links(response) -> list[str]:
    return [str(a["href"]) for a in soup(response).select(".teaser__title a")]


def sitemap_locs(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    root = ET.fromstring(response.content)
    return [loc.text or "" for loc in root.iter(f"{SM}loc")]


def newest(queryset, count: int = 20) -> list[str]:
    return [article.url for article in queryset.newest_first()[:count]]


def test_generated_site_passes_wagtails_tree_checks(generated):
    pages = Page.objects.count()

    # treebeard's five lists: bad characters in a path, bad path length,
    # orphans, wrong depth and wrong numchild.
    assert Page.find_problems() == ([], [], [], [], [])
    # Wagtail's fixtree also wants a subclass row for every page, and would
    # delete a page without one.
    out = StringIO()
    call_command("fixtree", interactive=False, stdout=out)

    assert out.getvalue().split("\n\n")[:2] == [
        "Checking page tree for problems...\nNo problems found.",
        "Checking collection tree for problems...\nNo problems found.",
    ]
    assert Page.objects.count() == pages == SMALL.articles + SMALL.sections + 2


def test_columns_the_generator_leaves_out_get_their_model_defaults(generated):
    # No ordering: Page's (by path) would make every row distinct.
    articles = ArticlePage.objects.order_by()

    # is_private (db_default=False) and embargo_until (nullable) are not
    # among the generator's fields: the database fills them in.
    assert list(articles.values_list("is_private", flat=True).distinct()) == [False]
    assert not articles.filter(embargo_until__isnull=False).exists()
    # Page's own defaults, derived from its fields.
    assert set(
        articles.values_list(
            "seo_title",
            "search_description",
            "show_in_menus",
            "expired",
            "locked",
            "owner",
            "go_live_at",
            "alias_of",
        ).distinct()
    ) == {("", "", False, False, False, None, None, None)}
    assert articles.published().count() == SMALL.articles


def test_the_loader_writes_every_column_the_database_requires():
    rows = _Rows()
    tables = [
        (Page, rows.table(Page, PAGE_FIELDS)),
        (ArticlePage, rows.table(ArticlePage, ARTICLE_FIELDS)),
        (ArticleAuthor, rows.table(ArticleAuthor, BYLINE_FIELDS)),
        (ArticleTag, rows.table(ArticleTag, TAG_FIELDS)),
        (NewsFeedItem, rows.table(NewsFeedItem, FEED_FIELDS)),
    ]

    with connection.cursor() as cursor:
        for model, table in tables:
            described = connection.introspection.get_table_description(
                cursor, model._meta.db_table
            )
            required = {
                column.name
                for column in described
                if not column.null_ok and column.default is None
            }
            primary_key = model._meta.pk.column
            assert required - {primary_key} <= set(table.columns), model
    assert "is_private" not in tables[1][1].columns
    assert {"seo_title", "locked", "expired"} <= set(tables[0][1].columns)


def test_the_loader_names_a_required_field_the_generator_left_out():
    rows = _Rows()

    with pytest.raises(GenerateError, match=r"ArticleAuthor\.article has no default"):
        rows.table(ArticleAuthor, ("author", "sort_order", "published_at"))
    with pytest.raises(GenerateError, match="ArticlePage has no column for lede"):
        rows.table(ArticlePage, ("page_ptr", "lede"))


def test_generated_pages_form_a_consistent_wagtail_tree(generated):
    home = HomePage.objects.get()
    sections = list(SectionPage.objects.child_of(home).order_by("path"))
    assert len(sections) == SMALL.sections
    for section in sections:
        children = ArticlePage.objects.child_of(section)
        assert section.numchild == children.count() > 0
    article = ArticlePage.objects.order_by("?").select_related("section").first()
    parent = article.get_parent()
    assert parent.pk == article.section_id
    assert article.depth == parent.depth + 1
    assert article.url_path == f"{parent.url_path}{article.slug}/"
    assert article.locale == Locale.get_default()
    assert article.edition_id == article.locale_id  # edition listings (#15)
    assert article.specific_class is ArticlePage
    assert article.translation_key.hex in {
        article_key(n) for n in range(1, SMALL.articles + 1)
    }


def test_generated_articles_hold_what_publishing_would_store(generated):
    assert ArticlePage.objects.count() == SMALL.articles
    assert ArticlePage.objects.published().count() == SMALL.articles
    for article in ArticlePage.objects.order_by("?")[:25]:
        stored = (article.body_html, article.word_count, article.read_time_minutes)
        article.render_body()
        assert stored == (
            article.body_html,
            article.word_count,
            article.read_time_minutes,
        )
        assert article.body_html
        assert article.is_published
        assert article.first_published_at == article.published_at
        assert article.last_published_at == article.updated_at >= article.published_at
        rows = [*article.article_authors.all(), *article.article_tags.all()]
        assert rows
        assert {row.published_at for row in rows} == {article.published_at}
        assert set(article.related_ids) <= set(
            ArticlePage.objects.published().values_list("pk", flat=True)
        )
        assert article.pk not in article.related_ids


def test_big_tag_carries_about_the_asked_share(frozen_clock):
    generate(GenerateOptions(**{**SMALL.__dict__, "articles": 400}))
    big = Tag.objects.get(slug=BIG_TAG_SLUG)

    share = ArticleTag.objects.filter(tag=big).count() / 400

    # Binomial, n=400, p=0.3: three standard deviations are 0.069.
    assert 0.23 < share < 0.37
    others = ArticleTag.objects.exclude(tag=big).values("tag").distinct().count()
    assert others > SMALL.tags // 2


def test_a_different_share_gives_a_different_big_tag(frozen_clock):
    generate(GenerateOptions(**{**SMALL.__dict__, "big_tag_share": 0.8}))
    big = Tag.objects.get(slug=BIG_TAG_SLUG)

    assert ArticleTag.objects.filter(tag=big).count() / SMALL.articles > 0.7


def test_listings_show_the_newest_generated_articles(client, generated):
    published = ArticlePage.objects.published()
    section = SectionPage.objects.order_by("path").first()
    big = Tag.objects.get(slug=BIG_TAG_SLUG)
    author = Author.objects.filter(article_rows__isnull=False).first()

    home = soup(client.get("/"))
    home_links = {a["href"] for a in home.select("a[href]")}
    assert set(newest(published, 5)) <= home_links
    assert teaser_links(client.get(section.url)) == newest(
        published.in_section(section)
    )
    tag_page = client.get(big.get_absolute_url())
    assert teaser_links(tag_page) == [a.url for a in published.tagged(big)[:20]]
    assert teaser_links(client.get(author.get_absolute_url())) == [
        a.url for a in published.by_author(author)[:20]
    ]
    last_page = client.get(big.get_absolute_url(), {"page": "2"})
    assert teaser_links(last_page) == [a.url for a in published.tagged(big)[20:40]]


def test_an_article_page_renders_its_byline_and_tags(client, generated):
    article = ArticlePage.objects.order_by("?").first()

    page = soup(client.get(article.url))

    assert page.select_one("h1").get_text(strip=True) == article.title
    authors = ArticleAuthor.objects.filter(article=article).select_related("author")
    text = page.get_text(" ", strip=True)
    for row in authors:
        assert row.author.name in text
    for row in ArticleTag.objects.filter(article=article).select_related("tag"):
        assert row.tag.name in text


def test_news_feed_shows_the_newest_generated_items(client, generated):
    page = soup(client.get("/news-feed/"))

    headlines = [h.get_text(strip=True) for h in page.select(".feed-post__headline")]
    expected = NewsFeedItem.objects.published().newest_first()
    assert NewsFeedItem.objects.count() == SMALL.feed_items
    assert headlines[-30:] == [item.headline for item in expected[:30]]
    linked = NewsFeedItem.objects.filter(article__isnull=False).first()
    assert linked.published_at >= linked.article.published_at


def test_sitemaps_list_every_generated_article(client, generated):
    index = sitemap_locs(client.get("/sitemap.xml"))
    assert "http://testserver/sitemap-articles.xml" in index

    listed = sitemap_locs(client.get("/sitemap-articles.xml"))

    expected = {f"http://testserver{a.url}" for a in ArticlePage.objects.all()}
    assert len(listed) == len(expected) == SMALL.articles
    assert set(listed) == expected
    recent = sitemap_locs(client.get("/news-sitemap.xml"))
    assert recent
    assert set(recent) <= expected


def test_a_second_run_is_refused_and_changes_nothing(generated):
    before = (Page.objects.count(), ArticleTag.objects.count(), Tag.objects.count())

    with pytest.raises(GenerateError, match="already holds generated articles"):
        generate(SMALL)

    after = (Page.objects.count(), ArticleTag.objects.count(), Tag.objects.count())
    assert after == before


def _indexes() -> dict[str, set[str]]:
    tables = ["wagtailcore_page", "content_articlepage", "content_articletag"]
    with connection.cursor() as cursor:
        return {
            table: {
                name
                for name, info in connection.introspection.get_constraints(
                    cursor, table
                ).items()
                if info["index"]
            }
            for table in tables
        }


@pytest.mark.parametrize("drop_indexes", [True, False])
def test_indexes_are_the_same_after_a_load(frozen_clock, drop_indexes):
    before = _indexes()

    options = {**SMALL.__dict__, "articles": 30, "drop_indexes": drop_indexes}
    result = generate(GenerateOptions(**options))

    assert result["counts"]["articles"] == 30
    assert bool(result["dropped_indexes"]) is drop_indexes
    assert _indexes() == before


def test_dropping_indexes_gives_the_same_site(frozen_clock):
    options = GenerateOptions(**{**SMALL.__dict__, "drop_indexes": True})

    result = generate(options)

    assert result["dropped_indexes"] > 10
    assert Page.find_problems() == ([], [], [], [], [])
    assert ArticlePage.objects.published().count() == SMALL.articles


def test_generate_command_reports_and_rejects_bad_sizes(frozen_clock):
    out = StringIO()
    call_command(
        "generate",
        "--articles=20",
        "--authors=3",
        "--tags=5",
        "--sections=2",
        "--feed-items=4",
        "--images=0",
        stdout=out,
    )
    assert "Done in" in out.getvalue()
    assert ArticlePage.objects.count() == 20
    for bad in ("--articles=0", "--big-tag-share=1.5", "--sections=0"):
        with pytest.raises(CommandError):
            call_command("generate", bad, stdout=StringIO())


def test_generate_needs_a_home_page():
    Page.objects.filter(depth__gt=1).delete()

    with pytest.raises(GenerateError, match="no Masthead home page"):
        generate(SMALL)
