import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from masthead.newsroom.services import ADMINISTRATOR, EDITOR

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


def test_two_factor_is_optional_for_other_roles(client, django_user_model):
    client.force_login(member(django_user_model, EDITOR, "relaxed"))
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
