from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import translation_admin
from .choosers import article_chooser_viewset
from .models import Correction
from .services import CORRECTION_LOG_ACTION, apply_correction

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class CorrectionViewSet(SnippetViewSet):
    model = Correction
    icon = "warning"
    menu_label = gettext_lazy("Corrections")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind"]
    ordering = ["-published_at"]
    # The model's panels, the article picked from the newest ones with
    # search rather than from the page tree (#14).
    panels = [
        FieldPanel("article", widget=article_chooser_viewset.widget_class)
        if getattr(panel, "field_name", None) == "article"
        else panel
        for panel in Correction.panels
    ]


register_snippet(CorrectionViewSet)


@hooks.register("after_create_snippet")
def correction_created(request: HttpRequest, instance: object) -> None:
    if isinstance(instance, Correction):
        # Snippet views are behind the admin's login: the user is signed in.
        user = cast("User", request.user)
        instance.created_by = user
        instance.save(update_fields=["created_by"])
        apply_correction(instance, user=user)


@hooks.register("after_edit_snippet")
def correction_edited(request: HttpRequest, instance: object) -> None:
    if isinstance(instance, Correction):
        # Snippet views are behind the admin's login: the user is signed in.
        apply_correction(instance, user=cast("User", request.user))


@hooks.register("register_log_actions")
def correction_log_action(actions: Any) -> None:
    actions.register_action(
        CORRECTION_LOG_ACTION,
        gettext_lazy("Add correction or update"),
        gettext_lazy("Added a notice"),
    )


@hooks.register("register_admin_viewset")
def register_article_chooser() -> Any:
    return article_chooser_viewset


@hooks.register("register_admin_urls")
def translation_urls() -> list[URLPattern]:
    """Stale translations and correction prompts (#15)."""
    return [
        path(
            "translations/stale/",
            translation_admin.stale_translations,
            name="content_stale_translations",
        ),
        path(
            "translations/<int:page_id>/up-to-date/",
            translation_admin.mark_up_to_date,
            name="content_translation_up_to_date",
        ),
        path(
            "translations/prompts/<int:pk>/dismiss/",
            translation_admin.dismiss_prompt,
            name="content_prompt_dismiss",
        ),
    ]


@hooks.register("register_reports_menu_item")
def stale_translations_menu_item() -> MenuItem:
    return MenuItem(
        gettext_lazy("Stale translations"),
        reverse("content_stale_translations"),
        icon_name="warning",
        order=800,
    )
