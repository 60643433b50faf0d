"""Comments in the admin: the "Comments" menu item and its screens.

Shown to staff with ``comments.moderate_comment`` (admin_views.py). The
site setting (who may comment, moderation, closing, held words) is under
Settings → Comments, for staff with ``comments.change_commentsettings``.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .models import MODERATE_PERMISSION

_admin_patterns = [
    path("", admin_views.queue, name="queue"),
    path("<int:pk>/<slug:action>/", admin_views.moderate, name="moderate"),
    path("article/<int:article_id>/", admin_views.article, name="article"),
    path("ban/<int:member_id>/", admin_views.ban, name="ban"),
    path("bans/", admin_views.bans, name="bans"),
    path("bans/<int:pk>/lift/", admin_views.lift, name="lift"),
]


@hooks.register("register_admin_urls")
def comments_admin_urls() -> list[URLResolver]:
    return [
        path(
            "comments/",
            include((_admin_patterns, "comments_admin"), namespace="comments_admin"),
        )
    ]


class CommentsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)


@hooks.register("register_admin_menu_item")
def comments_menu_item() -> CommentsMenuItem:
    return CommentsMenuItem(
        gettext_lazy("Comments"),
        reverse("comments_admin:queue"),
        icon_name="comment",
        order=270,
    )
