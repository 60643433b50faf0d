from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import desk, live, live_desk, services
from .models import NewsFeedItem


class NewsFeedItemViewSet(SnippetViewSet):
    model = NewsFeedItem
    icon = "time"
    menu_label = gettext_lazy("News Feed")
    menu_order = 190
    add_to_admin_menu = True
    list_display = ["headline", "published_at", "article"]
    search_fields = ["headline"]
    ordering = ["-published_at"]


register_snippet(NewsFeedItemViewSet)


@hooks.register("register_admin_urls")
def desk_urls() -> list[URLPattern]:
    return [
        path("news-feed-desk/", desk.desk, name="feed_desk"),
        path("news-feed-desk/<int:pk>/pin/", desk.pin, name="feed_desk_pin"),
        path("news-feed-desk/<int:pk>/delete/", desk.delete, name="feed_desk_delete"),
        path(
            "news-feed-desk/<int:pk>/promote/", desk.promote, name="feed_desk_promote"
        ),
        path("news-feed-desk/live/", live_desk.live_desk, name="feed_live_desk"),
        path(
            "news-feed-desk/live/<int:pk>/close/",
            live_desk.close,
            name="feed_live_desk_close",
        ),
        path(
            "news-feed-desk/live/<int:pk>/write-up/",
            live_desk.write_up,
            name="feed_live_desk_write_up",
        ),
    ]


class DeskMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perms(desk.DESK_PERMISSIONS)


@hooks.register("register_admin_menu_item")
def desk_menu_item() -> DeskMenuItem:
    return DeskMenuItem(
        gettext_lazy("News Feed desk"),
        reverse("feed_desk"),
        icon_name="time",
        order=180,
    )


@hooks.register("register_log_actions")
def live_log_actions(actions: Any) -> None:
    for action, (label, message) in live.LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_log_actions")
def desk_log_actions(actions: Any) -> None:
    for action, (label, message) in services.LOG_ACTIONS.items():
        actions.register_action(action, label, message)
