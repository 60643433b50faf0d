"""The demo's Ukrainian edition (editions.py, #15)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Locale

from masthead import cache
from masthead.analytics.models import PopularArticle
from masthead.content.editions import edition_home
from masthead.content.models import ArticlePage, SectionPage, TranslationSync
from masthead.demo.build import build_demo
from masthead.demo.editions import (
    FEED_ITEMS,
    PAIRS,
    SECTIONS,
    STALE_UPDATE,
    UKRAINIAN_ONLY,
)
from masthead.feed.models import NewsFeedItem

from .test_demo import SMALL, frozen_clock  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def test_demo_builds_a_linked_ukrainian_edition(client):
    build_demo(**SMALL)
    # The purges queued by the build run after its commit, which a test's
    # transaction never reaches: drop what this process kept.
    cache.reset()
    uk = Locale.objects.get(language_code="uk")
    home = edition_home("uk")
    assert home.title == "Головна"
    assert home.translation_key == edition_home("en").translation_key
    sections = SectionPage.objects.filter(locale=uk).live()
    assert sections.count() == len(SECTIONS)
    articles = ArticlePage.objects.published().filter(locale=uk)
    assert articles.count() == len(PAIRS) + len(UKRAINIAN_ONLY)
    # Some are translations of English stories, some Ukrainian only.
    translated = [a for a in articles if a.get_translations().exists()]
    assert len(translated) == len(PAIRS)
    assert {a.slug for a in translated} == {p.ukrainian.slug for p in PAIRS}
    for article in articles:
        assert article.url.startswith("/uk/")
        page = BeautifulSoup(client.get(article.url).content, "html5lib")
        assert page.html["lang"] == "uk"
        assert page.find("h1").get_text(strip=True) == article.title
    feed = NewsFeedItem.objects.filter(locale=uk)
    assert feed.count() == len(FEED_ITEMS)
    # Its articles are read too: /uk/ ranks its own Most Popular.
    ranked = PopularArticle.objects.filter(locale=uk)
    assert ranked.exists()
    assert set(ranked.values_list("article__locale_id", flat=True)) == {uk.pk}
    box = BeautifulSoup(client.get("/uk/").content, "html5lib").select_one(
        ".most-popular"
    )
    assert box is not None
    links = [a["href"] for a in box.find_all("a")]
    assert links and all(href.startswith("/uk/") for href in links)
    # The Ukrainian desk's own roles exist.
    assert Group.objects.filter(name="Editor (uk)").exists()
    # The stories in both editions describe their shared pictures each in
    # its own language (#15): the English with the library's alt text.
    for pair in PAIRS:
        english = ArticlePage.objects.get(slug=pair.english.slug)
        ukrainian = ArticlePage.objects.get(slug=pair.ukrainian.slug)
        assert english.hero_image_id == ukrainian.hero_image_id is not None
        alts = {}
        for article in (english, ukrainian):
            page = BeautifulSoup(client.get(article.url).content, "html5lib")
            alts[article.locale_id] = [
                img["alt"] for img in page.select(".article__hero img, .body-image img")
            ]
        assert alts[english.locale_id][0] == english.hero_image.alt_text
        assert alts[uk.pk][0] == ukrainian.hero_alt_text
        assert ukrainian.hero_alt_text.startswith("Ілюстрація:")
        # As many pictures in each; none with the English words in Ukrainian.
        assert (
            len(alts[uk.pk])
            == len(alts[english.locale_id])
            == (1 if pair.picture is None else 2)
        )
        assert not set(alts[uk.pk]) & set(alts[english.locale_id])


def test_rerunning_the_demo_leaves_the_ukrainian_edition_as_it_was():
    build_demo(**SMALL)
    # One stale translation: an English source updated after it.
    stale = TranslationSync.objects.stale()
    assert [sync.translation.slug for sync in stale] == [PAIRS[0].ukrainian.slug]
    source = ArticlePage.objects.get(pk=stale.get().source_id)
    assert STALE_UPDATE in source.body_html
    revisions = source.revisions.count()
    uk = Locale.objects.get(language_code="uk")
    before = (
        sorted(ArticlePage.objects.filter(locale=uk).values_list("pk", "title")),
        NewsFeedItem.objects.filter(locale=uk).count(),
        SectionPage.objects.filter(locale=uk).count(),
    )
    second = build_demo(**SMALL)
    after = (
        sorted(ArticlePage.objects.filter(locale=uk).values_list("pk", "title")),
        NewsFeedItem.objects.filter(locale=uk).count(),
        SectionPage.objects.filter(locale=uk).count(),
    )
    assert after == before
    assert second["created"] == 0
    # The rerun neither updates the source again nor adds a stale one.
    assert ArticlePage.objects.get(pk=source.pk).revisions.count() == revisions
    assert TranslationSync.objects.stale().count() == 1
