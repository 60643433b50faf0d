import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import GroupPagePermission

from masthead.content.factories import make_section
from masthead.newsroom.services import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR
from masthead.newsroom.two_factor import must_use_two_factor

pytestmark = pytest.mark.django_db


def member(django_user_model, role, name):
    user = django_user_model.objects.create_user(name, password="a-long-pass-phrase")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture(autouse=True)
def _no_code_throttle(settings):
    # django-otp slows down retries after a wrong code (1 s, 2 s, 4 s…); the
    # tests type a wrong code and then the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_administrator_must_set_up_two_factor_first(client, django_user_model):
    admin = member(django_user_model, ADMINISTRATOR, "chief")
    client.force_login(admin)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/setup/")

    page = client.get(response["Location"])
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one(".two-factor-secret").get_text().strip()

    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post(
        "/admin/2fa/setup/", {"token": "000000", "next": "/admin/pages/"}
    )
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    # The password alone still opens nothing but the setup page.
    assert client.get("/admin/pages/")["Location"].startswith("/admin/2fa/setup/")

    done = client.post(
        "/admin/2fa/setup/", {"token": code_for(device), "next": "/admin/pages/"}
    )
    assert done["Location"] == "/admin/pages/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/pages/").status_code == 200


def test_a_new_session_needs_the_current_code(client, django_user_model):
    editor = member(django_user_model, EDITOR, "desk-editor")
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.force_login(editor)
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/2fa/verify/")
    assert client.post("/admin/2fa/verify/", {"token": "123456"}).status_code == 200
    ok = client.post(
        "/admin/2fa/verify/", {"token": code_for(device), "next": "/admin/"}
    )
    assert ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_two_factor_is_optional_for_roles_that_cannot_publish(
    client, django_user_model
):
    contributor = member(django_user_model, CONTRIBUTOR, "relaxed")
    assert not must_use_two_factor(contributor)
    client.force_login(contributor)
    assert client.get("/admin/").status_code == 200


def test_next_cannot_send_a_user_off_site(client, django_user_model):
    editor = member(django_user_model, EDITOR, "careful")
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.force_login(editor)
    response = client.post(
        "/admin/2fa/verify/",
        {"token": code_for(device), "next": "https://evil.example/steal"},
    )
    assert response["Location"] == "/admin/"


def test_public_site_never_asks_for_a_code(client, django_user_model):
    client.force_login(member(django_user_model, ADMINISTRATOR, "reader-admin"))
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("confirmed", "path", "button"),
    [(False, "/admin/2fa/setup/", "Turn on"), (True, "/admin/2fa/verify/", "Continue")],
)
def test_both_pages_ask_for_the_code_and_keep_where_to_go_next(
    client, django_user_model, confirmed, path, button
):
    admin = member(django_user_model, ADMINISTRATOR, "chief")
    if confirmed:
        TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client.force_login(admin)
    page = client.get(path + "?next=/admin/pages/")
    form = BeautifulSoup(page.content, "html.parser").select_one("form[method=post]")
    assert form is not None
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert form.select_one("input[name=token]") is not None
    label = form.select_one("label")
    assert label is not None and label["for"] == "id_token"
    next_field = form.select_one("input[name=next]")
    assert next_field is not None and next_field["value"] == "/admin/pages/"
    submit = form.select_one("button[type=submit]")
    assert submit is not None and submit.get_text(strip=True) == button


def asks_for(client, path="/admin/pages/"):
    """Where the admin sends this session first: the two-factor page it owes."""
    response = client.get(path)
    assert response.status_code == 302
    return response["Location"].split("?")[0]


def test_password_alone_cannot_reach_setup_once_a_device_exists(
    client, django_user_model
):
    admin = member(django_user_model, ADMINISTRATOR, "phished")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client.force_login(admin)

    response = client.get("/admin/2fa/setup/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/verify/")
    # No new secret was shown, so none waits to be confirmed.
    assert not TOTPDevice.objects.filter(user=admin, confirmed=False).exists()
    assert asks_for(client) == "/admin/2fa/verify/"


def test_a_second_device_needs_a_verified_session(client, django_user_model):
    admin = member(django_user_model, ADMINISTRATOR, "chief")
    phone = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    # A secret left over from an abandoned setup, or read over a shoulder.
    spare = TOTPDevice.objects.create(user=admin, name="spare", confirmed=False)
    client.force_login(admin)

    refused = client.post(
        "/admin/2fa/setup/", {"token": code_for(spare), "next": "/admin/pages/"}
    )

    assert refused["Location"].startswith("/admin/2fa/verify/")
    assert not TOTPDevice.objects.get(pk=spare.pk).confirmed
    assert asks_for(client) == "/admin/2fa/verify/"

    client.post("/admin/2fa/verify/", {"token": code_for(phone)})
    assert client.get("/admin/2fa/setup/").status_code == 200
    enrolled = client.post(
        "/admin/2fa/setup/", {"token": code_for(spare), "next": "/admin/pages/"}
    )
    assert enrolled["Location"] == "/admin/pages/"
    assert TOTPDevice.objects.get(pk=spare.pk).confirmed


def test_a_superuser_in_no_group_is_asked_for_a_code(client, django_user_model):
    root = django_user_model.objects.create_superuser(
        "root", password="a-long-pass-phrase"
    )
    assert not root.groups.exists()
    client.force_login(root)
    assert asks_for(client) == "/admin/2fa/setup/"

    TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    assert asks_for(client) == "/admin/2fa/verify/"


def test_publish_rights_on_any_page_require_two_factor(client, django_user_model):
    section = make_section("Culture", "culture")
    desk = Group.objects.create(name="Culture desk")
    desk.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=desk,
        page=section,
        permission=Permission.objects.get(codename="publish_page"),
    )
    critic = member(django_user_model, "Culture desk", "critic")

    assert must_use_two_factor(critic)
    client.force_login(critic)
    assert asks_for(client) == "/admin/2fa/setup/"


@pytest.mark.parametrize(
    ("role", "owes"),
    [(CONTRIBUTOR, False), (AUTHOR, True), (EDITOR, True), (ADMINISTRATOR, True)],
)
def test_who_must_use_two_factor_follows_the_roles_rights(
    django_user_model, role, owes
):
    assert must_use_two_factor(member(django_user_model, role, "someone")) is owes


def test_managing_accounts_requires_two_factor(django_user_model):
    # Whoever can edit users or groups can give themselves any right.
    keeper = django_user_model.objects.create_user("keeper", password="x")
    keeper.user_permissions.add(Permission.objects.get(codename="change_user"))
    assert must_use_two_factor(keeper)


def test_the_configured_groups_still_require_two_factor(
    client, django_user_model, settings
):
    settings.MASTHEAD_2FA_REQUIRED_GROUPS = [CONTRIBUTOR]
    contributor = member(django_user_model, CONTRIBUTOR, "careful-writer")
    client.force_login(contributor)
    assert asks_for(client, "/admin/") == "/admin/2fa/setup/"


def test_two_factor_off_asks_nobody(client, django_user_model, settings):
    settings.MASTHEAD_2FA_ENABLED = False
    client.force_login(
        django_user_model.objects.create_superuser("sso", password="a-long-pass")
    )
    assert client.get("/admin/").status_code == 200
