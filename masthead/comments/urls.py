"""Comments' URLs in every edition (``/uk/…`` too), included at the root.

Two prefixes, one namespace: ``comments/<article>/`` are the public pages,
one cached copy for every reader (views.py); ``account/comments/…`` are the
member's own, under ``/account/`` so every cache passes them to the app
with the member's cookie (account_views.py).
"""

from django.urls import path, re_path

from . import account_views, views

app_name = "comments"

urlpatterns = [
    path("comments/<int:article_id>/", views.comments_page, name="page"),
    path(
        "comments/<int:article_id>/fragment/",
        views.comments_fragment,
        name="fragment",
    ),
    path("account/comments/", account_views.my_comments, name="mine"),
    path(
        "account/comments/new/<int:article_id>/",
        account_views.new_comment,
        name="new",
    ),
    path("account/comments/<int:comment_id>/reply/", account_views.reply, name="reply"),
    path("account/comments/<int:comment_id>/edit/", account_views.edit, name="edit"),
    path(
        "account/comments/<int:comment_id>/delete/",
        account_views.delete,
        name="delete",
    ),
    path(
        "account/comments/<int:comment_id>/report/",
        account_views.report,
        name="report",
    ),
    path(
        "account/comments/preferences/",
        account_views.preferences,
        name="preferences",
    ),
    # Any segment reaches the view, which answers a bad token with 404: a
    # mangled one-click POST must not fall through to the page tree and
    # get the CSRF middleware's 403.
    re_path(
        r"^account/comments/replies/stop/(?P<token>[^/]{1,100})/$",
        account_views.stop_replies,
        name="stop-replies",
    ),
]
