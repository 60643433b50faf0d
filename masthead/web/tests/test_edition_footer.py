"""The footer's links and copyright notice in each edition's language (#15)."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from masthead.content.factories import home_page
from masthead.core.models import SiteSettings, other_edition_choices

pytestmark = pytest.mark.django_db

ENGLISH_LINKS = [("Contact us", "https://example.com/contact")]
UKRAINIAN_LINKS = [("Зв'язатися з нами", "https://example.com/uk/contact")]


def links(pairs):
    return [{"label": label, "url": url} for label, url in pairs]


@pytest.fixture
def site_settings():
    home_page("uk")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.footer_links = [("link", link) for link in links(ENGLISH_LINKS)]
    site_settings.copyright_notice = "© 2026 Masthead News"
    site_settings.save()
    return site_settings


def footer(client, path) -> tuple[list[tuple[str, str]], str | None]:
    """The footer's own links (not the archive's) and its copyright line."""
    response = client.get(path)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html5lib")
    nav = soup.select_one(".site-footer nav")
    copyright_line = soup.select_one(".site-footer__copyright")
    return (
        [(a.get_text(strip=True), str(a["href"])) for a in nav.select("a")]
        if nav
        else [],
        copyright_line.get_text(strip=True) if copyright_line else None,
    )


def test_ukrainian_pages_show_the_ukrainian_footer(client, site_settings):
    site_settings.edition_footers = [
        (
            "edition",
            {
                "edition": "uk",
                "links": links(UKRAINIAN_LINKS),
                "copyright_notice": "© 2026 Масthead Новини",
            },
        )
    ]
    site_settings.save()

    assert footer(client, "/uk/") == (UKRAINIAN_LINKS, "© 2026 Масthead Новини")
    assert footer(client, "/") == (ENGLISH_LINKS, "© 2026 Masthead News")
    assert footer(client, "/uk/news-feed/") == (
        UKRAINIAN_LINKS,
        "© 2026 Масthead Новини",
    )


def test_blank_edition_fields_show_the_main_editions(client, site_settings):
    site_settings.edition_footers = [
        ("edition", {"edition": "uk", "links": [], "copyright_notice": "© Новини"})
    ]
    site_settings.save()

    assert footer(client, "/uk/") == (ENGLISH_LINKS, "© Новини")


def test_edition_without_its_footer_shows_the_main_editions(client, site_settings):
    assert footer(client, "/uk/") == (ENGLISH_LINKS, "© 2026 Masthead News")


def test_saving_the_settings_changes_the_kept_footer(
    client, site_settings, django_capture_on_commit_callbacks
):
    assert footer(client, "/uk/")[1] == "© 2026 Masthead News"
    site_settings.edition_footers = [
        ("edition", {"edition": "uk", "links": [], "copyright_notice": "© Новини"})
    ]
    with django_capture_on_commit_callbacks(execute=True):
        site_settings.save()

    assert footer(client, "/uk/")[1] == "© Новини"


def test_regional_variant_reads_its_languages_footer(site_settings):
    site_settings.edition_footers = [
        ("edition", {"edition": "uk", "links": [], "copyright_notice": "© Новини"})
    ]
    assert site_settings.copyright_notice_in("uk-ua") == "© Новини"
    assert site_settings.copyright_notice_in("en") == "© 2026 Masthead News"
    assert [link["label"] for link in site_settings.footer_links_in("uk")] == [
        "Contact us"
    ]


def test_settings_screen_offers_the_other_editions(admin_client, site_settings):
    response = admin_client.get(
        f"/admin/settings/core/sitesettings/{site_settings.site_id}/"
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html5lib")
    assert soup.select_one('[data-contentpath="edition_footers"]') is not None
    # The editions an entry may name: every one but the main edition.
    assert other_edition_choices() == [("uk", "Українська")]
