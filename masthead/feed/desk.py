"""The News Feed desk: post, pin and promote in seconds (issue #4).

A small admin view next to the full editor: one short form and the latest
posts with their actions. Each action is a plain POST with CSRF and checks the
News Feed model permission it needs (issue #12): Wagtail's admin access alone,
which Contributors have, is not enough.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from masthead.content.choosers import article_chooser_viewset
from masthead.content.edition_access import edition_locale_ids
from masthead.content.models import ArticlePage, SectionPage

from . import services
from .models import NewsFeedItem

DESK_ITEMS = 30
# The desk page shows the post form and every post, scheduled ones included.
DESK_PERMISSIONS = ("feed.add_newsfeeditem", "feed.view_newsfeeditem")
PIN_PERMISSIONS = ("feed.change_newsfeeditem",)
DELETE_PERMISSIONS = ("feed.delete_newsfeeditem",)
# Promoting reads a post's text and links the post to the new draft.
PROMOTE_PERMISSIONS = ("feed.change_newsfeeditem", "feed.view_newsfeeditem")

View = Callable[..., HttpResponse]


class PostForm(WagtailAdminModelForm):
    """A post: rich text (bold, italic, links), an optional photo and embed.

    Wagtail's admin model form gives the body the rich text editor with the
    field's features and the photo the image chooser, as in the full editor;
    the model's own validation (embeds, unclosed markup) runs on ``is_valid``.
    """

    class Meta:
        model = NewsFeedItem
        fields = [
            # Which edition's News Feed the post goes to (#15).
            "locale",
            "headline",
            "body",
            "image",
            "image_caption",
            "image_alt_text",
            "embed_url",
            "article",
            "is_pinned",
        ]
        labels = {"is_pinned": gettext_lazy("Pin to the top")}

    def __init__(
        self, *args: Any, locale_ids: list[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].required = True
        edition = cast("forms.ModelChoiceField[Locale]", self.fields["locale"])
        # A post without a choice goes to the default edition, as before #15.
        edition.required = False
        edition.empty_label = None
        if locale_ids is not None:
            # Only the editions the user works in (content/edition_access.py);
            # another edition's id is refused as an invalid choice.
            edition.queryset = Locale.objects.filter(pk__in=locale_ids)
            self.locale_ids = locale_ids
        field = cast("forms.ModelChoiceField[ArticlePage]", self.fields["article"])
        # Any published article, picked from the newest with search (#14).
        field.queryset = ArticlePage.objects.published()
        field.widget = article_chooser_viewset.widget_class()

    def clean_locale(self) -> Locale | None:
        locale: Locale | None = self.cleaned_data.get("locale")
        allowed = getattr(self, "locale_ids", None)
        if locale is None and allowed:
            # Case: no choice sent by a one-edition editor: their edition.
            return Locale.objects.get(pk=allowed[0])
        return locale


def requires(*permissions: str) -> Callable[[View], View]:
    """Answer 403 Forbidden unless the user has every one of ``permissions``.

    A 403 rather than a raised PermissionDenied: Wagtail's admin turns that
    into a redirect to the dashboard, and a refused POST must not look like
    one more desk action that redirected after it worked.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perms(permissions):
                return permission_denied(request, PermissionDenied())
            return view(request, *args, **kwargs)

        return checked

    return decorator


def desk_items(request: HttpRequest) -> QuerySet[NewsFeedItem]:
    """The posts of the editions the user works in; others' answer 404 (#15)."""
    return NewsFeedItem.objects.filter(locale_id__in=edition_locale_ids(request.user))


@requires(*DESK_PERMISSIONS)
def desk(request: HttpRequest) -> HttpResponse:
    """The desk page: the post form and the latest posts."""
    locale_ids = edition_locale_ids(request.user)
    form = PostForm(request.POST or None, locale_ids=locale_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = services.post_item(
            headline=data["headline"],
            body=data["body"],
            article=data["article"],
            is_pinned=data["is_pinned"],
            image=data["image"],
            image_caption=data["image_caption"],
            image_alt_text=data["image_alt_text"],
            embed_url=data["embed_url"],
            locale=data["locale"],
            user=request.user,
        )
        messages.success(
            request, gettext("Posted: %(headline)s") % {"headline": item.headline}
        )
        return redirect("feed_desk")
    items = list(
        NewsFeedItem.objects.filter(locale_id__in=locale_ids)
        .newest_first()
        .select_related("article")[:DESK_ITEMS]
    )
    sections = list(
        SectionPage.objects.live().filter(locale_id__in=locale_ids).order_by("path")
    )
    return TemplateResponse(
        request,
        "feed/desk.html",
        {
            "form": form,
            "items": items,
            "sections": sections,
            "page_title": gettext("News Feed desk"),
        },
    )


@requires(*PIN_PERMISSIONS)
@require_POST
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    """Pin a post, or unpin a pinned one."""
    item = get_object_or_404(desk_items(request), pk=pk)
    services.set_pinned(item, not item.is_pinned, user=request.user)
    return redirect("feed_desk")


@requires(*DELETE_PERMISSIONS)
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a post (a mistaken one, a duplicate); the audit log keeps it."""
    item = get_object_or_404(desk_items(request), pk=pk)
    services.delete_item(item, user=request.user)
    messages.success(
        request, gettext("Deleted: %(headline)s") % {"headline": item.headline}
    )
    return redirect("feed_desk")


@requires(*PROMOTE_PERMISSIONS)
@require_POST
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an article draft from a post and open it in the page editor."""
    item = get_object_or_404(desk_items(request).select_related("article"), pk=pk)
    if item.article is not None:
        # Case: promoted already (a second click, or a second tab): one post,
        # one draft.
        messages.warning(
            request,
            gettext("“%(headline)s” is already an article: %(title)s.")
            % {"headline": item.headline, "title": item.article.title},
        )
        return redirect("feed_desk")
    try:
        section = SectionPage.objects.get(pk=int(request.POST.get("section", "")))
    except (ValueError, SectionPage.DoesNotExist):
        messages.error(request, gettext("Choose a section for the new article."))
        return redirect("feed_desk")
    if not section.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    try:
        article = services.promote_to_article(item, section, user=request.user)
    except ValidationError as error:
        # Case: the draft's address is taken in that section, e.g. by an
        # earlier draft of this post whose link was cleared in the editor.
        messages.error(
            request,
            gettext("No article started from “%(headline)s”: %(reason)s")
            % {"headline": item.headline, "reason": error.messages[0]},
        )
        return redirect("feed_desk")
    return redirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
