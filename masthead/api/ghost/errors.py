"""Ghost's error shape: ``{"errors": [{"message", "type", ...}]}``.

Ghost's clients (@tryghost/content-api, @tryghost/admin-api) read the first
entry of ``errors`` and throw an ``Error`` named after its ``type``, so the
type names are Ghost's own (@tryghost/errors).
"""

import uuid
from typing import Any

from django.http import JsonResponse

from masthead import cache


class GhostError(Exception):
    """An API error as Ghost reports it; views turn it into a response."""

    status = 500
    type = "InternalServerError"

    def __init__(
        self,
        message: str,
        *,
        context: str | None = None,
        code: str | None = None,
        property: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.context = context
        self.code = code
        self.property = property

    def as_json(self) -> dict[str, Any]:
        return {
            "errors": [
                {
                    "message": self.message,
                    "context": self.context,
                    "type": self.type,
                    "details": None,
                    "property": self.property,
                    "help": None,
                    "code": self.code,
                    "id": str(uuid.uuid4()),
                    "ghostErrorCode": None,
                }
            ]
        }


class BadRequest(GhostError):
    status = 400
    type = "BadRequestError"


class Invalid(GhostError):
    """Bad input. Ghost answers 422 for a bad body; Masthead's rule is 400."""

    status = 400
    type = "ValidationError"


class Unauthorized(GhostError):
    status = 401
    type = "UnauthorizedError"


class NoPermission(GhostError):
    status = 403
    type = "NoPermissionError"


class NotFound(GhostError):
    status = 404
    type = "NotFoundError"


class MethodNotAllowed(GhostError):
    status = 405
    type = "MethodNotAllowedError"


class UpdateCollision(GhostError):
    status = 409
    type = "UpdateCollisionError"


class TooLarge(GhostError):
    status = 413
    type = "RequestEntityTooLargeError"


class UnsupportedMedia(GhostError):
    status = 415
    type = "UnsupportedMediaTypeError"


def error_response(error: GhostError) -> JsonResponse:
    """The JSON response for ``error``; never stored by any cache."""
    response = JsonResponse(error.as_json(), status=error.status)
    cache.apply_profile(response, cache.Profile.PRIVATE)
    return response


def json_response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    """An API answer. Keys and member state decide what it holds: private."""
    response = JsonResponse(data, status=status, json_dumps_params={"indent": None})
    cache.apply_profile(response, cache.Profile.PRIVATE)
    return response
