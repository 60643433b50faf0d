"""Editors in the admin: a new article saves with its headline alone (#14).

Signs in as the demo editor, setting up (or passing) two-factor sign-in with
codes computed from the key the setup page shows, as an authenticator would.
"""

import base64
import subprocess
import time
import uuid

import pytest
from django_otp.oath import totp

from tests.server import MASTHEAD

pytestmark = pytest.mark.browser

EDITOR = "editor"
TOTP_STEP = 30


def shell(env: dict, code: str) -> str:
    """Run Python in the server's own database and return what it printed."""
    result = subprocess.run(
        [MASTHEAD, "shell", "-c", code],
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    # Django's shell may print a line of its own (auto-imports) first.
    return result.stdout.strip().splitlines()[-1]


class Authenticator:
    """The editor's authenticator app: one key, never the same code twice."""

    def __init__(self) -> None:
        self.key = b""
        self.last_step = -1

    def code(self) -> str:
        # django-otp refuses a code already used; wait for the next one.
        while int(time.time()) // TOTP_STEP == self.last_step:
            time.sleep(1)
        self.last_step = int(time.time()) // TOTP_STEP
        return f"{totp(self.key, step=TOTP_STEP, digits=6):06d}"


@pytest.fixture(scope="module")
def admin(browser, server):
    """A desktop tab signed in to the admin as the demo editor."""
    base, env = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", EDITOR)
    page.fill("input[name=password]", env["MASTHEAD_DEMO_PASSWORD"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/**")
    app = Authenticator()
    if "/admin/2fa/setup/" in page.url:
        key = page.inner_text(".two-factor-secret").replace(" ", "")
        app.key = base64.b32decode(key)
        page.fill("input[name=token]", app.code())
        # Enter submits the code's own form, as an editor would.
        with page.expect_navigation():
            page.press("input[name=token]", "Enter")
    assert "/admin/2fa/" not in page.url, "the demo editor has a device already"
    yield page
    context.close()


def first_section_id(env: dict) -> int:
    return int(
        shell(
            env,
            "from masthead.content.models import SectionPage; "
            "print(SectionPage.objects.live().order_by('pk').first().pk)",
        )
    )


def open_new_article(page, base: str, section_id: int, headline: str) -> None:
    """Open the create form, type a headline and pick the first author."""
    # Leaving a form with errors asks "leave with unsaved changes?": say
    # yes, as an editor would (Playwright's default says no).
    page.once("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/admin/pages/add/content/articlepage/{section_id}/")
    assert "/add/" in page.url
    page.fill("#id_title", headline)
    # Choosing an author goes through a modal chooser; the row's hidden input
    # is what the form posts.
    page.evaluate(
        """() => {
          const input = document.querySelector('[name="article_authors-0-author"]');
          input.value = '1';
        }"""
    )


def save_new_article(page, base: str, section_id: int, headline: str) -> None:
    """Open the create form with a headline and an author, and save a draft."""
    open_new_article(page, base, section_id, headline)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/admin/pages/*/edit/")


def test_a_new_article_saves_with_its_headline_alone(admin, server):
    base, env = server
    headline = f"Harbour Ferry Returns {uuid.uuid4().hex[:6]}"
    save_new_article(admin, base, first_section_id(env), headline)
    slug = admin.input_value("#id_slug")
    assert slug == headline.lower().replace(" ", "-")


def test_an_error_on_the_promote_tab_is_counted_on_the_tab(admin, server):
    base, env = server
    headline = f"Harbour Ferry Delayed {uuid.uuid4().hex[:6]}"
    section_id = first_section_id(env)
    save_new_article(admin, base, section_id, headline)
    taken = admin.input_value("#id_slug")
    # Another article given the same address by hand on the Promote tab,
    # then saved from the Content tab: the error is on a tab not shown.
    open_new_article(admin, base, section_id, f"{headline} again")
    admin.click("#tab-label-promote")
    # Leaving the headline fills the slug from it a moment later (Wagtail's
    # sync): wait for that, as an editor would see it, before typing over it.
    admin.wait_for_function(
        "() => document.querySelector('#id_slug').value.endsWith('-again')"
    )
    admin.fill("#id_slug", taken)
    admin.click("#tab-label-content")
    admin.get_by_role("button", name="Save draft").click()
    admin.wait_for_load_state()
    assert "/add/" in admin.url, "the taken slug was accepted"
    badge = admin.locator("#tab-label-promote .w-tabs__errors")
    badge.wait_for(state="visible")
    assert badge.locator("[data-w-count-target=total]").inner_text().strip() == "1"


def test_tags_are_typed_picked_with_the_keyboard_and_created(admin, server):
    base, env = server
    word = uuid.uuid4().hex[:6]
    shell(
        env,
        "from masthead.taxonomy.models import Tag; "
        f"print(Tag.objects.create(name='Quayside {word}', slug='quayside-{word}', "
        "tag_type='place').pk)",
    )
    headline = f"Harbour Tagged {word}"
    open_new_article(admin, base, first_section_id(env), headline)
    box = admin.get_by_role("combobox", name="Tags")
    box.press_sequentially(f"quayside {word[:3]}")
    listbox = admin.get_by_role("listbox", name="Suggested tags")
    listbox.get_by_role("option", name=f"Quayside {word} · place").wait_for()
    # The nearest suggestion is active: Enter picks it.
    box.press("Enter")
    chips = admin.get_by_role("list", name="Chosen tags").locator(".tag-field__label")
    chips.first.wait_for()
    assert chips.all_inner_texts() == [f"Quayside {word} · place"]
    box.press_sequentially(f"Tidewater {word}")
    listbox.get_by_role("option", name=f"Create “Tidewater {word}” · place").wait_for()
    # Person, organisation, place: two steps down.
    box.press("ArrowDown")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == listbox.get_by_role(
        "option", selected=True
    ).get_attribute("id")
    box.press("Enter")
    admin.get_by_role("status").filter(has_text="added").wait_for()
    admin.wait_for_function(
        "() => document.querySelectorAll('.tag-field__chip').length === 2"
    )
    assert chips.all_inner_texts() == [
        f"Quayside {word} · place",
        f"Tidewater {word} · place",
    ]
    admin.get_by_role("button", name="Save draft").click()
    admin.wait_for_url("**/admin/pages/*/edit/")
    rows = shell(
        env,
        "from masthead.content.models import ArticleTag; "
        "print([(r.tag.name, r.tag.tag_type) for r in ArticleTag.objects.filter("
        f"article__title='{headline}').order_by('sort_order')])",
    )
    assert rows == str([(f"Quayside {word}", "place"), (f"Tidewater {word}", "place")])


def test_an_untouched_editor_asks_nothing_on_leaving(admin, server):
    base, env = server
    # A new article saved, then one with tags: both editors are left as
    # they open.
    headline = f"Quiet Harbour {uuid.uuid4().hex[:6]}"
    save_new_article(admin, base, first_section_id(env), headline)
    tagged = shell(
        env,
        "from masthead.content.models import ArticlePage; "
        "print(ArticlePage.objects.live().filter(article_tags__isnull=False)"
        ".order_by('pk').first().pk)",
    )
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(admin.url)
        dialog.dismiss()

    admin.on("dialog", answer)
    try:
        for url in [admin.url, f"{base}/admin/pages/{tagged}/edit/"]:
            admin.goto(url)
            admin.get_by_role("combobox", name="Tags").wait_for()
            # Wagtail takes its first look at the form shortly after
            # loading, then compares every few seconds: let both happen.
            admin.wait_for_timeout(3_000)
            # Chromium asks before leaving only a page the user has touched.
            admin.click("#id_title")
            admin.goto(f"{base}/admin/")
            assert admin.url == f"{base}/admin/"
    finally:
        admin.remove_listener("dialog", answer)
    assert asked == []
