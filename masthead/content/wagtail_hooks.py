from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Correction
from .services import CORRECTION_LOG_ACTION, apply_correction


class CorrectionViewSet(SnippetViewSet):
    model = Correction
    icon = "warning"
    menu_label = "Corrections"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind"]
    ordering = ["-published_at"]


register_snippet(CorrectionViewSet)


@hooks.register("after_create_snippet")
def correction_created(request, instance):
    if isinstance(instance, Correction):
        instance.created_by = request.user
        instance.save(update_fields=["created_by"])
        apply_correction(instance, user=request.user)


@hooks.register("after_edit_snippet")
def correction_edited(request, instance):
    if isinstance(instance, Correction):
        apply_correction(instance, user=request.user)


@hooks.register("register_log_actions")
def correction_log_action(actions):
    actions.register_action(
        CORRECTION_LOG_ACTION, "Add correction or update", "Added a notice"
    )
