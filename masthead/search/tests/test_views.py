"""The search page: form, results, pagination, headers and hostile input."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage
from masthead.people.factories import AuthorFactory
from masthead.search.backends import SearchUnavailable
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

# A warm results page runs no SQL: the sections for the form, the sidebar,
# the site and its settings, and each result's link, section and byline are
# kept until a purge (core/cache.py); the engine itself runs no SQL.
SEARCH_PAGE_QUERIES = 0
# After a purge of the results' articles: the kept site, its root page and
# its settings, the sections and the restrictions that hide private ones,
# then one batch of the articles (with their sections) and their bylines,
# and the footer's standard pages with their restrictions (#14): fixed,
# whatever the number of results.
SEARCH_REBUILT_QUERIES = 7 + 2


def get_soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def result_titles(response) -> list[str]:
    return [a.get_text() for a in get_soup(response).select(".search-result__title a")]


def test_results_show_count_highlighted_title_and_snippet(client, publish):
    article = publish(title="Zebra crossing", standfirst="A zebra & a <b>horse</b>.")

    response = client.get("/search/", {"q": "zebra"})

    assert response.status_code == 200
    assert response.template_name == "search/search.html"
    soup = get_soup(response)
    assert (
        soup.select_one(".search-count")
        .get_text(" ", strip=True)
        .startswith("1 result for")
    )
    link = soup.select_one(".search-result__title a")
    assert link["href"] == article.url
    assert [m.get_text() for m in link.find_all("mark")] == ["Zebra"]
    snippet = soup.select_one(".search-result__snippet")
    assert snippet.get_text() == "A zebra & a <b>horse</b>."
    assert snippet.find("b") is None


def test_a_kept_result_shows_each_query_its_own_highlights(client, publish):
    article = publish(title="Zebra crossing in Lviv", standfirst="Stripes.")
    marks = {}
    for words in ("zebra", "lviv", "zebra"):
        soup = get_soup(client.get("/search/", {"q": words}))
        [result] = soup.select(".search-result")
        assert result.select_one(".search-result__title a")["href"] == article.url
        title_marks = result.select(".search-result__title mark")
        marks.setdefault(words, []).append([m.get_text() for m in title_marks])
        # No placeholder is left behind.
        assert "result-title" not in str(result)
        assert "result-snippet" not in str(result)
    assert marks == {"zebra": [["Zebra"], ["Zebra"]], "lviv": [["Lviv"]]}


def test_form_has_labelled_controls_and_keeps_the_values(client, publish):
    section = make_section("Europe", slug="europe")
    publish(section, title="Zebra")

    response = client.get(
        "/search/",
        {"q": "zebra", "section": "europe", "from": "2020-01-01", "to": "2030-01-01"},
    )

    form = get_soup(response).select_one("form.search-form")
    assert form["action"] == "/search/"
    assert form["method"] == "get"
    for name, kind in [("q", "search"), ("from", "date"), ("to", "date")]:
        field = form.find("input", attrs={"name": name})
        assert field["type"] == kind
        assert form.find("label", attrs={"for": field["id"]})
    assert form.find("input", attrs={"name": "q"})["value"] == "zebra"
    select = form.find("select", attrs={"name": "section"})
    assert form.find("label", attrs={"for": select["id"]})
    assert select.find("option", selected=True)["value"] == "europe"
    assert form.find("input", attrs={"name": "from"})["value"] == "2020-01-01"


def test_page_is_noindex_in_meta_and_header_and_briefly_cacheable(client, publish):
    publish(title="Zebra")

    response = client.get("/search/", {"q": "zebra"})

    assert response["X-Robots-Tag"] == "noindex"
    robots = get_soup(response).find("meta", attrs={"name": "robots"})
    assert robots["content"] == "noindex"
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60"} <= directives


def test_page_without_a_query_invites_a_search(client, search_index):
    response = client.get("/search/")

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    soup = get_soup(response)
    assert "Search every published article" in soup.select_one(".search-empty").text
    assert soup.select(".search-result") == []


def test_no_match_says_so_and_offers_to_drop_filters(client, publish):
    make_section("Europe", slug="europe")

    response = client.get("/search/", {"q": "zebra", "section": "europe"})

    empty = get_soup(response).select_one(".search-empty")
    assert "No articles match" in empty.get_text()
    assert empty.find("a")["href"] == "?q=zebra"


def test_unpublished_article_is_hidden_even_if_the_index_lags(client, publish):
    hidden = publish(title="Zebra hidden")
    shown = publish(title="Zebra shown")
    # Unpublished behind the index's back: no signal, no queue.
    ArticlePage.objects.filter(pk=hidden.pk).update(live=False)

    response = client.get("/search/", {"q": "zebra"})

    assert result_titles(response) == [shown.title]


def test_draft_never_appears_even_if_indexed(client, publish, search_index):
    draft = publish(title="Zebra draft", publish=False)
    search_index.index_article(draft)  # a stray entry

    response = client.get("/search/", {"q": "zebra"})

    assert result_titles(response) == []


def test_numbered_pagination_keeps_the_query_and_404s_past_the_end(
    client, publish, settings
):
    settings.MASTHEAD_SEARCH_PAGE_SIZE = 1
    titles = {publish(title=f"Zebra {n}").title for n in range(3)}

    pages = [client.get("/search/", {"q": "zebra", "page": n}) for n in (1, 2, 3)]

    nav = get_soup(pages[0]).select_one("nav.search-pagination")
    assert [item.get_text(strip=True) for item in nav.select("li")] == [
        "1",
        "2",
        "3",
        "Next",
    ]
    assert nav.select_one("[aria-current=page]").get_text() == "1"
    assert nav.find("a", rel="next")["href"] == "?q=zebra&page=2"
    last_nav = get_soup(pages[2]).select_one("nav.search-pagination")
    assert last_nav.find("a", rel="prev")["href"] == "?q=zebra&page=2"
    assert [len(result_titles(page)) for page in pages] == [1, 1, 1]
    assert {result_titles(page)[0] for page in pages} == titles
    assert client.get("/search/", {"q": "zebra", "page": "4"}).status_code == 404


@pytest.mark.parametrize(
    "page",
    ["0", "-1", "abc", "1e3", "99999999", "\x00", "\uff12"],  # \uff12: fullwidth 2
)
def test_malformed_page_is_404(client, search_index, page):
    response = client.get("/search/", {"q": "zebra", "page": page})

    assert response.status_code == 404


def test_page_beyond_the_result_cap_is_404(client, search_index, settings):
    settings.MASTHEAD_SEARCH_PAGE_SIZE = 10
    settings.MASTHEAD_SEARCH_MAX_RESULTS = 100

    response = client.get("/search/", {"q": "zebra", "page": "11"})

    assert response.status_code == 404


NASTY_QUERIES = [
    "a" * 10_000,
    "zebra " * 2_000,
    "\x00",
    "zebra\x00crossing",
    '"',
    '""',
    '"zebra',
    "*",
    "?",
    "AND",
    "OR NOT",
    "(((",
    ")))",
    "title:zebra",
    "zebra~2",
    "zebra^10",
    "[1 TO 5]",
    "{}",
    "\\",
    "+-!&&||",
    "/zeb.*/",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%00%27",
    "\u202ezebra",
    "💥" * 300,
    "   \t\n  ",
]


@pytest.mark.parametrize("raw", NASTY_QUERIES)
def test_absurd_query_gives_a_friendly_page(client, search_index, raw):
    response = client.get("/search/", {"q": raw})

    assert response.status_code == 200
    soup = get_soup(response)
    assert soup.select_one(".search-count, .search-empty") is not None
    assert soup.find("main").find("script") is None
    assert len(soup.select_one("main input[name=q]")["value"]) <= 200


def test_absurd_queries_over_a_real_index_give_pages(client, publish):
    publish(title="Zebra crossing", tags=[TagFactory(name="AND OR")])

    statuses = {
        raw: client.get("/search/", {"q": raw}).status_code for raw in NASTY_QUERIES
    }

    assert set(statuses.values()) == {200}


@pytest.mark.parametrize(
    "query_string",
    ["q=%ED%A0%80", "q=%FF%FE", "q=%", "q=zebra&q=%00", "from=%FF&to=%C0%AF&q=zebra"],
)
def test_undecodable_query_string_gives_a_page(client, search_index, query_string):
    response = client.get(f"/search/?{query_string}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2024-13-45"},
        {"to": "99999-01-01"},
        {"from": "\x00"},
        {"section": "nope\x00"},
        {"from": "2030-01-01", "to": "2020-01-01"},
    ],
)
def test_bad_filters_are_ignored_with_a_notice(client, search_index, params):
    make_section("Europe", slug="europe")

    response = client.get("/search/", {"q": "zebra", **params})

    assert response.status_code == 200
    assert get_soup(response).select_one(".search-notices li") is not None


def test_engine_failure_is_a_friendly_uncached_503(client, search_index, monkeypatch):
    def broken(*args, **kwargs):
        raise SearchUnavailable("disk on fire")

    monkeypatch.setattr(search_index, "search", broken)

    response = client.get("/search/", {"q": "zebra", "page": "2"})

    assert response.status_code == 503
    assert "not available" in get_soup(response).select_one(".search-empty").text
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def count_queries(client, params) -> int:
    client.get("/search/", params)  # first view warms site and rendition caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return len(queries)


def count_rebuilt_queries(client, params, articles) -> int:
    """Queries of a results page once its articles' kept results are purged."""
    from masthead import cache

    client.get("/search/", params)
    cache.get_store().purge([cache.article_tag(a.pk) for a in articles])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return len(queries)


def test_query_budget_does_not_grow_with_results(client, publish):
    articles = [publish(title="Zebra one")]
    one = count_queries(client, {"q": "zebra"})
    one_rebuilt = count_rebuilt_queries(client, {"q": "zebra"}, articles)
    for _ in range(2):
        articles.append(
            publish(
                title="Zebra more",
                authors=AuthorFactory.create_batch(2),
                tags=TagFactory.create_batch(2),
            )
        )
    many = count_queries(client, {"q": "zebra"})
    many_rebuilt = count_rebuilt_queries(client, {"q": "zebra"}, articles)

    assert one == many == SEARCH_PAGE_QUERIES
    assert one_rebuilt == many_rebuilt == SEARCH_REBUILT_QUERIES


def test_database_backend_finds_and_highlights(client, publish, settings):
    settings.MASTHEAD_SEARCH_BACKEND = (
        "masthead.search.backends.database.DatabaseBackend"
    )
    body_only = publish(title="Council", body=[("paragraph", "<p>A zebra.</p>")])
    headline = publish(title="Zebra & <co>")

    response = client.get("/search/", {"q": "zebra"})

    assert result_titles(response) == [headline.title, body_only.title]
    marks = get_soup(response).select(".search-result__title mark")
    assert [mark.get_text() for mark in marks] == ["Zebra"]
