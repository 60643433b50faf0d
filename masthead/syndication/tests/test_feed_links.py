"""``{% feed_links %}``: discovery links, no queries."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template

from masthead.content.factories import make_article, make_section
from masthead.core.models import SiteSettings
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

SITE_LINKS = [
    ("application/rss+xml", "/feeds/rss/"),
    ("application/atom+xml", "/feeds/atom/"),
    ("application/feed+json", "/feeds/json/"),
    ("application/rss+xml", "/feeds/news-feed/rss/"),
    ("application/feed+json", "/feeds/news-feed/json/"),
]


def render(django_assert_num_queries, obj=None, **context) -> list[dict]:
    template = Template("{% load syndication_tags %}{% feed_links obj %}")
    with django_assert_num_queries(0):
        output = template.render(Context({"obj": obj, **context}))
    soup = BeautifulSoup(output, "html.parser")
    return [link.attrs for link in soup.find_all("link")]


def test_without_an_object_the_site_feeds_are_advertised(django_assert_num_queries):
    links = render(django_assert_num_queries)

    assert [(link["type"], link["href"]) for link in links] == SITE_LINKS
    assert all(link["rel"] == ["alternate"] and link["title"] for link in links)


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_a_section_tag_or_author_adds_its_own_feeds(django_assert_num_queries, kind):
    obj = {
        "section": lambda: make_section(title="Україна", slug="україна"),
        "tag": lambda: TagFactory(name="Energy", slug="energy"),
        "author": lambda: AuthorFactory(name="Olena Test", slug="olena-test"),
    }[kind]()

    links = render(django_assert_num_queries, obj)

    site = len(SITE_LINKS)
    assert [(link["type"], link["href"]) for link in links[:site]] == SITE_LINKS
    own = links[site:]
    assert [link["type"] for link in own] == [
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
    ]
    base = f"/feeds/{kind}/{obj.slug}/"
    encoded = "%D1%83%D0%BA%D1%80%D0%B0%D1%97%D0%BD%D0%B0"
    assert [link["href"] for link in own] == [
        f"{base}{format}/".replace("україна", encoded)
        for format in ("rss", "atom", "json")
    ]
    name = getattr(obj, "title", None) or obj.name
    assert all(name in link["title"] for link in own)


def test_advertised_unicode_section_feed_resolves(client):
    make_section(title="Україна", slug="україна")

    assert client.get("/feeds/section/україна/rss/").status_code == 200


def test_other_objects_get_only_the_site_feeds(django_assert_num_queries):
    article = make_article()

    links = render(django_assert_num_queries, article)

    assert [(link["type"], link["href"]) for link in links] == SITE_LINKS


def test_titles_use_the_publication_name_already_in_the_context(
    django_assert_num_queries,
):
    links = render(
        django_assert_num_queries,
        site_settings=SiteSettings(publication_name="Kyiv Daily"),
    )

    assert links[0]["title"] == "Kyiv Daily: Latest stories (RSS)"
