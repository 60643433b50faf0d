import pytest
from axes.models import AccessAttempt, AccessFailureLog

pytestmark = pytest.mark.django_db


def attempt(client, password):
    return client.post(
        "/admin/login/",
        {"username": "reporter", "password": password},
        REMOTE_ADDR="127.0.0.9",
    )


def test_repeated_failures_are_logged_then_locked_out(
    client, django_user_model, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user(
        "reporter", password="the-right-pass-phrase", is_staff=True
    )
    for _ in range(2):
        assert attempt(client, "wrong").status_code == 200  # form shown again
    assert AccessFailureLog.objects.filter(username="reporter").count() == 2

    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    # Even the right password is refused during the cool-off.
    assert attempt(client, "the-right-pass-phrase").status_code == 429
    assert AccessAttempt.objects.get(username="reporter").failures_since_start >= 3


def test_a_good_sign_in_is_not_throttled(client, django_user_model):
    django_user_model.objects.create_user("ok", password="the-right-pass-phrase")
    response = client.post(
        "/admin/login/", {"username": "ok", "password": "the-right-pass-phrase"}
    )
    assert response.status_code == 302
