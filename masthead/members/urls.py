"""``/account/…`` (and ``/uk/account/…``): the member's pages (issue #16)."""

from django.urls import path, re_path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.sign_in_request, name="sign-in"),
    # Tokens are 64 hex digits (services.raw_token); anything longer is 404.
    re_path(
        r"^sign-in/(?P<token>[A-Za-z0-9_-]{1,128})/$", views.confirm, name="confirm"
    ),
    path("sign-out/", views.sign_out_view, name="sign-out"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("email/", views.change_email, name="email"),
    path("my-data.json", views.download_data, name="data"),
    path("delete/", views.delete_account, name="delete"),
    path("status.json", views.status, name="status"),
    # A gated article's "Already a member?" link (#17).
    path("access/", views.renew_access, name="access"),
]
