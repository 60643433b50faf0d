"""The admin side of stale translations and correction prompts (#15).

The translation's edit page shows a panel (content/panels.py) when
its source changed or another edition's notice asks for one here, with the
source's difference; its buttons post to ``mark_up_to_date`` and
``dismiss_prompt``, each checking that the user may edit the translation.
The "Stale translations" report lists every flagged translation the user
may edit, per edition.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.models import Locale

from masthead.core.editions import locale_code

from . import translations
from .models import ArticlePage, CorrectionPrompt, TranslationSync

REPORT_ROWS = 200


def _edit_url(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def _editable(request: HttpRequest, article: ArticlePage) -> bool:
    return bool(article.permissions_for_user(request.user).can_edit())


def _back(request: HttpRequest, article_id: int) -> HttpResponse:
    return redirect(_edit_url(article_id))


@require_POST
def mark_up_to_date(request: HttpRequest, page_id: int) -> HttpResponse:
    """The translation's editor followed the source's change: clear the flag."""
    sync = get_object_or_404(
        TranslationSync.objects.select_related("translation"), translation_id=page_id
    )
    if not _editable(request, sync.translation):
        # Case: an editor of another edition, or a contributor.
        return permission_denied(request, PermissionDenied())
    translations.mark_up_to_date(sync, user=request.user)
    messages.success(
        request,
        gettext("“%(title)s” is marked as up to date.")
        % {"title": sync.translation.title},
    )
    return _back(request, page_id)


@require_POST
def dismiss_prompt(request: HttpRequest, pk: int) -> HttpResponse:
    """No notice is needed on this edition for the other edition's one."""
    prompt = get_object_or_404(
        CorrectionPrompt.objects.pending().select_related("article"), pk=pk
    )
    if not _editable(request, prompt.article):
        # Case: an editor of another edition, or a contributor.
        return permission_denied(request, PermissionDenied())
    translations.dismiss_prompt(prompt, user=request.user)
    messages.success(request, gettext("The correction prompt is dismissed."))
    return _back(request, prompt.article_id)


def stale_translations(request: HttpRequest) -> HttpResponse:
    """Translations whose source changed or that owe a notice, per edition."""
    flagged = (
        ArticlePage.objects.filter(
            Exists(TranslationSync.objects.stale().filter(translation=OuterRef("pk")))
            | Exists(CorrectionPrompt.objects.pending().filter(article=OuterRef("pk")))
        )
        .select_related("sync", "sync__source")
        .order_by("locale_id", "title")[:REPORT_ROWS]
    )
    editable = [article for article in flagged if _editable(request, article)]
    pending: dict[int, list[CorrectionPrompt]] = {}
    for prompt in (
        CorrectionPrompt.objects.pending()
        .filter(article__in=[article.pk for article in editable])
        .select_related("correction")
        .order_by("correction__published_at")
    ):
        pending.setdefault(prompt.article_id, []).append(prompt)
    names = {locale.pk: locale.get_display_name() for locale in Locale.objects.all()}
    editions: dict[str, list[dict[str, Any]]] = {}
    for article in editable:
        sync = getattr(article, "sync", None)
        editions.setdefault(
            names.get(article.locale_id, locale_code(article.locale_id)), []
        ).append(
            {
                "article": article,
                "sync": sync if sync is not None and sync.is_stale else None,
                "prompts": pending.get(article.pk, []),
                "edit_url": _edit_url(article.pk),
            }
        )
    return TemplateResponse(
        request,
        "content/admin/stale_translations.html",
        {"editions": sorted(editions.items()), "page_title": "Stale translations"},
    )
