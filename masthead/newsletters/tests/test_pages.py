"""The readers' newsletter pages: the list, a newsletter, its archive (#16).

Also the page cache in front of them: the public pages are one shared copy,
the personal-link pages are never kept.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.rich_text import RichText

from masthead.cache import STATUS_HEADER
from masthead.cache.tests.reader import get_as_reader
from masthead.content.factories import make_article, make_section
from masthead.newsletters import links, sending, views
from masthead.newsletters.models import Issue, IssueStatus

from .pages import (
    active,
    main,
    newsletter,
    soup,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]


# --- the list and a newsletter's page ---------------------------------------


def test_list_shows_one_form_per_public_newsletter_of_the_edition(
    client, django_assert_max_num_queries
):
    newsletter("briefing", name="The Briefing", sort_order=1)
    newsletter("long-reads", name="Long Reads", sort_order=2)
    newsletter("staff-only", name="Staff Only", is_public=False)
    newsletter("ranok", name="Ранок", language="uk")
    client.get("/newsletters/")  # the site's chrome, kept after one request

    with django_assert_max_num_queries(4):
        response = client.get("/newsletters/")

    assert response.status_code == 200
    page = main(response)
    assert [h.get_text(strip=True) for h in page.select("h2")] == [
        "The Briefing",
        "Long Reads",
    ]
    forms = page.select("form")
    assert [form["action"] for form in forms] == [
        "/newsletters/briefing/sign-up/",
        "/newsletters/long-reads/sign-up/",
    ]
    for form in forms:
        assert form["method"] == "post"
        field = form.select_one("input[type=email][name=email]")
        assert field is not None and field.has_attr("required")
        label = form.select_one(f"label[for={field['id']}]")
        assert label is not None and label.get_text(strip=True)
        assert form.select_one("button[type=submit]")


def test_list_is_shared_by_every_reader_with_no_csrf_token(client):
    newsletter("briefing")
    response = client.get("/newsletters/")
    assert "public" in response["Cache-Control"]
    assert "private" not in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert not soup(response).select("input[name=csrfmiddlewaretoken]")


def test_ukrainian_edition_lists_its_own_newsletters(client):
    newsletter("briefing", name="The Briefing")
    newsletter("ranok", name="Ранок", language="uk")
    response = client.get("/uk/newsletters/")
    assert response.status_code == 200
    assert [h.get_text(strip=True) for h in main(response).select("h2")] == ["Ранок"]
    assert (
        main(response).select_one("form")["action"] == "/uk/newsletters/ranok/sign-up/"
    )
    assert client.get("/uk/newsletters/briefing/").status_code == 404
    assert client.get("/newsletters/ranok/").status_code == 404


def test_newsletter_page_lists_sent_issues_newest_first(client):
    letter = newsletter("briefing", name="The Briefing")
    now = timezone.now()
    older = Issue.objects.create(
        newsletter=letter,
        subject="Monday",
        status=IssueStatus.SENT,
        sent_at=now - timezone.timedelta(days=1),
    )
    newer = Issue.objects.create(
        newsletter=letter, subject="Tuesday", status=IssueStatus.SENT, sent_at=now
    )
    Issue.objects.create(newsletter=letter, subject="Draft", status=IssueStatus.DRAFT)
    Issue.objects.create(
        newsletter=letter, subject="Scheduled", status=IssueStatus.SCHEDULED
    )

    response = client.get("/newsletters/briefing/")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    page = main(response)
    assert page.select_one("h1").get_text(strip=True) == "The Briefing"
    assert page.select_one("form input[type=email]")
    archive = [
        (a.get_text(strip=True), a["href"])
        for a in page.select(".newsletter-archive a")
    ]
    assert archive == [
        ("Tuesday", f"/newsletters/briefing/{newer.pk}/"),
        ("Monday", f"/newsletters/briefing/{older.pk}/"),
    ]


def test_archive_renders_a_sent_issue_body_like_the_email(client):
    letter = newsletter("briefing")
    section = make_section("World", "world")
    first = make_article(section, title="Grid repaired", standfirst="Power is back.")
    second = make_article(section, title="Rail line reopens", standfirst="At last.")
    hidden = make_article(section, title="Withdrawn story")
    hidden.unpublish()
    issue = Issue.objects.create(
        newsletter=letter,
        subject="Morning, Tuesday",
        status=IssueStatus.SENT,
        sent_at=timezone.now(),
        body=[
            ("heading", "The top stories"),
            ("text", RichText("<p>Good <b>morning</b>.</p>")),
            ("story", {"page": first, "note": ""}),
            ("story", {"page": second, "note": "Our own note."}),
            ("story", {"page": hidden, "note": ""}),
        ],
    )

    response = client.get(f"/newsletters/briefing/{issue.pk}/")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    page = main(response)
    assert page.select_one("h1").get_text(strip=True) == "Morning, Tuesday"
    assert page.select_one(".issue-heading").get_text(strip=True) == "The top stories"
    assert page.select_one(".issue-text b").get_text() == "morning"
    stories = [
        (
            story.select_one("a").get_text(strip=True),
            urlsplit(story.select_one("a")["href"]).path,
            story.select_one(".issue-story__standfirst").get_text(strip=True),
        )
        for story in page.select(".issue-story")
    ]
    assert stories == [
        ("Grid repaired", urlsplit(first.get_url()).path, "Power is back."),
        ("Rail line reopens", urlsplit(second.get_url()).path, "Our own note."),
    ]


def test_archive_has_only_sent_issues_of_public_newsletters(client):
    letter = newsletter("briefing")
    private = newsletter("internal", is_public=False)
    draft = Issue.objects.create(newsletter=letter, subject="Draft")
    sending = Issue.objects.create(
        newsletter=letter, subject="Going out", status=IssueStatus.SENDING
    )
    hidden = Issue.objects.create(
        newsletter=private, subject="Internal", status=IssueStatus.SENT
    )
    sent = Issue.objects.create(
        newsletter=letter, subject="Sent", status=IssueStatus.SENT
    )

    assert client.get(f"/newsletters/briefing/{draft.pk}/").status_code == 404
    assert client.get(f"/newsletters/briefing/{sending.pk}/").status_code == 404
    assert client.get(f"/newsletters/internal/{hidden.pk}/").status_code == 404
    assert client.get("/newsletters/internal/").status_code == 404
    # Another newsletter's issue under this one's address.
    assert client.get(f"/newsletters/internal/{sent.pk}/").status_code == 404
    assert client.get(f"/newsletters/briefing/{sent.pk}/").status_code == 200
    assert client.get("/newsletters/nothing-here/").status_code == 404


# --- the archive's numbered pages -------------------------------------------


@pytest.fixture
def seven_issues(monkeypatch):
    """Seven sent issues of "briefing" on pages of three; returned newest first.

    Issues 4 and 5 went out at the same second, either side of the end of
    the first page: the id decides, so neither is on both pages or on none.
    """
    monkeypatch.setattr(views, "ARCHIVE_PAGE_SIZE", 3)
    letter = newsletter("briefing")
    now = timezone.now().replace(microsecond=0)
    issues = [
        Issue.objects.create(
            newsletter=letter,
            subject=f"Issue {number}",
            status=IssueStatus.SENT,
            sent_at=now - timezone.timedelta(days=days_ago),
        )
        for number, days_ago in enumerate([5, 4, 3, 2, 2, 1, 0], start=1)
    ]
    Issue.objects.create(newsletter=letter, subject="Draft", status=IssueStatus.DRAFT)
    return sorted(issues, key=lambda issue: (issue.sent_at, issue.pk), reverse=True)


def archive_page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    page = soup(response)
    pages = page.select_one('main nav[aria-label="Pages"]')
    assert pages is not None
    rels = {
        a.get_attribute_list("rel")[0]: urljoin(path, str(a["href"]))
        for a in pages.select("a[rel]")
    }
    return page, rels


def test_archive_pages_go_from_the_newest_issues_to_the_oldest(client, seven_issues):
    seen, path, paths = [], "/newsletters/briefing/", []
    while path:
        paths.append(path)
        page, rels = archive_page(client, path)
        archive = page.select_one("main .newsletter-archive")
        assert archive["start"] == str(len(seen) + 1)
        seen += [a.get_text(strip=True) for a in archive.select("a")]
        assert (
            page.select_one("link[rel=canonical]")["href"] == f"http://testserver{path}"
        )
        if len(paths) > 1:
            assert rels["prev"] in {paths[-2], f"{paths[-2]}?page=1"}
        else:
            assert "prev" not in rels
        path = rels.get("next")

    assert paths == [
        "/newsletters/briefing/",
        "/newsletters/briefing/?page=2",
        "/newsletters/briefing/?page=3",
    ]
    assert seen == [issue.subject for issue in seven_issues]


def test_second_archive_page_lists_the_older_issues(client, seven_issues):
    page, rels = archive_page(client, "/newsletters/briefing/?page=2")

    assert [
        a.get_text(strip=True) for a in page.select("main .newsletter-archive a")
    ] == [issue.subject for issue in seven_issues[3:6]]
    assert [a["href"] for a in page.select("main .newsletter-archive a")] == [
        f"/newsletters/briefing/{issue.pk}/" for issue in seven_issues[3:6]
    ]
    assert rels == {
        "prev": "/newsletters/briefing/?page=1",
        "next": "/newsletters/briefing/?page=3",
    }
    # The first page's canonical address has no ?page=1.
    first = soup(client.get("/newsletters/briefing/?page=1"))
    assert (
        first.select_one("link[rel=canonical]")["href"]
        == "http://testserver/newsletters/briefing/"
    )


def test_archive_page_reads_its_issues_through_the_index_in_order(
    client, seven_issues, django_assert_max_num_queries
):
    client.get("/newsletters/briefing/?page=2")  # the site's chrome, kept
    with (
        django_assert_max_num_queries(4),
        CaptureQueriesContext(connection) as queries,
    ):
        client.get("/newsletters/briefing/?page=2")

    reads = [q["sql"] for q in queries if "newsletters_issue" in q["sql"]]
    assert len(reads) == 2  # the bounded count, then the page
    if connection.vendor != "sqlite":
        return  # The plan below is SQLite's wording; other planners vary.
    for sql in reads:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "newsletters_issue_pages" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize(
    "query", ["page=0", "page=abc", "page=999", "page=4", "page=-1", "page=2.0"]
)
def test_malformed_or_missing_archive_page_is_not_found(client, seven_issues, query):
    assert client.get(f"/newsletters/briefing/?{query}").status_code == 404


def test_newsletter_without_issues_has_one_page_and_no_page_links(client):
    newsletter("briefing")

    response = client.get("/newsletters/briefing/")

    assert response.status_code == 200
    assert not main(response).select(".newsletter-archive, nav.pagination")
    assert client.get("/newsletters/briefing/?page=2").status_code == 404


# --- the page cache -----------------------------------------------------------


def through(app, path: str, cookie: str = "") -> tuple[str, dict[str, str], bytes]:
    """GET ``path`` through ``app`` as a reader; headers by lower-case name."""
    status, headers, body = get_as_reader(app, path, cookie)
    return status, {name.lower(): value for name, value in headers}, body


def test_list_and_newsletter_pages_are_one_cached_copy_for_everyone(page_cache):
    newsletter("briefing")
    csrf = f"{settings.CSRF_COOKIE_NAME}=abcdefghijklmnopqrstuvwxyz012345"

    for path in ("/newsletters/", "/newsletters/briefing/"):
        first = through(page_cache, path, csrf)
        second = through(page_cache, path)
        assert first[0].startswith("200")
        assert second[1][STATUS_HEADER.lower()] == "hit"
        assert "set-cookie" not in first[1]
        assert second[2] == first[2]
        assert b"csrfmiddlewaretoken" not in second[2]


def test_personal_link_pages_are_never_kept(page_cache):
    letter = newsletter("briefing")
    member = active("reader@example.org", letter)
    path = f"/newsletters/unsubscribe/{links.unsubscribe_token(member.pk, letter.pk)}/"
    through(page_cache, path)
    status, headers, _body = through(page_cache, path)
    assert status.startswith("200")
    assert headers[STATUS_HEADER.lower()] != "hit"
    assert "no-store" in headers["cache-control"]


def test_editing_a_newsletter_or_finishing_a_send_drops_the_cached_pages(
    page_cache, django_capture_on_commit_callbacks
):
    letter = newsletter("briefing", description="Every morning.")
    for path in ("/newsletters/", "/newsletters/briefing/"):
        through(page_cache, path)
        assert through(page_cache, path)[1][STATUS_HEADER.lower()] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        letter.description = "Every evening now."
        letter.save()
    for path in ("/newsletters/", "/newsletters/briefing/"):
        _status, headers, body = through(page_cache, path)
        assert headers[STATUS_HEADER.lower()] != "hit"
        assert b"Every evening now." in body

    issue = Issue.objects.create(
        newsletter=letter, subject="Evening, Friday", status=IssueStatus.SENDING
    )
    assert b"Evening, Friday" not in through(page_cache, "/newsletters/briefing/")[2]
    with django_capture_on_commit_callbacks(execute=True):
        assert sending._finish_if_done(issue.pk)
    assert b"Evening, Friday" in through(page_cache, "/newsletters/briefing/")[2]
