"""A gated article in the browser (#17): from the preview to the whole article.

A reader finds the demo's gated article on the home page, reads the free
part and the invitation, follows "See memberships", joins Patron through
the demo provider (signing in by the e-mailed link on the way), and the
thank-you page's "Continue reading" brings them back to the article, now
whole. The preview and the whole article pass axe and the Nu checker.
"""

import json
import re
import subprocess
from urllib.parse import urljoin

import pytest

from masthead.demo.gated import GATED_PARAGRAPHS, GATED_SLUG, OPEN_PARAGRAPHS
from tests.browser.conftest import VIEWPORTS, fetch, first_href
from tests.browser.mail import sign_in_by_link
from tests.browser.test_axe import AXE_TAGS, describe

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
        page.add_script_tag(path=str(axe_js))
        results = page.evaluate(
            """tags => axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            })""",
            AXE_TAGS,
        )
    finally:
        context.close()
    violations = results["violations"]
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
    target = tmp_path / f"{view}.html"
    target.write_text(html, encoding="utf-8")
    result = subprocess.run(
        [java, "-jar", str(vnu_jar), "--errors-only", "--format", "json", str(target)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    errors = json.loads(result.stderr)["messages"]
    assert not errors, "\n".join(
        f"  line {m.get('lastLine', '?')}: {m['message']}" for m in errors
    )
