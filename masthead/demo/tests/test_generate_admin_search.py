"""Generated articles are found by the admin's page search (issue #14).

``generate`` writes rows, not pages through Wagtail, so Wagtail's search
index knew nothing of them and the admin's search found none.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from masthead.content.models import ArticlePage
from masthead.demo.bulk import GenerateOptions, generate

# Only Wagtail's SQLite index is written by generate; on PostgreSQL it says
# to run ``update_index`` (admin_search.py), which Wagtail's tests cover.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="generate writes the SQLite index only"
    ),
]

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SMALL = GenerateOptions(
    articles=120,
    authors=6,
    tags=10,
    sections=2,
    feed_items=5,
    big_tag_share=0.3,
    per_day=40,
    images=1,
    batch_size=50,
)


@pytest.fixture
def generated():
    with time_machine.travel(NOW, tick=True):
        yield generate(SMALL)


def entry_of(article: ArticlePage) -> tuple[str, str, str]:
    entry = IndexEntry.objects.get(object_id=str(article.pk))
    return entry.title, entry.autocomplete, entry.body


def test_the_admin_page_search_finds_a_generated_article(admin_client, generated):
    article = ArticlePage.objects.order_by("-pk").first()
    word = max(article.title.split(), key=len).strip(".,:;!?'\"")
    response = admin_client.get("/admin/pages/search/", {"q": word})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html5lib")
    edit_links = {a["href"] for a in soup.select("a[href]")}
    assert f"/admin/pages/{article.pk}/edit/" in edit_links


def test_every_generated_article_is_indexed_as_wagtail_would(generated):
    articles = ArticlePage.objects.all()
    assert (
        IndexEntry.objects.filter(
            object_id__in=[str(pk) for pk in articles.values_list("pk", flat=True)]
        ).count()
        == articles.count()
    )
    sample = articles.order_by("pk")[7]
    written = entry_of(sample)
    # What Wagtail's own indexing stores for the same page.
    get_search_backend().add(sample.specific)
    assert entry_of(sample) == written
