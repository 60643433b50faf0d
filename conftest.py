"""Project-wide pytest fixtures."""

import pytest

# smtp_server and smtp_mail: a real SMTP server for every app's mail tests.
# page_cache: the page cache in front of Django, for tests of cached pages.
pytest_plugins = ["masthead.core.tests.smtp", "masthead.cache.tests.reader"]


@pytest.fixture(autouse=True)
def _isolated_caches():
    """Each test starts with empty caches (settings and renditions are cached)."""
    from django.core.cache import caches

    from masthead import cache

    for alias in ("default", "renditions"):
        caches[alias].clear()
    # Pages and fragments (the sidebar) too: tests roll back their writes
    # without running the purges that would drop them.
    cache.reset()
    yield


def _sign_in_with_code(client, user):
    """Sign ``client`` in as ``user`` in a session that has passed a code.

    Staff who can publish or administer owe a second factor
    (newsroom/two_factor.py): this enrols a confirmed authenticator and marks
    the session verified through ``django_otp.login``, as a right code does.

    Returns:
        The confirmed device.
    """
    import django_otp
    from django.http import HttpRequest
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(
        user=user, name="Test authenticator", confirmed=True
    )
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    django_otp.login(request, device)
    request.session.save()
    return device


@pytest.fixture
def sign_in_with_code(db):
    """``sign_in_with_code(client, user)``: a verified admin session."""
    return _sign_in_with_code


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin client, with the code a superuser owes passed."""
    from django.test import Client

    client = Client()
    _sign_in_with_code(client, admin_user)
    return client


@pytest.fixture
def edition_sections(db):
    """``(english, ukrainian)``: the section "World" and its Ukrainian
    translation "Світ", with the one-edition roles made (#15)."""
    from masthead.content.editions import translate_page
    from masthead.content.factories import home_page, make_section
    from masthead.newsroom.services import ensure_edition_roles

    english = make_section("World", "world")
    home_page("uk")
    ukrainian = translate_page(english, "uk", title="Світ", slug="svit")
    ensure_edition_roles()
    return english, ukrainian


@pytest.fixture
def uk_editor(client, django_user_model, sign_in_with_code, edition_sections):
    """An editor limited to the Ukrainian edition (``Editor (uk)``), signed
    in on ``client`` with the code their role owes."""
    from django.contrib.auth.models import Group

    # A test account's password, in no real database.
    password = "a-long-pass-phrase"  # noqa: S105
    user = django_user_model.objects.create_user("ola", password=password)
    user.groups.add(Group.objects.get(name="Editor (uk)"))
    sign_in_with_code(client, user)
    return user
