"""deploy/varnish/masthead.vcl against two fake app processes.

The fakes answer with whatever the test asks for in the query string
(``tags``, ``ttl``, ``status``, ``cc``, ``cookie``), so each rule of the
app-Varnish contract is checked on its own, without the app: what is stored,
for how long, what passes, how BAN by tag works and who may send it. Every
test uses its own paths and tags, so tests never see each other's objects.
"""

import gzip
import json
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.scaleout.stack import (
    SERVICES,
    check_torn_down,
    read_env,
    request,
    tear_down,
    wait_until,
)

pytestmark = pytest.mark.scaleout


class FakeApp(ThreadingHTTPServer):
    """An app process that answers as the query string says and counts."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.hits: Counter = Counter()
        self.cookies: dict[str, str | None] = {}
        self.failing = False
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]


class FakeHandler(BaseHTTPRequestHandler):
    server: FakeApp

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        with self.server.lock:
            self.server.hits[url.path] += 1
            count = self.server.hits[url.path]
            self.server.cookies[url.path] = self.headers.get("Cookie")
        status = 500 if self.server.failing else int(query.get("status", "200"))
        body = json.dumps(
            {"port": self.server.port, "count": count, "path": url.path}
        ).encode()
        body += b" " * 2000  # enough text for gzip to matter
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", query.get("cc", "public, max-age=60"))
        if query.get("tags", "site") and status < 500:
            self.send_header("X-Cache-Tags", query.get("tags", "site"))
            self.send_header("X-Masthead-TTL", query.get("ttl", "300"))
        if query.get("cookie"):
            self.send_header("Set-Cookie", "sessionid=abc; HttpOnly")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def varnish():
    """Varnish with our VCL in front of two fake apps: ``(base_url, fakes)``."""
    fakes = [FakeApp(), FakeApp()]
    directory = Path(tempfile.mkdtemp(prefix="masthead-vcl-"))
    ports = ",".join(str(fake.port) for fake in fakes)
    command = ["bash", str(SERVICES), "--dir", str(directory)]
    try:
        subprocess.run(
            [*command, "up", "--only", "varnish", "--app-ports", ports],
            check=True,
            timeout=120,
        )
        yield read_env(directory)["MASTHEAD_FRONT_URL"], fakes
    finally:
        problems = tear_down(directory)
        for fake in fakes:
            fake.shutdown()
            fake.server_close()
        check_torn_down(problems)


def hits(fakes, path: str) -> int:
    return sum(fake.hits[path] for fake in fakes)


def body(response) -> dict:
    return json.loads(response.body)


def ban(base: str, tags: str | None, source: str | None = None):
    headers = {} if tags is None else {"X-Purge-Tags": tags}
    return request(f"{base}/", "BAN", headers=headers, source=source)


def test_tagged_page_is_a_hit_the_second_time_without_its_tags(varnish):
    base, fakes = varnish
    first = request(f"{base}/hit?tags=site%20hit-1&ttl=300")
    second = request(f"{base}/hit?tags=site%20hit-1&ttl=300")
    assert (first.status, first.cache) == (200, "MISS")
    assert (second.status, second.cache) == (200, "HIT")
    assert body(second) == body(first)
    assert hits(fakes, "/hit") == 1
    for response in (first, second):
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert "X-Cache-Tags" not in response.headers
        assert "X-Masthead-TTL" not in response.headers
    # The copy is kept current by bans: browsers get the app's full max-age.
    assert "Age" not in second.headers


def test_misses_are_spread_over_both_app_processes(varnish):
    base, fakes = varnish
    ports = {body(request(f"{base}/spread/{n}?tags=spread"))["port"] for n in range(4)}
    assert ports == {fake.port for fake in fakes}


def test_ban_removes_every_object_with_a_tag_as_a_whole_word(varnish):
    base, _ = varnish
    urls = {
        "one": f"{base}/ban/one?tags=site%20ban-article-1",
        "twelve": f"{base}/ban/twelve?tags=site%20ban-article-12",
        "section": f"{base}/ban/section?tags=ban-section-3%20site",
        "other": f"{base}/ban/other?tags=site%20ban-home",
    }
    for url in urls.values():
        request(url)
        assert request(url).cache == "HIT"

    response = ban(base, "  ban-article-1   ban-section-3 ")

    assert response.status == 200
    after = {name: request(url).cache for name, url in urls.items()}
    assert after == {"one": "MISS", "twelve": "HIT", "section": "MISS", "other": "HIT"}


def test_banned_copy_is_never_served_stale(varnish):
    base, fakes = varnish
    url = f"{base}/stale-ban?tags=stale-ban&ttl=1"
    request(url)
    time.sleep(1.5)  # past its TTL, within its grace
    ban(base, "stale-ban")
    response = request(url)
    assert response.cache == "MISS"
    assert hits(fakes, "/stale-ban") == 2  # fetched while the reader waited


def test_ban_from_outside_the_purgers_acl_is_refused(varnish):
    base, _ = varnish
    url = f"{base}/acl?tags=acl-tag"
    request(url)
    # 127.0.0.2 is loopback but not in the ACL (127.0.0.1 and ::1).
    assert ban(base, "acl-tag", source="127.0.0.2").status == 403
    assert request(url).cache == "HIT"


@pytest.mark.parametrize("tags", [None, "", ".*", "a|b", "tag)(", 'x" || obj.status'])
def test_ban_accepts_only_space_separated_tags(varnish, tags):
    base, _ = varnish
    url = f"{base}/bad-ban?tags=bad-ban"
    request(url)
    assert ban(base, tags).status == 400
    assert request(url).cache == "HIT"


@pytest.mark.parametrize(
    "query",
    [
        "tags=",  # untagged
        "tags=&status=404",  # an article not released yet
        "tags=nope&status=404&ttl=0",  # tagged but no time to keep
        "tags=nope&cc=private,%20no-store",  # private despite tags
        "tags=nope&cookie=1",  # sets a cookie
    ],
)
def test_responses_outside_the_contract_are_never_stored(varnish, query):
    base, fakes = varnish
    path = "/never/" + urllib.parse.quote(query, safe="")
    responses = [request(f"{base}{path}?{query}") for _ in range(3)]
    assert [r.cache for r in responses] == ["MISS"] * 3
    assert hits(fakes, path) == 3


def test_admin_and_signed_in_requests_pass_with_their_cookies(varnish):
    base, fakes = varnish
    for path, cookie in (
        ("/admin/pages/", "csrftoken=c"),
        ("/django-admin/", None),
        ("/signed-in", "csrftoken=c; sessionid=s"),
        # A member's access pass: a gated article differs by it (#17).
        ("/gated", "csrftoken=c; masthead_access=p"),
    ):
        headers = {"Cookie": cookie} if cookie else {}
        for _ in range(2):
            assert request(f"{base}{path}?tags=pass", headers=headers).cache == "MISS"
        assert hits(fakes, path) == 2
        assert {fake.cookies.get(path) for fake in fakes} - {None} <= {cookie}


def test_other_cookies_are_dropped_and_the_page_shared(varnish):
    base, fakes = varnish
    url = f"{base}/shared?tags=shared"
    first = request(url, headers={"Cookie": "csrftoken=a; _pk_id=1"})
    second = request(url, headers={"Cookie": "csrftoken=b"})
    assert (first.cache, second.cache) == ("MISS", "HIT")
    assert all(fake.cookies.get("/shared") is None for fake in fakes)


def test_writes_pass(varnish):
    base, fakes = varnish
    for _ in range(2):
        assert request(f"{base}/write?tags=w", "POST", body=b"x").cache == "MISS"
    assert hits(fakes, "/write") == 2


def test_ttl_comes_from_the_app_then_the_copy_is_refreshed(varnish):
    base, fakes = varnish
    short = f"{base}/ttl-short?tags=ttl&ttl=1"
    long = f"{base}/ttl-long?tags=ttl&ttl=300"
    request(short)
    request(long)
    time.sleep(1.5)
    # Past its TTL the old copy answers at once while a fresh one is fetched.
    assert request(short).status == 200
    wait_until(lambda: hits(fakes, "/ttl-short") == 2, 3, message="no refresh")
    assert request(short).cache == "HIT"
    assert request(long).cache == "HIT"
    assert hits(fakes, "/ttl-long") == 1


def test_expired_copy_survives_a_failing_refresh(varnish):
    base, fakes = varnish
    url = f"{base}/outage?tags=outage&ttl=1"
    original = body(request(url))
    time.sleep(1.5)
    for fake in fakes:
        fake.failing = True
    try:
        for _ in range(3):
            response = request(url)
            assert response.status == 200
            assert body(response) == original
            time.sleep(0.3)
        assert hits(fakes, "/outage") >= 2  # refreshes were tried, and failed
    finally:
        for fake in fakes:
            fake.failing = False


def test_text_is_stored_gzipped_and_served_either_way(varnish):
    base, _ = varnish
    url = f"{base}/gzip?tags=gzip"
    plain = request(url)
    zipped = request(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.cache == "HIT"
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == plain.body
    assert "Content-Encoding" not in plain.headers
