"""Ghost's official npm clients, unchanged, against a live Masthead (issue #18).

@tryghost/content-api and @tryghost/admin-api (versions in package.json,
installed by setup.sh) get only the site's URL and an integration's keys,
as a newsroom's script leaving Ghost would. The node scripts print JSON;
what they say is checked here, and the published story on the public site
with an HTML parser.
"""

import io
import json
import re
import shutil
import subprocess
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from tests.server import MASTHEAD

pytestmark = pytest.mark.apiclients
HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def keys(server):
    if not shutil.which("node") or not (HERE / "node_modules" / "@tryghost").is_dir():
        pytest.skip(
            "node or the Ghost clients are missing: run tests/apiclients/setup.sh"
        )
    base, env = server
    printed = subprocess.run(
        [MASTHEAD, "integration", "create", "Ghost clients"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    content = re.search(r"Content API key: ([0-9a-f]{26})", printed)
    admin = re.search(r"Admin API key: ([0-9a-f]{24}:[0-9a-f]{64})", printed)
    assert content and admin, printed
    return base, content.group(1), admin.group(1)


def run(keys, script, *args, ok=True):
    base, content, admin = keys
    env = {"PATH": "/usr/bin:/bin", "GHOST_URL": base}
    env |= {"GHOST_CONTENT_KEY": content, "GHOST_ADMIN_KEY": admin}
    finished = subprocess.run(
        [
            "node",
            HERE / script,
            *[a if isinstance(a, str) else json.dumps(a) for a in args],
        ],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = json.loads(finished.stdout)
    assert (finished.returncode == 0) == ok, (finished.stderr, output)
    return output


class Headline(HTMLParser):
    """The text of the page's first ``h1``."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = []
        self.seen = False

    def handle_starttag(self, tag, attrs):
        if tag == "h1" and not self.seen:
            self.depth = 1
        elif self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.seen = self.seen or self.depth == 0

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    @property
    def text(self):
        return " ".join("".join(self.parts).split())


def headline_at(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        parser = Headline()
        parser.feed(response.read().decode())
        return parser.text


def test_content_client_browses_with_filter_and_includes(keys):
    everything = run(
        keys, "content.mjs", "posts", "browse", {"limit": "all", "include": "tags"}
    )
    tagged = next(p for p in everything["result"] if p.get("tags"))
    slug = tagged["tags"][0]["slug"]
    output = run(
        keys,
        "content.mjs",
        "posts",
        "browse",
        {"filter": f"tag:{slug}", "include": "tags,authors", "limit": 5},
    )
    posts = output["result"]
    assert posts and output["meta"]["pagination"]["limit"] == 5
    for post in posts:
        assert slug in [t["slug"] for t in post["tags"]]
        assert post["authors"] and post["primary_author"]["slug"]
    read = run(
        keys,
        "content.mjs",
        "posts",
        "read",
        {"slug": posts[0]["slug"], "include": "tags"},
    )
    assert read["result"]["id"] == posts[0]["id"]
    assert read["result"]["html"]


def test_content_client_reports_ghost_errors(keys):
    missing = run(
        keys, "content.mjs", "posts", "read", {"slug": "no-such-story"}, ok=False
    )
    assert missing["error"]["name"] == "NotFoundError"
    base = keys[0]
    bad = run(
        keys, "content.mjs", "posts", "browse", {"filter": "colour:red"}, ok=False
    )
    assert bad["error"]["type"] == "ValidationError"
    settings = run(keys, "content.mjs", "settings", "browse", {})
    assert settings["result"]["url"] == f"{base}/"


def test_admin_client_publishes_html_and_it_is_on_the_site(keys):
    html = "<p>Written by a <strong>script</strong>.</p><h2>Then</h2><p>More words.</p>"
    draft = run(
        keys,
        "admin.mjs",
        "add-post",
        {"title": "Pumps bought twice, again", "html": html, "tags": ["Ghost import"]},
        {"source": "html"},
    )["result"]
    assert draft["status"] == "draft"
    published = run(
        keys,
        "admin.mjs",
        "edit-post",
        {"id": draft["id"], "status": "published", "updated_at": draft["updated_at"]},
    )["result"]
    assert published["status"] == "published"
    stale = run(
        keys,
        "admin.mjs",
        "edit-post",
        {"id": draft["id"], "title": "Stale", "updated_at": draft["updated_at"]},
        ok=False,
    )
    assert stale["error"]["name"] == "UpdateCollisionError"
    assert headline_at(published["url"]) == "Pumps bought twice, again"
    listed = run(keys, "content.mjs", "posts", "browse", {"filter": "tag:ghost-import"})
    assert [p["id"] for p in listed["result"]] == [draft["id"]]


def test_admin_client_creates_from_lexical_with_an_uploaded_image(keys, tmp_path):
    picture = tmp_path / "square.png"
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), "teal").save(buffer, "PNG")
    picture.write_bytes(buffer.getvalue())
    image = run(
        keys, "admin.mjs", "upload-image", {"file": str(picture), "ref": "square"}
    )
    assert image["result"]["ref"] == "square"
    with urllib.request.urlopen(image["result"]["url"], timeout=10) as response:
        assert response.status == 200
    lexical = {
        "root": {
            "type": "root",
            "children": [
                {
                    "type": "paragraph",
                    "children": [{"type": "text", "text": "From Lexical", "format": 2}],
                },
                {"type": "image", "src": image["result"]["url"], "alt": "A square"},
            ],
        }
    }
    post = run(
        keys,
        "admin.mjs",
        "add-post",
        {
            "title": "A Lexical story",
            "lexical": json.dumps(lexical),
            "status": "published",
            "feature_image": image["result"]["url"],
        },
    )["result"]
    assert post["status"] == "published"
    assert "<i>From Lexical</i>" in post["html"]
    assert post["feature_image"]
    assert headline_at(post["url"]) == "A Lexical story"


def test_admin_client_with_a_wrong_secret_is_refused(keys):
    base, content, admin = keys
    wrong = (base, content, admin.split(":")[0] + ":" + "0" * 64)
    output = run(wrong, "admin.mjs", "browse-posts", {}, ok=False)
    assert output["error"]["name"] == "UnauthorizedError"
