"""Ghost-compatible Content and Admin APIs (docs/api.md)."""

from django.urls import URLPattern

app_name = "ghost"

urlpatterns: list[URLPattern] = []
