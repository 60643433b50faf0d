"""Comments in the browser: a member comments, and every reader sees it.

A reader asks to write a comment on the demo site's lead article, is sent
to sign in (the e-mailed link, read from the server's mail catcher, as
test_newsletters.py does), comes back to the form, waits as a person would
(the form holds comments sent within MASTHEAD_COMMENT_MIN_FORM_SECONDS) and
publishes. The comment is on the comments page at once, and on the article
page once its script has loaded the fragment. The comments page (both
editions) and the write form pass axe and the Nu checker.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.checks import (
    axe_violations,
    describe,
    describe_messages,
    vnu_errors_by_name,
)
from tests.browser.conftest import VIEWPORTS, fetch
from tests.browser.test_newsletters import caught_link

pytestmark = pytest.mark.browser

MEMBER = "comments.reader@example.org"
SIGN_IN_LINK = re.compile(r"https?://\S+/account/sign-in/[0-9a-f]+/")
BEACON_URL = re.compile(r'data-beacon-url="/analytics/views/(\d+)/"')
COMMENT = "A browser's first comment, with a link: https://example.org/source"
# Opened with the member's cookies; the rest signed out, as the cache sees them.
SIGNED_IN_PAGES = {"write"}


@pytest.fixture(scope="module")
def article(server, site_pages) -> tuple[str, int]:
    """The lead article's URL and id (from its view beacon's address)."""
    url = site_pages["article"]
    found = BEACON_URL.search(fetch(url))
    assert found, "the article page has no view beacon"
    return url, int(found.group(1))


@pytest.fixture(scope="module")
def member(browser, server, article):
    """The browser context of a member who has posted ``COMMENT`` on the article."""
    base, env = server
    _url, article_id = article
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(15_000)
    page = context.new_page()

    page.goto(urljoin(base, f"/account/comments/new/{article_id}/"))
    # Signed out: writing starts with signing in, by the e-mailed link.
    page.wait_for_url(re.compile(r"/account/sign-in/"))
    page.fill("main input[type=email]", MEMBER)
    page.wait_for_timeout(2500)
    page.click("main form button[type=submit]")
    page.wait_for_selector("main h1")
    link = caught_link(env, MEMBER, SIGN_IN_LINK)
    page.goto(urljoin(base, urlsplit(link).path))
    page.click("main form button[type=submit]")
    # The link leads back to the comment form.
    page.wait_for_url(re.compile(rf"/account/comments/new/{article_id}/$"))
    page.get_by_label("Your comment").fill(COMMENT)
    page.wait_for_timeout(3500)
    page.get_by_role("button", name="Publish comment").click()
    page.wait_for_url(re.compile(rf"/comments/{article_id}/#comment-\d+$"))
    yield context
    context.close()


def test_comment_shows_on_its_page_and_on_the_article(browser, member, article):
    url, article_id = article
    page = member.new_page()
    page.goto(url.replace(urlsplit(url).path, f"/comments/{article_id}/"))
    texts = page.locator("main li.comment .comment__text").all_inner_texts()
    assert COMMENT in texts
    link = page.locator("main .comment__text a").last
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    page.close()

    # A reader who is not signed in: the article loads, then its comments.
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    try:
        reader = context.new_page()
        reader.goto(url, wait_until="load")
        section = reader.locator("section#comments")
        section.locator("[data-comments-body] li.comment").first.wait_for()
        assert section.get_attribute("data-comments-loaded") is not None
        assert COMMENT in section.locator(".comment__text").all_inner_texts()
    finally:
        context.close()


def _pages(base: str, article_id: int) -> dict[str, str]:
    return {
        "comments": urljoin(base, f"/comments/{article_id}/"),
        "uk-comments": urljoin(base, f"/uk/comments/{article_id}/"),
        "write": urljoin(base, f"/account/comments/new/{article_id}/"),
    }


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", ["comments", "uk-comments", "write"])
def test_comments_page_has_no_axe_violations(
    browser, server, article, member, axe_js, name, viewport
):
    base, _env = server
    url = _pages(base, article[1])[name]
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    context.set_default_timeout(15_000)
    if name in SIGNED_IN_PAGES:
        context.add_cookies(member.cookies())
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, name
        assert page.url == url, "redirected: not signed in?"
        violations = axe_violations(page, axe_js)
    finally:
        context.close()
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {url} at {viewport} "
        f"width:\n{describe(violations)}"
    )


@pytest.fixture(scope="module")
def vnu_errors(server, article, member, java, vnu_jar, tmp_path_factory):
    """vnu's errors for each page's served HTML, from one run of the checker."""
    base, _env = server
    folder = tmp_path_factory.mktemp("vnu-comments")
    pages = {}
    for name, url in _pages(base, article[1]).items():
        if name in SIGNED_IN_PAGES:
            response = member.request.get(url, max_redirects=0)
            assert response.status == 200, (name, response.status)
            html = response.text()
        else:
            html = fetch(url)
        assert "comment" in html
        pages[name] = html
    return vnu_errors_by_name(java, vnu_jar, folder, pages)


@pytest.mark.parametrize("name", ["comments", "uk-comments", "write"])
def test_comments_page_is_valid_html(vnu_errors, name):
    errors = vnu_errors.get(name, [])
    assert not errors, f"vnu found {len(errors)} error(s) in {name}:\n" + (
        describe_messages(errors)
    )
