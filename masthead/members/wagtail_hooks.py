"""Members in the admin: a list with search, filters and CSV export (#16).

Shown only to groups granted ``members.view_member`` (or add, change,
delete); the newsroom roles are not, Administrators are (every permission).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.forms import CheckboxSelectMultiple
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Member, MemberLabel


class MemberViewSet(SnippetViewSet):
    model = Member
    icon = "user"
    menu_label = gettext_lazy("Members")
    list_display = ["email", "name", "status", "created_at", "source", "language"]
    # The database's LIKE, not the search index: addresses are matched in part.
    search_fields = ["email", "name"]
    list_filter = {
        "status": ["exact"],
        "created_at": ["gte", "lte"],
        "source": ["icontains"],
        "labels": ["exact"],
    }
    list_export = [
        "email",
        "name",
        "status",
        "created_at",
        "last_signed_in_at",
        "source",
        "language",
        "label_names",
        "notes",
    ]
    export_headings = {"label_names": gettext_lazy("labels")}
    export_filename = "members"
    ordering = ["-created_at"]
    panels = [
        FieldPanel("email"),
        FieldPanel("name"),
        FieldPanel("status"),
        FieldPanel("labels", widget=CheckboxSelectMultiple),
        FieldPanel("notes"),
        FieldPanel("source", read_only=True),
        FieldPanel("language", read_only=True),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Member]:
        return Member.objects.prefetch_related("labels")


class MemberLabelViewSet(SnippetViewSet):
    model = MemberLabel
    icon = "tag"
    menu_label = gettext_lazy("Member labels")
    list_display = ["name"]
    search_fields = ["name"]


class MembersGroup(SnippetViewSetGroup):
    items = (MemberViewSet, MemberLabelViewSet)
    menu_icon = "group"
    menu_label = gettext_lazy("Members")
    menu_name = "members"
    menu_order = 250


register_snippet(MembersGroup)
