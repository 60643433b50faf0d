"""The API reference page, rendered on the server from the OpenAPI document."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from masthead import cache

METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation of ``schema`` with its parameters and answers, in order."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "has_body": "requestBody" in operation,
                    "statuses": sorted(operation.get("responses", {})),
                    "anchor": operation.get("operationId", f"{method}-{path}"),
                }
            )
    return found


def reference(request: HttpRequest) -> HttpResponse:
    """Every operation of the API, from the same document clients read."""
    from .api import api

    schema = api.get_openapi_schema()
    context = {
        "title": schema["info"]["title"],
        "description": schema["info"].get("description", ""),
        "version": schema["info"]["version"],
        "operations": operations(schema),
    }
    response = TemplateResponse(request, "api/reference.html", context)
    cache.tag(request, cache.SITE)
    return cache.apply_profile(response, cache.Profile.PUBLIC)
