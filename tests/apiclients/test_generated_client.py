"""A Python client generated from /api/openapi.json reads the live API (#18).

openapi-python-client turns the document into a typed package; if the
document describes the API badly, generating, importing or calling fails.
"""

import importlib
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.apiclients

GENERATOR = str(Path(sys.executable).with_name("openapi-python-client"))


def test_generated_client_lists_and_reads_articles(server, tmp_path, monkeypatch):
    base, _env = server
    schema = tmp_path / "openapi.json"
    with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=30) as response:
        schema.write_bytes(response.read())
    output = tmp_path / "client"
    subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(output),
            "--meta",
            "none",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    package = importlib.import_module("client")
    api = importlib.import_module("client.api.content_api")
    listing = importlib.import_module(
        f"{api.__name__}.masthead_api_content_list_articles"
    )
    detail = importlib.import_module(f"{api.__name__}.masthead_api_content_get_article")
    client = package.Client(base_url=base, raise_on_unexpected_status=True)
    with client:
        page = listing.sync(client=client, limit=3)
        assert page is not None and len(page.articles) == 3
        assert page.page.next_cursor
        first = page.articles[0]
        article = detail.sync(client=client, id=first.id)
        assert article is not None
        assert article.title == first.title and article.body_html
        older = listing.sync(client=client, limit=3, cursor=page.page.next_cursor)
        assert {a.id for a in older.articles}.isdisjoint({a.id for a in page.articles})
