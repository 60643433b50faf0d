"""``/newsletters/…`` (and ``/uk/newsletters/…``): sign-up, archive, links (#16)."""

from django.urls import URLPattern

app_name = "newsletters"

urlpatterns: list[URLPattern] = []
