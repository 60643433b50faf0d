"""The demo's sign-ins: created once in their roles, never reset by a rerun (#14)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user, get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from masthead.content.factories import make_article, make_section
from masthead.demo.accounts import DemoAccount, logins_path
from masthead.demo.build import build_demo
from masthead.newsroom.services import ADMINISTRATOR, EDITOR

from .test_demo import SMALL, frozen_clock  # noqa: F401 - a fixture


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    # Generated passwords are written under the var directory.
    settings.VAR_DIR = tmp_path
    return tmp_path


def signed_in(client: Client):
    """The user the client's session signs in, checked as a request would be."""
    request = HttpRequest()
    request.session = client.session
    return get_user(request)


@pytest.mark.django_db
def test_demo_editor_is_in_the_editor_role_and_admin_is_a_superuser(frozen_clock):  # noqa: F811
    build_demo(password="demo-secret", **SMALL)

    users = get_user_model().objects
    editor, admin = users.get(username="editor"), users.get(username="admin")
    assert list(editor.groups.values_list("name", flat=True)) == [EDITOR]
    assert not editor.is_superuser
    assert editor.has_perm("wagtailadmin.access_admin")
    assert admin.is_superuser
    assert list(admin.groups.values_list("name", flat=True)) == [ADMINISTRATOR]
    assert editor.check_password("demo-secret")
    assert admin.check_password("demo-secret")


@pytest.mark.django_db
def test_rerun_keeps_passwords_rights_and_sessions(frozen_clock, monkeypatch):  # noqa: F811
    first = build_demo(password="first-secret", **SMALL)
    users = get_user_model().objects
    hashes = dict(users.values_list("username", "password"))
    client = Client()
    client.force_login(users.get(username="editor"))
    # An administrator's own choice: the demo does not take it back.
    users.filter(username="admin").update(first_name="Chosen")

    monkeypatch.setenv("MASTHEAD_DEMO_PASSWORD", "from-the-environment")
    second = build_demo(**SMALL)

    assert dict(users.values_list("username", "password")) == hashes
    assert signed_in(client).get_username() == "editor"
    assert users.get(username="admin").first_name == "Chosen"
    assert [a.password for a in first["accounts"]] == ["first-secret"] * 2
    assert [a.password for a in second["accounts"]] == [None, None]


@pytest.mark.django_db
def test_generated_passwords_are_written_for_their_owner_only(frozen_clock):  # noqa: F811
    result = build_demo(**SMALL)

    path = logins_path()
    assert path.stat().st_mode & 0o777 == 0o600
    written = dict(line.split(" ", 1) for line in path.read_text().splitlines())
    assert written == {a.username: a.password for a in result["accounts"]}
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(written["editor"])


def fake_result(*accounts: DemoAccount, created: int = 0):
    return {"seconds": 1.0, "articles": 200, "created": created, "accounts": accounts}


EDITOR_ACCOUNT = DemoAccount(EDITOR, "editor", "s3cret", True, None)
ADMIN_ACCOUNT = DemoAccount(ADMINISTRATOR, "admin", None, True, None)


@pytest.mark.django_db
def test_command_prints_each_login_and_the_real_article_count(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 - a value, not a bind
    monkeypatch.setenv("PORT", "8123")
    sizes_seen = {}
    section = make_section()
    for _ in range(3):
        make_article(section)

    def fake_build_demo(stdout=None, **sizes):
        sizes_seen.update(sizes)
        return fake_result(EDITOR_ACCOUNT, ADMIN_ACCOUNT)

    monkeypatch.setattr(
        "masthead.demo.management.commands.demo.build_demo", fake_build_demo
    )
    out = StringIO()

    call_command("demo", "--articles", "12", stdout=out)

    assert sizes_seen == {"articles": 12, "authors": 20, "tags": 60, "feed_items": 150}
    lines = out.getvalue().splitlines()
    # The site's own count, not the 200 the demo planned (#14).
    assert "the site has 3 articles," in lines[0]
    assert (
        "Editor login: http://127.0.0.1:8123/admin/ user: editor password: s3cret"
        in lines
    )
    assert (
        "Administrator login: http://127.0.0.1:8123/admin/ user: admin "
        "password unchanged" in lines
    )


@pytest.mark.django_db
def test_command_says_where_a_generated_password_was_written(monkeypatch):
    logins_path().write_text("admin kept-secret\n")
    monkeypatch.setattr(
        "masthead.demo.management.commands.demo.build_demo",
        lambda stdout=None, **sizes: fake_result(ADMIN_ACCOUNT),
    )
    out = StringIO()

    call_command("demo", stdout=out)

    assert f"password unchanged (as set at creation, in {logins_path()})" in (
        out.getvalue()
    )
    assert "kept-secret" not in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("two_factor", [True, False])
def test_command_says_who_sets_up_two_factor(monkeypatch, settings, two_factor):
    # Editors and administrators can publish, so they owe a code (#12, #14).
    settings.MASTHEAD_2FA_ENABLED = two_factor
    monkeypatch.setattr(
        "masthead.demo.management.commands.demo.build_demo",
        lambda stdout=None, **sizes: fake_result(EDITOR_ACCOUNT, ADMIN_ACCOUNT),
    )
    out = StringIO()

    call_command("demo", stdout=out)

    notes = [line for line in out.getvalue().splitlines() if "MASTHEAD_2FA=0" in line]
    assert len(notes) == (1 if two_factor else 0)
    if two_factor:
        assert "editor and admin set up an authenticator app" in notes[0]


@pytest.mark.django_db
def test_demo_accounts_must_set_up_two_factor(frozen_clock):  # noqa: F811
    result = build_demo(password="demo-secret", **SMALL)

    assert [a.two_factor for a in result["accounts"]] == [True, True]
