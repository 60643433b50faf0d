"""Standard pages: About, policies, Contact; footer and publisher data (#14)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from masthead.content.factories import home_page, make_article
from masthead.content.models import StandardPage, StandardRole
from masthead.core.events import article_visibility_changed

pytestmark = pytest.mark.django_db


def make_standard_page(role, title, slug, *, publish=True, body="<p>Text.</p>"):
    page = StandardPage(title=title, slug=slug, role=role, body=body, live=publish)
    home_page().add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


def json_ld(soup) -> list[dict]:
    return [
        json.loads(s.string)
        for s in soup.find_all("script", type="application/ld+json")
    ]


def footer_links(soup) -> dict[str, str]:
    return {
        a.get_text(strip=True): a["href"] for a in soup.select(".site-footer nav a")
    }


def test_standard_page_renders_in_the_site_layout(client):
    page = make_standard_page(
        StandardRole.ETHICS,
        "Ethics policy",
        "ethics",
        body="<h2>Sources</h2><p>We name them.</p><script>alert(1)</script>",
    )
    page.intro = "How we work."
    page.save_revision().publish()
    response = client.get("/ethics/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    soup = BeautifulSoup(response.content, "html5lib")
    assert soup.select_one("main h1").get_text(strip=True) == "Ethics policy"
    assert soup.select_one(".standard-page__intro").get_text() == "How we work."
    body = soup.select_one(".standard-page__body")
    assert body.h2.get_text() == "Sources"
    assert body.find("script") is None
    assert soup.select_one(".site-header") is not None
    assert soup.select_one(".site-footer") is not None
    assert json_ld(soup)[0]["@type"] == "WebPage"


def test_about_page_is_an_about_page_about_the_publisher(client):
    make_standard_page(StandardRole.ABOUT, "About us", "about")
    make_standard_page(StandardRole.CORRECTIONS, "Corrections policy", "fixes")
    soup = BeautifulSoup(client.get("/about/").content, "html5lib")
    (data,) = json_ld(soup)
    assert data["@type"] == "AboutPage"
    assert data["about"]["@type"] == "NewsMediaOrganization"
    assert data["about"]["correctionsPolicy"] == "http://testserver/fixes/"


def test_footer_links_live_public_standard_pages_in_tree_order(client):
    make_standard_page(StandardRole.ABOUT, "About us", "about")
    make_standard_page(StandardRole.CONTACT, "Contact", "contact")
    make_standard_page(StandardRole.PRIVACY, "Privacy", "privacy", publish=False)
    secret = make_standard_page(StandardRole.OTHER, "Staff notes", "staff-notes")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.LOGIN
    )
    soup = BeautifulSoup(client.get(make_article().url).content, "html5lib")
    links = footer_links(soup)
    assert links["About us"] == "/about/"
    assert links["Contact"] == "/contact/"
    assert list(links).index("About us") < list(links).index("Contact")
    assert "Privacy" not in links
    assert "Staff notes" not in links


def test_publisher_json_ld_links_every_policy(client):
    for role, title, slug in [
        (StandardRole.ETHICS, "Ethics", "ethics"),
        (StandardRole.CORRECTIONS, "Corrections policy", "corrections-policy"),
        (StandardRole.VERIFICATION, "Fact-checking", "fact-checking"),
        (StandardRole.CONTACT, "Contact", "contact"),
        (StandardRole.MASTHEAD, "Our staff", "staff"),
        (StandardRole.OWNERSHIP, "Ownership and funding", "ownership"),
    ]:
        make_standard_page(role, title, slug)
    soup = BeautifulSoup(client.get(make_article().url).content, "html5lib")
    article = next(b for b in json_ld(soup) if "headline" in b)
    org = article["publisher"]
    assert org["@type"] == "NewsMediaOrganization"
    base = "http://testserver"
    assert org["publishingPrinciples"] == f"{base}/ethics/"
    assert org["ethicsPolicy"] == f"{base}/ethics/"
    assert org["correctionsPolicy"] == f"{base}/corrections-policy/"
    assert org["verificationFactCheckingPolicy"] == f"{base}/fact-checking/"
    assert org["actionableFeedbackPolicy"] == f"{base}/contact/"
    assert org["masthead"] == f"{base}/staff/"
    assert org["ownershipFundingInfo"] == f"{base}/ownership/"


def test_publisher_json_ld_has_no_policy_links_without_pages(client):
    soup = BeautifulSoup(client.get(make_article().url).content, "html5lib")
    org = next(b for b in json_ld(soup) if "headline" in b)["publisher"]
    assert "ethicsPolicy" not in org
    assert "masthead" not in org


def test_publishing_a_standard_page_purges_every_page(
    client, django_capture_on_commit_callbacks
):
    article = make_article()
    before = BeautifulSoup(client.get(article.url).content, "html5lib")
    assert "About us" not in footer_links(before)
    sent = []

    def record(sender, tags, **kwargs):
        sent.append(set(tags))

    article_visibility_changed.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_standard_page(StandardRole.ABOUT, "About us", "about")
    finally:
        article_visibility_changed.disconnect(record)
    assert any("site" in tags for tags in sent)
    soup = BeautifulSoup(client.get(article.url).content, "html5lib")
    assert footer_links(soup)["About us"] == "/about/"
    article_data = next(b for b in json_ld(soup) if "headline" in b)
    assert "publishingPrinciples" not in article_data["publisher"]


def test_unpublishing_a_standard_page_purges_every_page(client):
    page = make_standard_page(StandardRole.ABOUT, "About us", "about")
    sent = []

    def record(sender, tags, **kwargs):
        sent.append(set(tags))

    article_visibility_changed.connect(record)
    try:
        page.unpublish()
    finally:
        article_visibility_changed.disconnect(record)
    assert any("site" in tags for tags in sent)


def test_a_role_other_than_other_is_used_once():
    make_standard_page(StandardRole.ETHICS, "Ethics", "ethics")
    second = StandardPage(title="Ethics 2", slug="ethics-2", role=StandardRole.ETHICS)
    with pytest.raises(ValidationError) as error:
        home_page().add_child(instance=second)
    assert "role" in error.value.message_dict
    make_standard_page(StandardRole.OTHER, "Jobs", "jobs")
    make_standard_page(StandardRole.OTHER, "Advertise", "advertise")


def test_unknown_standard_page_url_is_a_404(client):
    make_standard_page(StandardRole.ABOUT, "About us", "about")
    assert client.get("/about/nothing-here/").status_code == 404


def test_editors_can_add_a_standard_page_and_choose_a_genre(admin_client):
    home = home_page()
    add = admin_client.get(f"/admin/pages/add/content/standardpage/{home.pk}/")
    assert add.status_code == 200
    form = BeautifulSoup(add.content, "html5lib")
    assert form.select_one("select[name=role]") is not None
    article = make_article()
    edit = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code == 200
    genre = BeautifulSoup(edit.content, "html5lib").select_one("select[name=genre]")
    assert [o["value"] for o in genre.select("option")][:3] == [
        "news",
        "analysis",
        "opinion",
    ]
