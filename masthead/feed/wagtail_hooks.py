from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NewsFeedItem


class NewsFeedItemViewSet(SnippetViewSet):
    model = NewsFeedItem
    icon = "time"
    menu_label = "News Feed"
    menu_order = 190
    add_to_admin_menu = True
    list_display = ["headline", "published_at", "article"]
    search_fields = ["headline"]
    ordering = ["-published_at"]


register_snippet(NewsFeedItemViewSet)
