"""One visibility rule, and no place that forgets it (issue #12).

``test_hidden_article_is_nowhere`` walks every hidden state through every
place a reader, a feed reader, a crawler or a cache can reach. "Shows" is
checked on the raw bytes of each response: an absence check must not depend
on where in the markup a leak would land.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead import cache
from masthead.analytics.services import record_view, refresh_most_popular
from masthead.content import visibility
from masthead.content.factories import make_article, make_section
from masthead.content.models import (
    ArticlePage,
    CardLink,
    CurationSettings,
    EditorsPick,
    HomePage,
)
from masthead.content.services import publish_article
from masthead.feed.services import post_item
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

HEADLINE = "Quarantined budget figures"
STANDFIRST = "Ministers weigh a secret reserve"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def card(article):
    return ("related_article", {"article": article})


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """The subject article, public, and every place that can show it."""
    with django_capture_on_commit_callbacks(execute=True):
        section = make_section("Economy", "economy")
        author, tag = AuthorFactory(), TagFactory()
        subject = make_article(
            section,
            authors=[author],
            tags=[tag],
            title=HEADLINE,
            standfirst=STANDFIRST,
        )
        neighbour = make_article(
            section,
            authors=[author],
            tags=[tag],
            title="Neighbouring story",
            body=[("paragraph", "<p>Before the card.</p>"), card(subject)],
        )
        post_item(
            headline="Budget vote tonight",
            text="Parliament meets at six.",
            article=subject,
            is_pinned=False,
        )
        picks = CurationSettings.for_site(HomePage.objects.get().get_site())
        picks.save()
        EditorsPick.objects.create(settings=picks, article=subject, sort_order=0)
        for _ in range(3):
            record_view(subject.pk, BROWSER)
        refresh_most_popular(days=7)
    return {
        "subject": ArticlePage.objects.get(pk=subject.pk),
        "neighbour": ArticlePage.objects.get(pk=neighbour.pk),
        "section": section,
        "author": author,
        "tag": tag,
    }


def places(world) -> dict[str, str]:
    section, author, tag = world["section"], world["author"], world["tag"]
    return {
        "home": "/",
        "section": section.url,
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "News Feed": "/news-feed/",
        "News Feed updates": "/news-feed/updates.json",
        "RSS": "/feeds/rss/",
        "Atom": "/feeds/atom/",
        "JSON Feed": "/feeds/json/",
        "section RSS": f"/feeds/section/{section.slug}/rss/",
        "tag RSS": f"/feeds/tag/{tag.slug}/rss/",
        "author Atom": f"/feeds/author/{author.slug}/atom/",
        "sitemap index": "/sitemap.xml",
        "articles sitemap": "/sitemap-articles.xml",
        "News sitemap": "/news-sitemap.xml",
        "search": "/search/?q=Quarantined",
        # The neighbour's page: its related card, JSON-LD, related list,
        # Most Popular and Editors' Picks.
        "related card, JSON-LD, Most Popular, Editors' Picks": world["neighbour"].url,
    }


def leaks(client, url: str, subject) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    return [
        clue for clue in (HEADLINE, STANDFIRST, subject.url.rstrip("/")) if clue in text
    ]


# Each state: how the subject gets there from public.
def make_draft(subject):
    subject.unpublish()
    ArticlePage.objects.filter(pk=subject.pk).update(first_published_at=None)


def make_scheduled(subject):
    subject.unpublish()
    subject.go_live_at = timezone.now() + timedelta(days=1)
    subject.save_revision().publish()


def make_embargoed(subject):
    subject.embargo_until = timezone.now() + timedelta(hours=3)
    subject.save_revision().publish()


def make_private_by_password(subject):
    PageViewRestriction.objects.create(
        page=subject, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )


def make_private_to_group(subject):
    restriction = PageViewRestriction.objects.create(
        page=subject, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name="Subscribers")[0])


def make_expired(subject):
    subject.expire_at = timezone.now() + timedelta(seconds=1)
    subject.save_revision().publish()
    ArticlePage.objects.filter(pk=subject.pk).update(
        expire_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("publish_scheduled", verbosity=0)


def make_unpublished(subject):
    subject.unpublish()


def make_deleted(subject):
    subject.delete()


STATES = {
    "draft": make_draft,
    "scheduled": make_scheduled,
    "embargoed": make_embargoed,
    "private by password": make_private_by_password,
    "private to a group": make_private_to_group,
    "expired": make_expired,
    "unpublished": make_unpublished,
    "deleted": make_deleted,
}


@pytest.mark.parametrize("state", STATES)
def test_hidden_article_is_nowhere(
    client, world, state, django_capture_on_commit_callbacks, _record_purges
):
    subject = world["subject"]
    where = places(world)
    # Public first: every place shows it, and says so to the page cache.
    tags_before = {}
    for name, url in where.items():
        if leaks(client, url, subject):
            response = client.get(url)
            tags_before[name] = set(response.headers.get(cache.TAGS_HEADER, "").split())
    assert "related card, JSON-LD, Most Popular, Editors' Picks" in tags_before
    _record_purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        STATES[state](ArticlePage.objects.get(pk=subject.pk))

    # The article itself.
    response = client.get(subject.url)
    if state.startswith("private"):
        # Wagtail asks for the password or a sign-in; no shared cache keeps it.
        assert response.status_code in {200, 302}
        assert "Quarantined" not in response.content.decode()
        assert "public" not in response.headers.get("Cache-Control", "")
    else:
        assert response.status_code in {404, 410}
    # Every other place.
    for name, url in where.items():
        assert leaks(client, url, subject) == [], name
    # The rules.
    assert not ArticlePage.objects.published().filter(pk=subject.pk).exists()
    remaining = ArticlePage.objects.filter(pk=subject.pk).first()
    assert remaining is None or not remaining.is_published
    # The page cache and Varnish: every page that showed it was purged.
    purged = set(_record_purges)
    for name, tags in tags_before.items():
        assert tags & purged, f"{name} kept in the page cache"


@pytest.fixture(autouse=True)
def _record_purges(monkeypatch):
    """Remember every tag queued for purging, applied or not."""
    from masthead.core import outbox

    seen: set[str] = set()
    original = outbox.enqueue

    def enqueue(topic, keys):
        keys = list(keys)
        if topic == "purge":
            seen.update(str(key) for key in keys)
        return original(topic, keys)

    monkeypatch.setattr(outbox, "enqueue", enqueue)
    return seen


def test_queryset_and_object_rules_agree(world):
    """``public_q`` and ``is_public`` answer the same for every state."""
    now = timezone.now()
    subject = world["subject"]
    cases = {
        "public": {},
        "not live": {"live": False},
        "no date": {"published_at": None},
        "embargoed": {"embargo_until": now + timedelta(hours=1)},
        "embargo passed": {"embargo_until": now - timedelta(hours=1)},
        "private": {"is_private": True},
    }
    for name, fields in cases.items():
        ArticlePage.objects.filter(pk=subject.pk).update(
            live=True,
            published_at=subject.published_at,
            embargo_until=None,
            is_private=False,
        )
        ArticlePage.objects.filter(pk=subject.pk).update(**fields)
        article = ArticlePage.objects.get(pk=subject.pk)
        in_query = ArticlePage.objects.published().filter(pk=subject.pk).exists()
        assert visibility.is_public(article) is in_query, name


def test_card_appears_once_its_article_is_public(
    client, django_capture_on_commit_callbacks
):
    section = make_section()
    with django_capture_on_commit_callbacks(execute=True):
        target = make_article(
            section,
            title=HEADLINE,
            embargo_until=timezone.now() + timedelta(hours=1),
        )
        source = make_article(section, body=[card(target)])
    assert CardLink.objects.filter(article=source, target=target).exists()
    assert HEADLINE not in client.get(source.url).content.decode()
    assert HEADLINE not in ArticlePage.objects.get(pk=source.pk).body_html

    ArticlePage.objects.filter(pk=target.pk).update(
        embargo_until=timezone.now() - timedelta(seconds=1)
    )
    from masthead.content.services import release_embargoes

    with django_capture_on_commit_callbacks(execute=True):
        release_embargoes(timezone.now() - timedelta(minutes=1), timezone.now())
    assert HEADLINE in ArticlePage.objects.get(pk=source.pk).body_html
    assert HEADLINE in client.get(source.url).content.decode()


def test_card_to_a_draft_never_shows(client):
    section = make_section()
    draft = make_article(section, title=HEADLINE, publish=False)
    source = make_article(section, body=[card(draft)])
    assert HEADLINE not in client.get(source.url).content.decode()
    with_draft_published = publish_article(ArticlePage.objects.get(pk=draft.pk))
    assert with_draft_published.is_published
    assert HEADLINE in ArticlePage.objects.get(pk=source.pk).body_html


def test_privacy_flag_follows_restrictions(world, django_capture_on_commit_callbacks):
    subject, section = world["subject"], world["section"]
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.LOGIN
        )
    assert ArticlePage.objects.get(pk=subject.pk).is_private
    assert ArticlePage.objects.get(pk=world["neighbour"].pk).is_private
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert not ArticlePage.objects.get(pk=subject.pk).is_private
    assert ArticlePage.objects.published().filter(pk=subject.pk).exists()


def test_new_article_under_a_private_section_is_private():
    section = make_section()
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    article = make_article(section)
    assert ArticlePage.objects.get(pk=article.pk).is_private
    assert not ArticlePage.objects.published().filter(pk=article.pk).exists()


def test_private_page_shown_to_its_reader_is_never_shared(client, world):
    subject = world["subject"]
    restriction = PageViewRestriction.objects.create(
        page=subject, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    asked = client.get(subject.url)
    assert asked.status_code == 200
    assert HEADLINE not in asked.content.decode()
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{subject.pk}/",
        {"password": "s3cret", "return_url": subject.url},
    )
    shown = client.get(subject.url)
    assert shown.status_code == 200
    assert HEADLINE in shown.content.decode()
    assert shown.headers["Cache-Control"].startswith("private")
    assert cache.TAGS_HEADER not in shown.headers


def test_private_section_is_left_out_of_the_front_page_and_search_form(client):
    open_section = make_section("Open desk", "open-desk")
    closed = make_section("Closed desk", "closed-desk")
    make_article(open_section)
    make_article(closed)
    PageViewRestriction.objects.create(
        page=closed, restriction_type=PageViewRestriction.LOGIN
    )
    cache.reset()  # the restriction's purge is applied after commit
    for url in ("/", "/search/?q=anything"):
        text = client.get(url).content.decode()
        assert "Open desk" in text, url
        assert "Closed desk" not in text, url
