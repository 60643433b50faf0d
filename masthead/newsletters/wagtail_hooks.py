"""Newsletters in the admin: lists, issues, suppressions, publish and send (#16).

A "Newsletters" menu with the newsletters, their issues, subscribers and
suppressed addresses. Newsletters and issues are the Editors' (newsroom
roles, docs/newsroom.md); who subscribes is personal data and, like the
members list, shown only to groups granted ``newsletters.view_subscription``
(Administrators). Each issue has a page of its own for preview, tests and
sending (admin_views.py).

"Publish and send" is one more button in the publish menu of the article
editor and of the create page of a new article, with a choice of the
newsletters of the article's edition; the content app knows nothing of it
(content may not import newsletters).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.apps import apps
from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from masthead.content.models import ArticlePage
from masthead.members.models import email_digest

from . import admin_views, issues
from .models import (
    Issue,
    IssueStatus,
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The button's value: Wagtail publishes on any ``action-publish``; this one
# also sends. The regular Publish button never does, whatever the list shows.
PUBLISH_AND_SEND = "publish-and-send"
NEWSLETTER_FIELD = "send_to_newsletter"
ADD_ISSUE = "newsletters.add_issue"


class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = gettext_lazy("Newsletters")
    list_display = [
        "name",
        "language",
        Column("subscriber_count", label=gettext_lazy("subscribers")),
        "briefing_hour",
    ]
    search_fields = ["name", "slug"]
    list_filter = ["language", "is_public"]
    ordering = ["sort_order", "name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("description"),
                FieldRowPanel([FieldPanel("language"), FieldPanel("sort_order")]),
                FieldRowPanel([FieldPanel("is_public"), FieldPanel("is_default_on")]),
                FieldPanel("briefing_hour"),
            ],
            heading=gettext_lazy("Newsletter"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("sender_name"),
                FieldPanel("sender_email"),
                FieldPanel("reply_to"),
            ],
            heading=gettext_lazy("Sender"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("header_image"),
                FieldPanel("header_image_alt"),
                FieldPanel("footer"),
            ],
            heading=gettext_lazy("Look"),
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Newsletter]:
        # A count, not who: editors see how many read it (no addresses).
        return Newsletter.objects.annotate(
            subscriber_count=Count(
                "subscriptions",
                filter=Q(subscriptions__status=SubscriptionStatus.ACTIVE),
            )
        )


class SendingPageColumn(Column):
    """A link from the list to each issue's sending page."""

    cell_template_name = "newsletters/admin/sending_link_cell.html"

    def get_value(self, instance: Issue) -> str:
        return reverse("newsletters_issue", args=[instance.pk])


class IssueIndexView(IndexView):
    def get_list_more_buttons(self, instance: Issue) -> list[Any]:
        buttons: list[Any] = super().get_list_more_buttons(instance)
        buttons.insert(
            0,
            Button(
                gettext_lazy("Preview, test and send"),
                url=reverse("newsletters_issue", args=[instance.pk]),
                icon_name="mail",
                priority=5,
            ),
        )
        return buttons


class IssueEditView(EditView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        pk = str(kwargs.get("pk", ""))
        # Case: not a number: Wagtail's own view answers 404.
        issue = Issue.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        # Case: sending, paused, sent or cancelled: what went out stays as
        # it was; the sending page says why.
        if issue is not None and issue.status not in issues.CAN_EDIT:
            messages.error(
                request, issues.refusal(issue, str(gettext_lazy("edited"))).args[0]
            )
            return redirect("newsletters_issue", issue.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_header_more_buttons(self) -> list[Any]:
        buttons: list[Any] = list(super().get_header_more_buttons())
        buttons.insert(
            0,
            Button(
                gettext_lazy("Preview, test and send"),
                url=reverse("newsletters_issue", args=[self.object.pk]),
                icon_name="mail",
                priority=5,
            ),
        )
        return buttons


class IssueViewSet(SnippetViewSet):
    model = Issue
    icon = "doc-full"
    menu_label = gettext_lazy("Issues")
    # The sending page (admin_views.py) lives under the same prefix:
    # /admin/newsletters/issues/<id>/.
    base_url_path = "newsletters/issues"
    index_view_class = IssueIndexView
    edit_view_class = IssueEditView
    list_display = [
        "subject",
        "newsletter",
        "status",
        "scheduled_at",
        "recipient_count",
        "sent_count",
        "failed_count",
        SendingPageColumn("sending", label=gettext_lazy("Sending")),
    ]
    list_filter = ["newsletter", "status", "is_briefing"]
    search_fields = ["subject"]
    ordering = ["-created_at"]
    panels = [
        FieldPanel("newsletter"),
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("body"),
        FieldPanel(
            "scheduled_at",
            help_text=gettext_lazy(
                "A time here schedules the issue; leave it blank to send it "
                "by hand from its sending page."
            ),
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Issue]:
        return Issue.objects.select_related("newsletter")


class ListOnlyPolicy(ModelPermissionPolicy):
    """Subscriptions are listed, never written here.

    A subscription changes through the subscribe and unsubscribe services,
    which log the consent given or withdrawn (GDPR art. 7(1)); a form that
    changed the row would leave no proof.
    """

    def user_has_permission(self, user: Any, action: str) -> bool:
        # Case: add, change, delete: nobody, not even Administrators.
        if action in {"add", "change", "delete"}:
            return False
        # Case: view: those granted newsletters.view_subscription.
        return bool(super().user_has_permission(user, action))


register_permission_policy(Subscription, ListOnlyPolicy(Subscription))


class SubscriptionViewSet(SnippetViewSet):
    model = Subscription
    icon = "group"
    menu_label = gettext_lazy("Subscribers")
    list_display = ["member", "newsletter", "status", "created_at", "confirmed_at"]
    list_filter = ["newsletter", "status"]
    search_fields = ["member__email"]
    list_export = [
        "member",
        "newsletter",
        "status",
        "source",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    export_filename = "subscribers"
    ordering = ["-created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Subscription]:
        return Subscription.objects.select_related("member", "newsletter")


class SuppressionForm(WagtailAdminModelForm):
    """Added by address; only the address's keyed hash is stored."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        help_text=gettext_lazy(
            "Newsletters are never sent to it. Only a keyed hash of it is "
            "kept, so it cannot be read back or listed."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        email = cleaned.get("email")
        if email:
            digest = email_digest(email)
            taken = Suppression.objects.filter(email_digest=digest)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("email", gettext_lazy("This address is suppressed."))
            self.instance.email_digest = digest
        elif not self.instance.email_digest:
            self.add_error("email", gettext_lazy("Enter the address to suppress."))
        return cleaned


class SuppressionViewSet(SnippetViewSet):
    model = Suppression
    icon = "cross"
    menu_label = gettext_lazy("Suppressed addresses")
    list_display = ["reason", "detail", "created_at"]
    list_filter = ["reason"]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [FieldPanel("email"), FieldPanel("reason"), FieldPanel("detail")],
        base_form_class=SuppressionForm,
    )


class NewslettersGroup(SnippetViewSetGroup):
    items = (NewsletterViewSet, IssueViewSet, SubscriptionViewSet, SuppressionViewSet)
    menu_icon = "mail"
    menu_label = gettext_lazy("Newsletters")
    menu_name = "newsletters"
    menu_order = 240


register_snippet(NewslettersGroup)


@hooks.register("register_admin_urls")
def issue_urls() -> list[URLPattern]:
    views = admin_views
    prefix = "newsletters/issues/<int:pk>/"
    return [
        path(prefix, views.issue_detail, name="newsletters_issue"),
        path(f"{prefix}preview/", views.issue_preview, name="newsletters_preview"),
        path(
            f"{prefix}progress.json",
            views.issue_progress,
            name="newsletters_progress",
        ),
        path(f"{prefix}test/", views.issue_test, name="newsletters_test"),
        path(f"{prefix}schedule/", views.issue_schedule, name="newsletters_schedule"),
        path(f"{prefix}send/", views.issue_send, name="newsletters_send"),
        path(f"{prefix}pause/", views.issue_pause, name="newsletters_pause"),
        path(f"{prefix}resume/", views.issue_resume, name="newsletters_resume"),
        path(f"{prefix}cancel/", views.issue_cancel, name="newsletters_cancel"),
    ]


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def issue_saved(request: HttpRequest, instance: object) -> None:
    """A send time typed into the form schedules the issue; cleared, unschedules."""
    if not isinstance(instance, Issue):
        return
    if instance.scheduled_at is not None and instance.status in issues.CAN_SCHEDULE:
        try:
            issues.schedule(instance, instance.scheduled_at)
        except issues.TransitionRefused as refusal:
            messages.error(request, str(refusal))
    elif instance.scheduled_at is None and instance.status == IssueStatus.SCHEDULED:
        Issue.objects.filter(pk=instance.pk, status=IssueStatus.SCHEDULED).update(
            status=IssueStatus.DRAFT
        )


# Publish and send. -----------------------------------------------------------


def creates_article(request: HttpRequest) -> bool:
    """Whether ``request`` is for the create page of a new article."""
    # The create view's menu context names only the parent page; the type
    # of the page being created is in the URL (wagtailadmin_pages:add).
    match = request.resolver_match
    kwargs = match.kwargs if match is not None else {}
    try:
        model = apps.get_model(
            kwargs["content_type_app_name"], kwargs["content_type_model_name"]
        )
    except (KeyError, LookupError):
        return False
    return issubclass(model, ArticlePage)


def edition_newsletters(context: dict[str, Any]) -> list[Newsletter]:
    """The newsletters of the edition of the article being edited or created."""
    if context["view"] == "create":
        # A new article is in its section's edition: articles are never
        # created at the root, the one place the editor picks a locale.
        return issues.newsletters_of_edition(context["parent_page"].locale)
    return issues.newsletters_for(cast(ArticlePage, context["page"]))


class PublishAndSendMenuItem(ActionMenuItem):
    """Publish, and send the article to a newsletter of its edition once public.

    In the publish menu of an existing article and of the create page of a
    new one: Wagtail's create and edit views both run ``after_publish_page``
    (``publish_and_send`` below) once the article is published.
    """

    label = gettext_lazy("Publish and send to…")
    name = "action-publish"
    template_name = "newsletters/admin/publish_and_send.html"
    icon_name = "mail"

    def is_shown(self, context: dict[str, Any]) -> bool:
        request = context["request"]
        # Case: only those who may create issues (Editors).
        if not request.user.has_perm(ADD_ISSUE):
            return False
        if context["view"] == "create":
            # Case: a new article, by someone who may publish in its section
            # (only then does the create view publish; else it saves a draft).
            parent = context["parent_page"]
            if not creates_article(request):
                return False
            if not parent.permissions_for_user(request.user).can_publish_subpage():
                return False
        else:
            # Case: an article being edited (not a revision being reverted
            # to), unlocked, by someone who may publish it.
            page = context.get("page")
            if context["view"] != "edit" or not isinstance(page, ArticlePage):
                return False
            if context["locked_for_user"]:
                return False
            if not self.get_user_page_permissions_tester(context).can_publish():
                return False
        # Case: its edition has no newsletter: nothing to choose.
        return bool(edition_newsletters(context))

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(parent_context)
        page = context.get("page")
        # A new article has no issue yet.
        already = set(
            Issue.objects.filter(article=page).values_list("newsletter_id", flat=True)
            if isinstance(page, ArticlePage)
            else []
        )
        # A form sent back with errors keeps the newsletter chosen, so that
        # pressing the button again sends to the same one.
        chosen = context["request"].POST.get(NEWSLETTER_FIELD, "")
        context.update(
            {
                "value": PUBLISH_AND_SEND,
                "field_name": NEWSLETTER_FIELD,
                "choices": [
                    (newsletter, newsletter.pk in already, str(newsletter.pk) == chosen)
                    for newsletter in edition_newsletters(context)
                ],
            }
        )
        return context


@hooks.register("register_page_action_menu_item")
def publish_and_send_menu_item() -> PublishAndSendMenuItem:
    # Just after Publish (30) in the publish menu.
    return PublishAndSendMenuItem(order=35)


@hooks.register("after_publish_page")
def publish_and_send(request: HttpRequest, page: Any) -> None:
    """After "Publish and send to…": the issue that goes out once it is public.

    Run by Wagtail's create and edit views alike, after the publish.
    """
    if request.POST.get("action-publish") != PUBLISH_AND_SEND:
        return
    if not isinstance(page, ArticlePage) or not request.user.has_perm(ADD_ISSUE):
        return
    raw = request.POST.get(NEWSLETTER_FIELD, "")
    if not raw.isdigit():
        return
    # Case: a newsletter of another edition, or none: nothing to send.
    newsletter = next(
        (n for n in issues.newsletters_for(page) if n.pk == int(raw)), None
    )
    if newsletter is None:
        return
    # Page editing is behind the admin's login: the user is signed in.
    issue = issues.create_for_article(page, newsletter, cast("User", request.user))
    if issue is None:
        messages.warning(
            request,
            gettext_lazy(
                "This article was already sent (or is waiting) to that newsletter: "
                "it goes out once."
            ),
        )
    else:
        messages.success(
            request,
            gettext_lazy("It goes to the newsletter as soon as readers can see it."),
        )
