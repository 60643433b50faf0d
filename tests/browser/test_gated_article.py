"""A gated article in the browser (#17): from the preview to the whole article.

A reader finds the demo's gated article on the home page, reads the free
part and the invitation, follows "See memberships", joins Patron through
the demo provider (signing in by the e-mailed link on the way), and the
thank-you page's "Continue reading" brings them back to the article, now
whole. The preview and the whole article pass axe and the Nu checker.
"""

import re
from urllib.parse import urljoin

import pytest

from masthead.demo.gated import GATED_PARAGRAPHS, GATED_SLUG, OPEN_PARAGRAPHS
from tests.browser.checks import (
    axe_violations,
    describe,
    describe_messages,
    vnu_errors_by_name,
)
from tests.browser.conftest import VIEWPORTS, fetch, first_href
from tests.browser.mail import sign_in_by_link

pytestmark = pytest.mark.browser

READER = "gated.reader@example.org"


@pytest.fixture(scope="module")
def article_url(server) -> str:
    base, _ = server
    return urljoin(base, first_href(fetch(base + "/"), f'a[href*="{GATED_SLUG}"]'))


@pytest.fixture(scope="module")
def patron(browser, server, article_url):
    """The context of a reader who joined Patron from the gated article."""
    base, env = server
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(article_url)
    body = page.inner_text("main article")
    assert OPEN_PARAGRAPHS[1] in body
    assert all(paragraph not in body for paragraph in GATED_PARAGRAPHS)
    page.get_by_role("link", name="See memberships").click()
    page.wait_for_url(re.compile(r"/membership/\?next="))
    page.get_by_role("link", name="Join Patron").click()
    page.wait_for_url(re.compile(r"/account/sign-in/"))
    sign_in_by_link(page, base, env, READER)
    page.wait_for_url(re.compile(r"/membership/join/patron/\?next="))
    page.get_by_label(re.compile(r"^Monthly")).check()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/membership/demo/checkout/"))
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    page.wait_for_url(re.compile(r"/membership/welcome/"))
    page.get_by_role("link", name="Continue reading").click()
    page.wait_for_url(article_url)
    yield context, page
    context.close()


def test_a_reader_joins_from_the_preview_and_reads_the_whole_article(
    patron, article_url
):
    _, page = patron
    assert page.url == article_url
    whole = page.inner_text("main article .article-gated")
    for paragraph in GATED_PARAGRAPHS:
        assert paragraph in whole
    assert page.locator(".membership-call").count() == 0


VIEWS = ["preview", "whole"]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("view", VIEWS)
def test_the_gated_article_has_no_axe_violations(
    browser, patron, article_url, axe_js, view, viewport
):
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    context.set_default_timeout(15_000)
    if view == "whole":
        context.add_cookies(patron[0].cookies())
    try:
        page = context.new_page()
        response = page.goto(article_url, wait_until="load")
        assert response is not None and response.status == 200
        gated = page.locator(".article-gated")
        assert gated.count() == 1
        assert ("membership-call" in gated.get_attribute("class")) == (
            view == "preview"
        )
        violations = axe_violations(page, axe_js)
    finally:
        context.close()
    assert not violations, (
        f"axe found {len(violations)} violation(s) on the {view} at {viewport} "
        f"width:\n{describe(violations)}"
    )


@pytest.mark.parametrize("view", VIEWS)
def test_the_gated_article_is_valid_html(
    patron, article_url, java, vnu_jar, tmp_path, view
):
    if view == "whole":
        response = patron[0].request.get(article_url)
        assert response.status == 200
        html = response.text()
        assert GATED_PARAGRAPHS[0][:30] in html
    else:
        html = fetch(article_url)
        assert GATED_PARAGRAPHS[0][:30] not in html
    errors = vnu_errors_by_name(java, vnu_jar, tmp_path, {view: html}).get(view, [])
    assert not errors, describe_messages(errors)
