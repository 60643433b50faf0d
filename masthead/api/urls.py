"""Masthead's own API (docs/api.md)."""

from django.urls import URLPattern

app_name = "api"

urlpatterns: list[URLPattern] = []
