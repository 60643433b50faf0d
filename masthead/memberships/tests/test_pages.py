"""The public membership page, ``/membership/`` (#17).

Also the page cache in front of it: one shared copy for every reader,
dropped when a tier changes.
"""

import pytest
from django.conf import settings

from masthead import cache
from masthead.cache import STATUS_HEADER
from masthead.cache.tests.reader import get_as_reader

from .shown import main, soup, text, tier

pytestmark = pytest.mark.django_db

DEMO_LABEL = "Payments on this site are a demonstration: no money moves."


@pytest.fixture
def tiers():
    tier(
        "patron",
        1500,
        15000,
        name="Patron",
        sort_order=3,
        benefits="Everything in Supporter\nNewsroom briefings",
    )
    tier("free", name="Free", sort_order=1, description="Read and sign up.")
    tier(
        "supporter",
        500,
        5000,
        name="Supporter",
        sort_order=2,
        benefits="A monthly letter\n\n  Your name on our page  ",
    )
    tier("staff", 100, name="Staff only", is_public=False)


def sections(response) -> dict[str, dict]:
    """Each tier's section: heading, benefits, prices and links, in page order."""
    found = {}
    for section in main(response).select("section.memberships-tier"):
        heading = section.select_one("h2")
        labelled = section["aria-labelledby"]
        assert heading is not None and heading["id"] == labelled
        benefits = section.select("ul.memberships-benefits li")
        prices = section.select(".memberships-prices li") or section.select(
            "p.memberships-prices"
        )
        found[text(heading)] = {
            "benefits": [text(item) for item in benefits],
            "prices": [text(price) for price in prices],
            "links": {text(a): a["href"] for a in section.select("a")},
        }
    return found


def test_public_tiers_in_order_with_benefits_and_formatted_prices(
    client, tiers, django_assert_max_num_queries
):
    client.get("/membership/")  # the site's chrome, kept after one request

    with django_assert_max_num_queries(2):
        response = client.get("/membership/")

    assert response.status_code == 200
    shown = sections(response)
    assert list(shown) == ["Free", "Supporter", "Patron"]
    assert shown["Free"]["prices"] == ["Free"]
    assert shown["Supporter"]["prices"] == ["€5.00 a month", "€50.00 a year"]
    assert shown["Patron"]["prices"] == ["€15.00 a month", "€150.00 a year"]
    assert shown["Supporter"]["benefits"] == [
        "A monthly letter",
        "Your name on our page",
    ]
    assert shown["Free"]["benefits"] == []
    assert [text(h) for h in main(response).select("h1")] == ["Membership"]


def test_each_tier_links_to_join_and_paid_ones_to_give_as_a_gift(client, tiers):
    shown = sections(client.get("/membership/"))

    assert shown["Free"]["links"] == {"Join Free": "/membership/join/free/"}
    assert shown["Supporter"]["links"] == {
        "Join Supporter": "/membership/join/supporter/",
        "Give Supporter as a gift": "/membership/gift/supporter/",
    }
    assert shown["Patron"]["links"]["Join Patron"] == "/membership/join/patron/"


def test_donation_section_links_to_the_donation_page(client, tiers):
    page = main(client.get("/membership/"))
    donate = page.select_one("section.memberships-donate")
    assert donate is not None
    assert text(donate.select_one("h2")) == "Make a donation"
    assert [a["href"] for a in donate.select("a")] == ["/membership/donate/"]


def test_page_is_shared_by_every_reader_with_no_form_or_token(client, tiers):
    response = client.get("/membership/")

    assert "public" in response["Cache-Control"]
    assert "private" not in response["Cache-Control"]
    assert cache.MEMBERSHIPS in response[cache.TAGS_HEADER].split()
    assert not response.cookies
    assert not main(response).select("form")
    assert not soup(response).select("input[name=csrfmiddlewaretoken]")


def test_page_answers_head_and_refuses_post(client, tiers):
    assert client.head("/membership/").status_code == 200
    assert client.post("/membership/").status_code == 405


def test_demo_label_shows_only_with_the_demo_provider(client, settings, tiers):
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    notes = main(client.get("/membership/")).select("[role=note]")
    assert [text(note) for note in notes] == [DEMO_LABEL]

    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    page = main(client.get("/membership/"))
    assert DEMO_LABEL not in text(page)
    assert not page.select("[role=note]")


def test_no_tiers_yet_says_so_and_still_offers_donations(client):
    page = main(client.get("/membership/"))
    assert "There are no memberships to join yet." in text(page)
    assert page.select_one("a[href='/membership/donate/']") is not None


def test_ukrainian_edition_writes_prices_its_way_and_links_its_pages(client, tiers):
    response = client.get("/uk/membership/")

    assert response.status_code == 200
    assert soup(response).select_one("html")["lang"] == "uk"
    page = main(response)
    supporter = page.select_one("#tier-supporter").find_parent("section")
    # text() folds the no-break spaces into plain ones.
    prices = [text(item) for item in supporter.select(".memberships-prices li")]
    assert prices[0].startswith("5,00 €")
    assert prices[1].startswith("50,00 €")
    hrefs = {a["href"] for a in supporter.select("a")}
    assert hrefs == {"/uk/membership/join/supporter/", "/uk/membership/gift/supporter/"}


# --- the page cache in front ------------------------------------------------


def through(app, path: str, cookie: str = "") -> tuple[str, dict[str, str], bytes]:
    """GET ``path`` through ``app`` as a reader; headers by lower-case name."""
    status, headers, body = get_as_reader(app, path, cookie)
    return status, {name.lower(): value for name, value in headers}, body


def test_page_is_one_cached_copy_for_everyone(page_cache, tiers):
    csrf = f"{settings.CSRF_COOKIE_NAME}=abcdefghijklmnopqrstuvwxyz012345"

    for path in ("/membership/", "/uk/membership/"):
        first = through(page_cache, path, csrf)
        second = through(page_cache, path)
        assert first[0].startswith("200")
        assert second[1][STATUS_HEADER.lower()] == "hit"
        assert "set-cookie" not in first[1]
        assert second[2] == first[2]


def test_changing_or_deleting_a_tier_drops_the_cached_page(
    page_cache, django_capture_on_commit_callbacks
):
    supporter = tier("supporter", 500, 5000, name="Supporter")
    gone = tier("patron", 1500, 15000, name="Patron")
    through(page_cache, "/membership/")
    assert through(page_cache, "/membership/")[1][STATUS_HEADER.lower()] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        supporter.monthly_price = 700
        supporter.save()
    _status, headers, body = through(page_cache, "/membership/")
    assert headers[STATUS_HEADER.lower()] != "hit"
    assert "€7.00 a month".encode() in body

    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    _status, headers, body = through(page_cache, "/membership/")
    assert headers[STATUS_HEADER.lower()] != "hit"
    assert b"Patron" not in body
