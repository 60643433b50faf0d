"""The demo's gated article (#17), over HTTP from the real server.

The home page links it; a reader without a pass gets the open part and the
invitation to join, never the rest, from the server's page cache.
"""

import json

import pytest
from bs4 import BeautifulSoup

from masthead.demo.gated import GATED_PARAGRAPHS, GATED_SLUG, OPEN_PARAGRAPHS

from .test_server import get

pytestmark = pytest.mark.integration


def test_the_home_page_links_a_gated_article_that_keeps_its_rest(server):
    base, _ = server
    status, _, body = get(f"{base}/")
    assert status == 200
    home = BeautifulSoup(body, "html.parser")
    links = {
        a["href"] for a in home.find_all("a", href=True) if GATED_SLUG in a["href"]
    }
    assert links, "the home page links the gated article"
    url = base + sorted(links)[0]
    for _ in range(2):
        # Rendered, then from the page cache: the same preview.
        status, headers, body = get(url)
        assert status == 200 and "public" in headers["Cache-Control"]
        text = body.decode()
        assert OPEN_PARAGRAPHS[0][:40] in text
        for paragraph in GATED_PARAGRAPHS:
            assert paragraph[:40] not in text
    page = BeautifulSoup(body, "html.parser")
    assert page.select_one(".membership-call") is not None
    data = [
        json.loads(s.string) for s in page.select('script[type="application/ld+json"]')
    ]
    article = next(item for item in data if "headline" in item)
    assert article["isAccessibleForFree"] is False
