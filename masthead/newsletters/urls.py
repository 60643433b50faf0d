"""``/newsletters/…`` (and ``/uk/newsletters/…``): sign-up, archive, links (#16)."""

from django.urls import path, re_path

from . import views

app_name = "newsletters"

# Tokens are digits, dashes and hex (links.py), but any segment reaches the
# views, which answer a bad one with 404: a mangled one-click POST must not
# fall through to the page tree and get the CSRF middleware's 403.
_TOKEN = r"(?P<token>[^/]{1,200})"  # noqa: S105 - a URL pattern

urlpatterns = [
    path("", views.newsletter_list, name="list"),
    re_path(rf"^confirm/{_TOKEN}/$", views.confirm, name="confirm"),
    re_path(rf"^unsubscribe/{_TOKEN}/$", views.unsubscribe, name="unsubscribe"),
    path("preferences/", views.my_preferences, name="my-preferences"),
    re_path(rf"^preferences/{_TOKEN}/$", views.preferences, name="preferences"),
    path("<slug:slug>/", views.newsletter_detail, name="detail"),
    path("<slug:slug>/sign-up/", views.sign_up, name="sign-up"),
    path("<slug:slug>/<int:issue_id>/", views.issue_detail, name="issue"),
]
