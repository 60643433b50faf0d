from django.urls import URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import views
from .choosers import TagChooserViewSet
from .models import Tag


class TagViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    menu_label = _("Tags")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "tag_type", "slug"]
    list_filter = ["tag_type"]
    search_fields = ["name"]
    # Search first, each tag's type shown, new tags made in the chooser (#14).
    chooser_viewset_class = TagChooserViewSet


register_snippet(TagViewSet)


@hooks.register("register_admin_urls")
def tag_field_urls() -> list[URLResolver]:
    # The article editor's tag field: suggestions and create-as-you-type (#14).
    urls = [
        path("suggest/", views.suggest, name="suggest"),
        path("new/", views.create, name="create"),
    ]
    return [path("tag-field/", include((urls, "tag_field")))]
