"""Two-factor pages say what went wrong, and who must enrol (issue #14).

A wrong code used to show nothing an editor noticed, and after three misses
django-otp's throttle refused the right code with the same silence.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from masthead.newsroom.two_factor import WRONG_CODE, must_use_two_factor

pytestmark = pytest.mark.django_db

# django-otp waits factor x 1, 2, 4… seconds after each wrong code, refusing
# every code meanwhile; 60 makes the first wait one minute.
THROTTLE_FACTOR = 60


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def wrong_code_for(device) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def token_error(response) -> str:
    """The error shown with the code field, checked to be tied to the field."""
    soup = BeautifulSoup(response.content, "html5lib")
    field = soup.select_one("input[name=token]")
    assert field is not None
    described = field.get("aria-describedby", "")
    error = soup.find(id=described) if described else None
    assert error is not None, "the code field names no error element"
    assert error.get("role") == "alert"
    return " ".join(error.get_text(" ", strip=True).split())


@pytest.fixture
def enrolled(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "night-editor", password="a-long-pass-phrase"
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    return device


def test_a_wrong_code_says_so(client, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    response = client.post("/admin/2fa/verify/", {"token": wrong_code_for(enrolled)})
    assert response.status_code == 200
    assert token_error(response) == WRONG_CODE


def test_a_wrong_code_at_setup_says_so(client, django_user_model, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(
        django_user_model.objects.create_superuser("new-chief", password="x-long-pw")
    )
    client.get("/admin/2fa/setup/")
    device = TOTPDevice.objects.get(user__username="new-chief", confirmed=False)
    response = client.post("/admin/2fa/setup/", {"token": wrong_code_for(device)})
    assert token_error(response) == WRONG_CODE


def test_after_three_misses_the_wait_is_stated(client, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = THROTTLE_FACTOR
    for _ in range(3):
        client.post("/admin/2fa/verify/", {"token": wrong_code_for(enrolled)})
    # The right code is refused while the throttle waits, and the page says why.
    response = client.post(
        "/admin/2fa/verify/", {"token": code_for(enrolled), "next": "/admin/"}
    )
    assert response.status_code == 200
    error = token_error(response)
    assert re.fullmatch(
        r"Too many attempts: try again in 1 minute \(at \d\d:\d\d:\d\d\)\.", error
    ), error
    assert client.get("/admin/")["Location"].startswith("/admin/2fa/verify/")


def test_the_right_code_works_once_the_wait_is_over(client, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = THROTTLE_FACTOR
    client.post("/admin/2fa/verify/", {"token": wrong_code_for(enrolled)})
    TOTPDevice.objects.filter(pk=enrolled.pk).update(throttling_failure_timestamp=None)
    ok = client.post(
        "/admin/2fa/verify/", {"token": code_for(enrolled), "next": "/admin/"}
    )
    assert ok.status_code == 302
    assert ok["Location"] == "/admin/"


@pytest.mark.parametrize(
    "codename", ["add_newsfeeditem", "change_newsfeeditem"], ids=["post", "edit"]
)
def test_whoever_can_post_to_the_news_feed_must_enrol(
    client, django_user_model, codename
):
    poster = django_user_model.objects.create_user("poster", password="a-long-pw")
    poster.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename=codename),
    )
    assert must_use_two_factor(poster)
    client.force_login(poster)
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/2fa/setup/")


def test_reading_the_news_feed_alone_does_not_require_two_factor(django_user_model):
    reader = django_user_model.objects.create_user("reader", password="a-long-pw")
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_newsfeeditem"),
    )
    assert not must_use_two_factor(reader)
