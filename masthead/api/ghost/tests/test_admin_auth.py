"""Admin API tokens as Ghost checks them (services/auth/api-key/admin.js)."""

import time

import pytest

from .helpers import auth, first_error, integration, token

pytestmark = pytest.mark.django_db
POSTS = "/ghost/api/admin/posts/"


@pytest.fixture
def script():
    return integration()


def test_token_from_the_admin_client_is_accepted(client, script):
    for aud in ("/admin/", "/v5/admin/", ["/admin/"]):
        response = client.get(POSTS, **auth(script, aud=aud))
        assert response.status_code == 200, response.content
    assert response.json()["meta"]["pagination"]["total"] == 0


def test_missing_header_is_403(client):
    response = client.get(POSTS)
    assert response.status_code == 403
    assert first_error(response)["type"] == "NoPermissionError"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"aud": "/content/"}, "Invalid token: jwt audience invalid."),
        ({"aud": "/notadmin/"}, "Invalid token: jwt audience invalid."),
        ({"issued": time.time() - 3600}, None),
        (
            {"issued": time.time() - 400, "lifetime": 3600},
            "Invalid token: maxAge exceeded",
        ),
        ({"secret": "ab" * 32}, None),
        ({"kid": "0" * 24}, "Unknown Admin API Key"),
    ],
)
def test_bad_tokens_are_401(client, script, options, message):
    response = client.get(POSTS, **auth(script, **options))
    assert response.status_code == 401
    error = first_error(response)
    assert error["type"] == "UnauthorizedError"
    if message:
        assert error["message"] == message


def test_revoked_integration_is_401(client, script):
    header = auth(script)
    script.is_active = False
    script.save()
    assert client.get(POSTS, **header).status_code == 401


@pytest.mark.parametrize("header", ["Bearer abc", "Ghost", "Ghost not.a.jwt"])
def test_wrong_scheme_or_garbage_token(client, header):
    response = client.get(POSTS, HTTP_AUTHORIZATION=header)
    assert response.status_code in (400, 401)
    assert first_error(response)["type"] in ("BadRequestError", "UnauthorizedError")


def test_token_without_kid_is_400(client, script):
    import jwt

    bare = jwt.encode(
        {"iat": int(time.time()), "aud": "/admin/"},
        bytes.fromhex(script.admin_secret),
        algorithm="HS256",
    )
    response = client.get(POSTS, HTTP_AUTHORIZATION=f"Ghost {bare}")
    assert response.status_code == 400
    assert first_error(response)["message"] == "Admin API kid missing."


def test_content_key_is_no_admin_token(client, script):
    response = client.get(POSTS, {"key": script.content_key})
    assert response.status_code == 403
    assert token(script)
