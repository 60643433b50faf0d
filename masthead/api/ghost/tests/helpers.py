"""Integrations and Ghost-style tokens for the Ghost API tests."""

import time
from typing import Any

import jwt

from masthead.api.models import ALL_SCOPES, Integration


def integration(name: str = "Script", scopes: list[str] | None = None, **fields: Any):
    return Integration.objects.create(
        name=name, scopes=ALL_SCOPES if scopes is None else scopes, **fields
    )


def token(
    found: Integration,
    *,
    aud: Any = "/admin/",
    issued: float | None = None,
    lifetime: int = 300,
    kid: str | None = None,
    secret: str | None = None,
) -> str:
    """A token as @tryghost/admin-api signs it (lib/token.js)."""
    now = int(time.time() if issued is None else issued)
    return jwt.encode(
        {"iat": now, "exp": now + lifetime, "aud": aud},
        bytes.fromhex(secret or found.admin_secret),
        algorithm="HS256",
        headers={"kid": kid or found.admin_key_id},
    )


def auth(found: Integration, **options: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Ghost {token(found, **options)}"}


def first_error(response) -> dict[str, Any]:
    data = response.json()
    assert set(data) == {"errors"}
    return data["errors"][0]
