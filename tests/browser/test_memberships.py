"""Memberships in the browser: the paid path through the demo provider (#17).

A reader walks it as a person does, on the demo site (``make demo``'s
tiers, ``MASTHEAD_PAYMENT_PROVIDER=demo``): the membership page, Join
Supporter, sign in by the e-mailed link (read from the server's mail
catcher, as test_newsletters.py does), monthly, the demo checkout, Pay; the
account page then shows Supporter and a paid payment. The membership page
(both editions) and that member's account page pass axe and the Nu checker.
"""

import re
from urllib.parse import urljoin

import pytest

from tests.browser.checks import (
    axe_violations,
    describe,
    describe_messages,
    vnu_errors_by_name,
)
from tests.browser.conftest import VIEWPORTS, fetch
from tests.browser.mail import one_value, sign_in_by_link

pytestmark = pytest.mark.browser

MEMBER = "membership.reader@example.org"
DEMO_LABEL = "Payments on this site are a demonstration: no money moves."
PAGES = {
    "membership": "/membership/",
    "uk-membership": "/uk/membership/",
    "account": "/account/",
}
# Opened with the member's cookies; the rest signed out, as the cache sees them.
SIGNED_IN_PAGES = {"account"}


@pytest.fixture(scope="module")
def member(browser, server):
    """The browser context of a reader who joined Supporter, monthly, by the demo."""
    base, env = server
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(15_000)
    page = context.new_page()

    page.goto(urljoin(base, "/membership/"))
    assert page.get_by_role("note").inner_text() == DEMO_LABEL
    page.get_by_role("link", name="Join Supporter").click()
    # Signed out: joining starts with signing in, by the e-mailed link.
    page.wait_for_url(re.compile(r"/account/sign-in/"))
    sign_in_by_link(page, base, env, MEMBER)
    # The link leads back to the page that asked for the sign-in.
    page.wait_for_url(re.compile(r"/membership/join/supporter/$"))
    page.get_by_label(re.compile(r"^Monthly")).check()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/membership/demo/checkout/"))
    assert "no money moves" in page.inner_text("main [role=note]")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    page.wait_for_url(re.compile(r"/membership/welcome/"))
    assert "Supporter" in page.inner_text("main")
    yield context
    context.close()


def test_joining_supporter_through_the_demo_shows_on_the_account(
    member, server
) -> None:
    base, env = server
    page = member.new_page()
    page.goto(urljoin(base, "/account/"))
    section = page.locator("section", has=page.locator("#members-membership-heading"))
    terms = section.locator("dl.memberships-summary dt").all_inner_texts()
    details = section.locator("dl.memberships-summary dd").all_inner_texts()
    shown = dict(zip(terms, details, strict=True))
    assert shown["Tier"] == "Supporter"
    assert shown["Status"] == "Active"
    assert "Paid until" in shown
    rows = section.locator("table.memberships-payments tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[2:] == ["€5.00", "paid"]
    page.close()
    paid = one_value(
        env,
        "SELECT COUNT(*) FROM memberships_payment p JOIN members_member m "
        "ON p.member_id = m.id WHERE m.email = ? AND p.status = 'paid' "
        "AND p.amount = 500",
        MEMBER,
    )
    assert paid == 1


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_membership_page_has_no_axe_violations(
    browser, server, member, axe_js, name, viewport
):
    base, _env = server
    url = urljoin(base, PAGES[name])
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
def vnu_errors(server, member, java, vnu_jar, tmp_path_factory):
    """vnu's errors for each page's served HTML, from one run of the checker."""
    base, _env = server
    folder = tmp_path_factory.mktemp("vnu-memberships")
    pages = {}
    for name, path in PAGES.items():
        url = urljoin(base, path)
        if name in SIGNED_IN_PAGES:
            response = member.request.get(url, max_redirects=0)
            assert response.status == 200, (name, response.status)
            html = response.text()
            # The page of a member with a membership and a payment.
            assert "memberships-payments" in html
        else:
            html = fetch(url)
        pages[name] = html
    return vnu_errors_by_name(java, vnu_jar, folder, pages)


@pytest.mark.parametrize("name", list(PAGES))
def test_membership_page_is_valid_html(vnu_errors, name):
    errors = vnu_errors.get(name, [])
    assert not errors, f"vnu found {len(errors)} error(s) in {PAGES[name]}:\n" + (
        describe_messages(errors)
    )
