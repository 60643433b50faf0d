import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_article
from masthead.core.sanitize import clean_html
from masthead.feed.factories import NewsFeedItemFactory
from masthead.people.factories import AuthorFactory

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
    "<object data=x></object><embed src=x>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    "<details open ontoggle=alert(1)>",
    '"><script>alert(1)</script>',
]


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "poster"}


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# Data blocks: a browser never runs a script element of a type that is not
# JavaScript's (HTML, "data block"); JSON-LD and the scripts' wording (#15).
DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}


def assert_inert(soup):
    """Nothing in the document can run script."""
    assert not soup.find_all(
        "script", src=False, type=lambda t: t not in DATA_BLOCK_TYPES
    )
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), element
            if attribute.lower() in URL_ATTRIBUTES:
                assert not str(value).strip().lower().startswith("javascript:"), element
    for tag in ("object", "embed", "svg", "math"):
        assert not soup.find_all(tag)
    # <details> is allowed for transcripts (#14); what ran was ``ontoggle``,
    # refused above with every other handler. ``open`` alone runs nothing.


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_removes_everything_that_could_run(payload):
    assert_inert(BeautifulSoup(clean_html(payload), "html.parser"))


def test_sanitiser_keeps_ordinary_rich_text():
    html = '<p>A <a href="https://example.org">link</a>, <b>bold</b>, <i>it</i>.</p>'
    soup = BeautifulSoup(clean_html(html), "html.parser")
    assert soup.a["href"] == "https://example.org"
    assert soup.b.get_text() == "bold"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_in_any_article_field_never_runs_on_the_public_site(client, payload):
    author = AuthorFactory(name=f"Writer {payload}", job_title=payload, bio=payload)
    article = make_article(
        authors=[author],
        title=f"Headline {payload}",
        standfirst=payload,
        hero_caption=payload,
        body=[
            ("paragraph", f"<p>Body {payload}</p>"),
            ("quote", {"text": payload, "attribution": payload, "language": ""}),
            ("heading", {"text": payload, "level": "h2"}),
        ],
    )
    NewsFeedItemFactory(headline=payload, body=f"<p>{payload}</p>")
    for url in (article.url, "/news-feed/", author.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") in DATA_BLOCK_TYPES
            assert "alert(1)" not in (script.string or "") or script.get("type")
        assert_inert(soup)


def test_payload_posted_through_the_admin_is_escaped(admin_client, client):
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    response = admin_client.post(
        "/admin/snippets/feed/newsfeeditem/add/",
        {
            "headline": payload,
            "body": '{"blocks":[{"key":"a","type":"unstyled","text":"'
            + payload.replace('"', '\\"')
            + '","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "published_at": "2026-01-01 10:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    soup = BeautifulSoup(client.get("/news-feed/").content, "html.parser")
    assert payload in soup.select_one(".feed-post__headline").get_text()
    assert payload in soup.select_one(".feed-post__body").get_text()
    assert_inert(soup)


def test_public_pages_send_strict_security_headers(client):
    article = make_article()
    for url in ("/", article.url, "/news-feed/", "/no-such-page/"):
        response = client.get(url)
        csp = policy(response)
        assert csp["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in csp.get("style-src", []), url
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["object-src"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response  # plain HTTP


def permissions(response) -> dict[str, str]:
    """The Permissions-Policy header as {feature: allowlist}."""
    allowed = {}
    for item in response["Permissions-Policy"].split(","):
        name, _, allow = item.strip().partition("=")
        allowed[name] = allow
    return allowed


def test_pages_refuse_browser_features_they_never_use(client):
    # Camera, microphone, location and the like: refused to the page and to
    # every embed; embedded video keeps fullscreen and autoplay.
    article = make_article()
    for url in ("/", article.url, "/search/?q=x", "/no-such-page/"):
        allowed = permissions(client.get(url))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert allowed[feature] == "()", (url, feature)
        assert "browsing-topics" in allowed, url
        for kept in ("fullscreen", "autoplay", "encrypted-media", "picture-in-picture"):
            assert kept not in allowed, (url, kept)


def test_hsts_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_admin_gets_its_own_policy_and_may_frame_previews(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, django_user_model):
    django_user_model.objects.create_user("ed", password="a-long-pass-phrase")
    client.get("/admin/login/")
    response = client.post(
        "/admin/login/", {"username": "ed", "password": "a-long-pass-phrase"}
    )
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["samesite"] == "Lax"


def test_production_settings_mark_cookies_secure(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "test-only-" + "x" * 40)
    # The test site takes payments on the demo provider (#17).
    monkeypatch.setenv("MASTHEAD_ALLOW_DEMO_PAYMENTS", "1")
    prod = importlib.import_module("masthead.settings.prod")
    prod = importlib.reload(prod)
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SECURE_HSTS_SECONDS >= 31536000
