"""NINJS 2.0: valid against IPTC's schema, public articles only, never gated text.

The schema is IPTC's own ``ninjs-schema_2.0.json`` (github.com/iptc/newsinjson,
specification/, commit 6a595c9), with the GeoJSON schema its places refer
to (validation/test_suite/GeoJSON-schema.json), both in ``data/``.
"""

import json
from datetime import timedelta
from pathlib import Path

import jsonschema_rs
import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.content.visibility import Access
from masthead.core.factories import LibraryImageFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

DATA = Path(__file__).parent / "data"
GEOJSON = "https://geojson.org/schema/GeoJSON.json"
SECRET = "Zanzibarine"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((DATA / "ninjs-schema_2.0.json").read_text())
    geojson = json.loads((DATA / "GeoJSON-schema.json").read_text())
    registry = jsonschema_rs.Registry([(GEOJSON, geojson)])
    return jsonschema_rs.Draft4Validator(
        schema, validate_formats=True, registry=registry
    )


def errors(validator, document) -> list[str]:
    return [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(document)]


def test_schema_refuses_what_it_should(validator):
    # The validator is strict: these would pass a validator ignoring the schema.
    assert errors(validator, {"uri": "urn:masthead:article:1"}) == []
    assert errors(validator, {"uri": "urn:x:1", "firstcreated": "yesterday"})
    assert errors(validator, {"uri": "urn:x:1", "pubstatus": "live"})
    assert errors(validator, {"uri": "urn:x:1", "headline": "extra"})
    assert errors(validator, {"type": "text"})


@pytest.mark.django_db
def test_public_article_is_valid_ninjs(client, validator):
    author = AuthorFactory(name="Olena Kovalenko")
    tag = TagFactory(name="Rates")
    article = make_article(
        make_section("Business", "business"),
        authors=[author],
        tags=[tag],
        title="Rates held",
        standfirst="The bank waits.",
        hero_image=LibraryImageFactory(),
        hero_caption="The bank.",
    )
    response = client.get(f"/ninjs/{article.pk}.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    assert errors(validator, document) == []
    assert document["uri"] == f"urn:masthead:article:{article.pk}"
    assert document["type"] == "text"
    assert document["pubstatus"] == "usable"
    assert document["representationtype"] == "full"
    assert document["language"] == "en"
    assert document["headlines"] == [{"role": "main", "value": "Rates held"}]
    assert document["descriptions"][0]["value"] == "The bank waits."
    (body,) = document["bodies"]
    assert body["contenttype"] == "text/html"
    assert body["value"] == ArticlePage.objects.get(pk=article.pk).body_html
    assert [p["name"] for p in document["people"]] == ["Olena Kovalenko"]
    assert [s["name"] for s in document["subjects"]] == ["Rates"]
    (hero,) = document["associations"]
    assert hero["type"] == "picture"
    (rendition,) = hero["renditions"]
    assert rendition["href"].startswith("http://testserver/")
    assert rendition["width"] > 0


@pytest.mark.django_db
def test_response_is_cacheable_and_revalidates(client):
    article = make_article()
    response = client.get(f"/ninjs/{article.pk}.json")
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" in directives
    assert response["Last-Modified"]
    again = client.get(
        f"/ninjs/{article.pk}.json", headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.django_db
def test_gated_article_gives_only_the_open_part(client, validator):
    article = make_article(
        body=[
            ("paragraph", "<p>Open words.</p>"),
            ("members_only", None),
            ("paragraph", f"<p>The {SECRET} ledger.</p>"),
        ],
        access=Access.PAID,
    )
    response = client.get(f"/ninjs/{article.pk}.json")
    document = response.json()
    assert errors(validator, document) == []
    assert document["representationtype"] == "partial"
    assert SECRET not in response.content.decode()
    assert "Open words." in document["bodies"][0]["value"]


def _draft():
    return make_article(publish=False)


def _embargoed():
    return make_article(embargo_until=timezone.now() + timedelta(hours=1))


def _private():
    article = make_article()
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    return article


def _unpublished():
    article = make_article()
    ArticlePage.objects.get(pk=article.pk).unpublish()
    return article


@pytest.mark.django_db
@pytest.mark.parametrize("hidden", [_draft, _embargoed, _private, _unpublished])
def test_hidden_articles_are_404(client, hidden):
    article = hidden()
    assert client.get(f"/ninjs/{article.pk}.json").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ninjs/0.json", "/ninjs/99999999999999999999.json"])
def test_unknown_ids_are_404(client, path):
    assert client.get(path).status_code == 404
