"""Masthead's own API (docs/api.md): /api/v1/…, /api/openapi.json, /api/docs/."""

from django.urls import URLPattern, URLResolver, path

from .api import api
from .views import reference

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("docs/", reference, name="docs"),
    path("", api.urls),
]
