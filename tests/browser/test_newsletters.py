"""The newsletter pages and the member pages pass axe and the Nu checker (#16).

A reader signs in in the browser as a person does: the sign-in form, then
the link from the e-mail the demo server's mail catcher kept (core
``CaughtEmail``, read from the server's SQLite database), then Continue.
The signed-in browser subscribes from the newsletter list. The personal
links (preferences, unsubscribe) are made with the server's own secret
key, as its e-mails make them.
"""

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import override_settings

from masthead.newsletters import links
from tests.browser.checks import (
    axe_violations,
    describe,
    describe_messages,
    vnu_errors_by_name,
)
from tests.browser.conftest import VIEWPORTS, fetch, first_href
from tests.browser.mail import (
    caught_link,
    one_value,
    sign_in_by_link,
)

pytestmark = pytest.mark.browser

READER = "newsletter.reader@example.org"
CONFIRM_LINK = re.compile(r"https?://\S+/newsletters/confirm/[0-9a-f-]+/")
NEWCOMER = "newsletter.newcomer@example.org"
PUBLIC_PAGES = ["newsletters", "newsletter", "issue", "uk-newsletters", "sign-in"]
PERSONAL_PAGES = ["confirm", "preferences", "unsubscribe", "account", "my-preferences"]
PAGES = PUBLIC_PAGES + PERSONAL_PAGES
# Opened with the signed-in reader's cookies; the rest signed out.
SIGNED_IN_PAGES = {"account", "my-preferences"}


@pytest.fixture(scope="module")
def reader(browser, server):
    """A browser context signed in as a member who subscribed from the list."""
    base, env = server
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(urljoin(base, "/account/sign-in/"))
    sign_in_by_link(page, base, env, READER)
    page.wait_for_url(re.compile(r"/account/$"))
    # Subscribing from the public list while signed in: no e-mail needed.
    page.goto(urljoin(base, "/newsletters/"))
    page.fill("main form >> nth=0 >> input[type=email]", READER)
    page.wait_for_timeout(2500)
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_selector("main h1")
    assert page.inner_text("main h1") == "You are subscribed"
    yield context
    context.close()


def confirm_link(browser, base: str, env: dict) -> str:
    """A signed-out reader signs up from a newsletter's page; their e-mailed link."""
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.goto(urljoin(base, "/newsletters/weekly-long-reads/"))
        page.fill("main form input[type=email]", NEWCOMER)
        page.wait_for_timeout(2500)
        page.click("main form button[type=submit]")
        page.wait_for_selector("main h1")
        assert page.inner_text("main h1") == "Check your e-mail"
    finally:
        context.close()
    return urljoin(base, urlsplit(caught_link(env, NEWCOMER, CONFIRM_LINK)).path)


@pytest.fixture(scope="module")
def newsletter_pages(browser, server, reader) -> dict[str, str]:
    base, env = server
    member_id = one_value(env, "SELECT id FROM members_member WHERE email = ?", READER)
    newsletter_id = one_value(
        env, "SELECT id FROM newsletters_newsletter WHERE slug = 'morning-briefing'"
    )
    secret = (Path(env["MASTHEAD_VAR_DIR"]) / "secret_key").read_text().strip()
    with override_settings(SECRET_KEY=secret):
        unsubscribe = links.unsubscribe_token(member_id, newsletter_id)
        preferences = links.preferences_token(member_id)
    newsletter = urljoin(base, "/newsletters/morning-briefing/")
    return {
        "newsletters": urljoin(base, "/newsletters/"),
        "newsletter": newsletter,
        "issue": urljoin(newsletter, first_href(fetch(newsletter), "main ol a")),
        "uk-newsletters": urljoin(base, "/uk/newsletters/"),
        "sign-in": urljoin(base, "/account/sign-in/"),
        "confirm": confirm_link(browser, base, env),
        "preferences": urljoin(base, f"/newsletters/preferences/{preferences}/"),
        "unsubscribe": urljoin(base, f"/newsletters/unsubscribe/{unsubscribe}/"),
        "account": urljoin(base, "/account/"),
        "my-preferences": urljoin(base, "/newsletters/preferences/"),
    }


def _open(browser, reader, viewport: str, name: str):
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    context.set_default_timeout(15_000)
    if name in SIGNED_IN_PAGES:
        context.add_cookies(reader.cookies())
    return context


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", PAGES)
def test_newsletter_page_has_no_axe_violations(
    browser, reader, newsletter_pages, axe_js, name, viewport
):
    context = _open(browser, reader, viewport, name)
    try:
        page = context.new_page()
        response = page.goto(newsletter_pages[name], wait_until="load")
        assert response is not None and response.status == 200, name
        assert page.url == newsletter_pages[name], "redirected: not signed in?"
        violations = axe_violations(page, axe_js)
    finally:
        context.close()
    assert not violations, (
        f"axe found {len(violations)} violation(s) on {newsletter_pages[name]} "
        f"at {viewport} width:\n{describe(violations)}"
    )


@pytest.fixture(scope="module")
def vnu_errors(newsletter_pages, reader, java, vnu_jar, tmp_path_factory):
    """vnu's errors for each page's served HTML, from one run of the checker."""
    folder = tmp_path_factory.mktemp("vnu-newsletters")
    pages = {}
    for name, url in newsletter_pages.items():
        if name in SIGNED_IN_PAGES:
            response = reader.request.get(url, max_redirects=0)
            assert response.status == 200, (name, response.status)
            html = response.text()
        else:
            html = fetch(url)
        pages[name] = html
    return vnu_errors_by_name(java, vnu_jar, folder, pages)


@pytest.mark.parametrize("name", PAGES)
def test_newsletter_page_is_valid_html(vnu_errors, newsletter_pages, name):
    errors = vnu_errors.get(name, [])
    assert not errors, (
        f"vnu found {len(errors)} error(s) in {newsletter_pages[name]}:\n"
        + describe_messages(errors)
    )


def test_unsubscribe_page_button_unsubscribes(browser, server, newsletter_pages):
    """Last: the button on the unsubscribe page ends the subscription."""
    _base, env = server
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.goto(newsletter_pages["unsubscribe"])
        page.click("main form button[type=submit]")
        page.wait_for_selector("main h1")
        assert page.inner_text("main h1") == "You are unsubscribed"
    finally:
        context.close()
    status = one_value(
        env,
        "SELECT COUNT(*) FROM newsletters_subscription s JOIN members_member m "
        "ON s.member_id = m.id WHERE m.email = ? AND s.status = 'unsubscribed'",
        READER,
    )
    assert status == 1
