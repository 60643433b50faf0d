"""Hostile paths and query strings on every public URL: 400 or 404, never 500.

STYLE §2 "Input": parse and bound every query parameter. The URL patterns
are read from the resolver, so a new public route is fuzzed the day it is
added; masthead/search/tests/test_views.py keeps the search page's own
cases (queries Tantivy cannot parse, filters), core/tests/test_middleware.py
the NUL-in-path case on every database.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from masthead.content.factories import make_article, make_section
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

# Behind the admin's sign-in, or the admin's own: not public input.
PRIVATE_PREFIXES = ("admin/", "django-admin/", "_util/")

# Each replaces a parameter of a route (already percent-encoded, as sent).
SEGMENTS = {
    "overlong": "a" * 4096,
    "NUL": "%00",
    "NUL inside": "a%00b",
    "bad UTF-8": "%ff%fe",
    "unicode": "%C3%BC%F0%9F%98%80",
    "right-to-left override": "%E2%80%AE",
    "traversal": "..%2F..%2Fetc%2Fpasswd",
    "dots": "..",
    "negative": "-1",
    "huge number": "9" * 40,
    "markup": "%3Cscript%3E",
    "percent": "%25",
}

# Query strings, several hostile parameters each, so every URL is tried with
# every kind of bad value in a few requests.
QUERIES = {
    "negative": "page=-1&since=-1&section=-1&q=" + "a" * 5000,
    "zero and NUL": "page=0&since=0&q=%00&section=%00",
    "huge": "page=" + "9" * 40 + "&since=" + "9" * 40 + "&section=" + "9" * 40,
    "words": "page=abc&since=yesterday&section=news&sort=drop table",
    "arrays": "page[]=1&q[]=x&section[]=1&page=1&page=2&x[y][z]=1",
    "bad UTF-8": "page=%ff&q=%ff%fe&since=%ff&section=%C0%AF",
    "floats": "page=1.5&since=1e309&section=1e3&q=%E2%80%AE",
    "overlong key": "x" * 3000 + "=1&=&&=%00&%00=%00",
}


def routes() -> list[str]:
    """Every public route, its parameters shown as ``{}``."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + _template(pattern.pattern)
            if route.startswith(PRIVATE_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


def _template(pattern) -> str:
    """``authors/<slug:slug>/`` as ``authors/{}/``; a regex's groups likewise."""
    text = str(pattern)
    if "<" in text and ">" in text and "(?P" not in text:
        return re.sub(r"<[^>]+>", "{}", text)
    text = text.replace("^", "").replace("$", "")
    out, depth = [], 0
    for char in text:
        if char == "(":
            if depth == 0:
                out.append("{}")
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char not in "*+?":
            out.append(char)
    return re.sub(r"\\(.)", r"\1", "".join(out))


@pytest.fixture
def site():
    """A section, an article, its author and tag: every listing has a page."""
    author, tag = AuthorFactory(avatar=None), TagFactory()
    section = make_section("News", "news")
    article = make_article(section, authors=[author], tags=[tag])
    return {
        "section": section.slug,
        "article": article.url,
        "author": author.slug,
        "tag": tag.slug,
    }


def test_every_public_route_is_fuzzed():
    templated = [route for route in routes() if "{}" in route]
    # The routes this file knows to be public with parameters; a new one
    # is fuzzed too, this list only makes the count visible when it grows.
    assert {"authors/{}/", "tags/{}/", "feeds/section/{}/rss/", "{}"} <= set(templated)


def test_hostile_path_segments_never_answer_500(client, site):
    failures = []
    for route in routes():
        if "{}" not in route:
            continue
        for name, segment in SEGMENTS.items():
            # Each parameter alone hostile, the others real where it matters.
            path = "/" + route.replace("{}", segment)
            status = client.get(path).status_code
            if status >= 500:
                failures.append(f"{status} {name}: {path[:120]}")
    for name, segment in SEGMENTS.items():
        path = f"/{site['section']}/{segment}/"
        status = client.get(path).status_code
        if status >= 500:
            failures.append(f"{status} {name}: {path[:120]}")
    assert not failures, "\n".join(failures)


def concrete_urls(site) -> list[str]:
    """Every public route with real values for its parameters."""
    values = {
        "authors/{}/": site["author"],
        "tags/{}/": site["tag"],
        "feeds/section/{}/rss/": site["section"],
        "feeds/section/{}/atom/": site["section"],
        "feeds/tag/{}/rss/": site["tag"],
        "feeds/tag/{}/atom/": site["tag"],
        "feeds/author/{}/rss/": site["author"],
        "feeds/author/{}/atom/": site["author"],
        "sitemap-{}.xml": "articles",
    }
    urls = [site["article"], f"/{site['section']}/", "/"]
    for route in routes():
        if "{}" not in route:
            urls.append("/" + route)
        elif route in values:
            urls.append("/" + route.replace("{}", values[route]))
    return urls


def test_hostile_query_strings_never_answer_500(client, site):
    failures = []
    for url in dict.fromkeys(concrete_urls(site)):
        for name, query in QUERIES.items():
            status = client.get(f"{url}?{query}").status_code
            if status >= 500:
                failures.append(f"{status} {name}: {url}?{query[:80]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("page", ["-1", "0", "abc", "1.5", "9" * 40, "%00", "%ff"])
def test_malformed_page_number_on_a_listing_is_404(client, site, page):
    for url in (f"/{site['section']}/", f"/authors/{site['author']}/"):
        assert client.get(f"{url}?page={page}").status_code == 404, url
