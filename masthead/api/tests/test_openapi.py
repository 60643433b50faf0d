"""The OpenAPI document and the reference page built from it (#18)."""

import json
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


def test_openapi_document_describes_every_operation(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert "/api/v1/articles" in paths and "/api/v1/admin/articles" in paths
    for path, item in paths.items():
        operations = {m: o for m, o in item.items() if m in METHODS}
        assert operations, path
        for method, operation in operations.items():
            success = [s for s in operation["responses"] if s.startswith("2")]
            assert success, (method, path)
            for status in success:
                content = operation["responses"][status]["content"]
                assert content["application/json"]["schema"], (method, path)
            for status in ("400", "401"):
                assert status in operation["responses"], (method, path, status)
    schemes = document["components"]["securitySchemes"]
    assert schemes["AdminKey"] == {"type": "http", "scheme": "bearer"}


def test_no_schema_offers_the_gated_part(client):
    document = client.get("/api/openapi.json").json()
    assert "gated_html" not in json.dumps(document)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.scripts = 0
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "section" and "operation" in (found.get("class") or ""):
            self.sections.append(found["id"])
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            if (found.get(name) or "").startswith(("http:", "https:", "//")):
                self.external.append(found[name])


def test_reference_page_lists_every_operation_without_scripts(client):
    document = client.get("/api/openapi.json").json()
    operation_ids = [
        operation["operationId"]
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in METHODS
    ]
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = _Page()
    page.feed(response.content.decode())
    assert page.sections == operation_ids
    # Nothing to load from elsewhere: the strict CSP and offline use hold.
    assert page.scripts == 0 and page.external == []
