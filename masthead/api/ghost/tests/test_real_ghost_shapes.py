"""Every field a real Ghost 5.130 answers with is in Masthead's answers too.

The two JSON files in data/ are answers of a Ghost 5.130.4 installed from
npm (the one that made the importer's real export, #18), to a Content API
browse with ``include=tags,authors`` and an Admin API post read. Clients
written against Ghost read these keys; a missing one is a ``undefined`` in
their code.
"""

import json
from pathlib import Path

import pytest

from masthead.content.factories import make_article
from masthead.taxonomy.factories import TagFactory

from .helpers import auth, integration

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def real(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def missing(ghost: dict, ours: dict) -> list[str]:
    return sorted(set(ghost) - set(ours))


def test_content_api_browse_has_every_key_ghost_has(client):
    found = integration()
    make_article(title="Harbour works", tags=[TagFactory(name="Harbour")])
    ghost = real("ghost-5.130-content-posts-browse.json")
    ours = client.get(
        "/ghost/api/content/posts/",
        {"key": found.content_key, "include": "tags,authors", "limit": 2},
    ).json()
    assert set(ours) == set(ghost)
    assert set(ours["meta"]["pagination"]) == set(ghost["meta"]["pagination"])
    post, ghost_post = ours["posts"][0], ghost["posts"][0]
    assert missing(ghost_post, post) == []
    assert missing(ghost_post["tags"][0], post["tags"][0]) == []
    assert missing(ghost_post["authors"][0], post["authors"][0]) == []


def test_admin_api_post_read_has_every_key_ghost_has(client):
    found = integration()
    article = make_article(title="Harbour works")
    ghost = real("ghost-5.130-admin-post-read.json")["posts"][0]
    ours = client.get(
        f"/ghost/api/admin/posts/{article.pk}/",
        {"formats": "html,lexical", "include": "tags,authors"},
        **auth(found),
    )
    assert ours.status_code == 200, ours.content
    assert missing(ghost, ours.json()["posts"][0]) == []
