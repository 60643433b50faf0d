import json
from datetime import datetime, timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import PageLogEntry

from masthead.content.factories import make_article
from masthead.content.models import ArticlePage, Correction, CorrectionKind
from masthead.content.services import CORRECTION_LOG_ACTION, issue_correction

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def corrected(django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x" * 12)
    article = make_article(
        title="Meeting set for Monday",
        published_at=timezone.now() - timedelta(hours=5),
    )
    correction = issue_correction(
        article,
        CorrectionKind.CORRECTION,
        "An earlier version gave the wrong day. The meeting is on Tuesday.",
        user=editor,
    )
    return ArticlePage.objects.get(pk=article.pk), correction, editor


def test_correction_moves_the_articles_modified_time(corrected):
    article, correction, _ = corrected
    assert article.updated_at == correction.published_at
    assert article.display_updated_at == correction.published_at


def test_correction_shows_at_the_top_with_its_time(client, corrected):
    article, correction, _ = corrected
    soup = soup_of(client, article.url)
    notice = soup.select_one(".article__header + .notice--correction")
    assert notice is not None
    assert correction.text in notice.get_text()
    shown = datetime.fromisoformat(notice.time["datetime"])
    assert shown == correction.published_at.replace(microsecond=0)


def test_public_history_lists_every_notice(client, corrected):
    article, _, editor = corrected
    issue_correction(
        article, CorrectionKind.UPDATE, "Talks were postponed.", user=editor
    )
    soup = soup_of(client, article.url)
    items = soup.select(".article-history__list li")
    assert [li.strong.get_text() for li in items] == ["Correction", "Update"]


def test_json_ld_carries_correction_comments_and_date_modified(client, corrected):
    article, correction, _ = corrected
    soup = soup_of(client, article.url)
    data = next(
        block
        for block in (
            json.loads(s.string)
            for s in soup.find_all("script", type="application/ld+json")
        )
        if block["@type"] == "ReportageNewsArticle"
    )
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert correction.text in data["correction"][0]["text"]
    modified = datetime.fromisoformat(data["dateModified"])
    assert modified == correction.published_at.replace(microsecond=0)


def test_corrections_page_and_feed_list_the_notice(client, corrected):
    article, correction, _ = corrected
    soup = soup_of(client, "/corrections/")
    item = soup.select_one(".correction-list__item")
    assert item.a["href"] == article.url
    assert correction.text in item.get_text()
    feed = feedparser.parse(client.get("/corrections/feed/").content)
    assert feed.bozo == 0
    assert feed.entries[0].id == f"urn:masthead:correction:{correction.pk}"
    assert correction.text in feed.entries[0].summary


def test_site_feed_and_sitemap_show_the_new_modified_time(client, corrected):
    article, correction, _ = corrected
    atom = feedparser.parse(client.get("/feeds/atom/").content)
    entry = next(e for e in atom.entries if e.link.endswith(article.url))
    assert datetime.fromisoformat(entry.updated) == correction.published_at
    sitemap = ElementTree.fromstring(client.get("/sitemap-articles.xml").content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    url = next(
        u
        for u in sitemap.findall("sm:url", ns)
        if u.findtext("sm:loc", namespaces=ns).endswith(article.url)
    )
    lastmod = datetime.fromisoformat(url.findtext("sm:lastmod", namespaces=ns))
    # The sitemap writes the publication's local time; after 22:00 UTC the
    # date in Kyiv is already the next day.
    assert lastmod.date() == timezone.localtime(correction.published_at).date()
    assert lastmod >= article.published_at.replace(microsecond=0)


def test_correction_is_in_the_audit_log(corrected):
    article, _, editor = corrected
    entry = PageLogEntry.objects.get(page=article, action=CORRECTION_LOG_ACTION)
    assert entry.user == editor
    assert entry.data["kind"] == "correction"


def test_notices_on_unpublished_articles_are_not_public(client, corrected):
    article, _, _ = corrected
    article.unpublish()
    assert not Correction.objects.public().exists()
    soup = soup_of(client, "/corrections/")
    assert not soup.select(".correction-list__item")


def test_editor_adds_a_correction_through_the_admin(admin_client, client):
    article = make_article()
    response = admin_client.post(
        "/admin/snippets/content/correction/add/",
        {
            "article": article.pk,
            "kind": "clarification",
            "text": "We have clarified who made the statement.",
            "published_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302, response.content[:3000]
    correction = Correction.objects.get()
    assert correction.created_by.is_superuser
    assert ArticlePage.objects.get(pk=article.pk).updated_at is not None
    assert PageLogEntry.objects.filter(
        page=article, action=CORRECTION_LOG_ACTION
    ).exists()
