"""The APIs' errors: one JSON shape, the right status, never a 500 for bad input.

Every refusal is ``{"errors": [{"code", "message", "field"}]}``: 400 for bad
input (``field`` names the parameter or body field), 401 for a missing or
wrong key, 403 for a missing scope, 404 for an unknown id or slug.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .schemas import Problem


class ApiError(Exception):
    """A refusal with its HTTP status, a stable code, a message and a field."""

    def __init__(
        self, status: int, code: str, message: str, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def bad_input(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid", message, field)


def not_found(what: str = "resource") -> ApiError:
    return ApiError(404, "not_found", f"No such {what}.")


def problem_response(
    api: NinjaAPI, request: HttpRequest, status: int, problems: list[Problem]
) -> HttpResponse:
    payload = {"errors": [problem.model_dump() for problem in problems]}
    response = api.create_response(request, payload, status=status)
    # Refusals are personal (a key, a body): no cache keeps them.
    response["Cache-Control"] = "private, no-store"
    return response


def _field_of(location: Any) -> str | None:
    """``["query", "limit"]`` -> ``limit``; the body's own path joined with dots."""
    parts = [str(part) for part in location if part not in {"query", "path", "body"}]
    parts = [part for part in parts if part not in {"payload", "data"}] or parts
    return ".".join(parts) or None


def validation_problems(errors: list[dict[str, Any]]) -> list[Problem]:
    return [
        Problem(
            code="invalid",
            message=str(error.get("msg", "Invalid value.")),
            field=_field_of(error.get("loc", ())),
        )
        for error in errors
    ]


def django_problems(error: ValidationError) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            Problem(
                code="invalid",
                message=" ".join(messages),
                field=None if field == "__all__" else field,
            )
            for field, messages in error.message_dict.items()
        ]
    return [Problem(code="invalid", message=" ".join(error.messages), field=None)]


def install(api: NinjaAPI) -> None:
    """Route every exception the APIs expect to its JSON refusal."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        problem = Problem(code=exc.code, message=exc.message, field=exc.field)
        return problem_response(api, request, exc.status, [problem])

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        # Ninja's own default is 422; the house rule is 400 naming the field.
        return problem_response(api, request, 400, validation_problems(exc.errors))

    @api.exception_handler(ValidationError)
    def model_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem_response(api, request, 400, django_problems(exc))

    @api.exception_handler(PermissionDenied)
    def not_permitted(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # Case: the integration's acting user may not do this in Wagtail
        # (publish in that section, say): its permissions apply as in the admin.
        problem = Problem(
            code="forbidden",
            message="The integration's acting user may not do this.",
            field=None,
        )
        return problem_response(api, request, 403, [problem])

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        problem = Problem(
            code="unauthorized", message="A valid key is required.", field=None
        )
        response = problem_response(api, request, 401, [problem])
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        problem = Problem(code="not_found", message="Not found.", field=None)
        return problem_response(api, request, 404, [problem])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = "invalid" if exc.status_code == 400 else "error"
        problem = Problem(code=code, message=str(exc.message), field=None)
        return problem_response(api, request, exc.status_code, [problem])
