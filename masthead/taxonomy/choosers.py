"""The tag chooser: search first, each tag with its type, new tags in place (#14).

Tagging went through Wagtail's snippet chooser, which lists tags by name
only and sends the editor to the Tags screen to make a new one. This
chooser (Wagtail's own snippet chooser, configured) shows each tag's type
next to its name, searches as the editor types, and has a "New tag" tab
that asks for the name and type only: the slug is made from the name.
"""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)

from .models import Tag

# Room for a "-NN" suffix in the slug's 100 characters.
SLUG_BASE_LENGTH = 90


def free_tag_slug(name: str) -> str:
    """A slug for a new tag called ``name`` that no tag has yet."""
    base = slugify(name, allow_unicode=True)[:SLUG_BASE_LENGTH].strip("-") or "tag"
    taken = set(
        Tag.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class NewTagForm(forms.ModelForm[Tag]):
    """A tag from its name and type; the slug follows from the name."""

    class Meta:
        model = Tag
        fields = ["name", "tag_type"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        same = Tag.objects.filter(name__iexact=name).first()
        if same is not None:
            raise forms.ValidationError(
                _("“%(name)s” exists already (%(type)s): choose it on the Search tab.")
                % {"name": same.name, "type": same.get_tag_type_display()}
            )
        return name

    def save(self, commit: bool = True) -> Tag:
        self.instance.slug = free_tag_slug(self.instance.name)
        tag: Tag = super().save(commit=commit)
        return tag


class TypedColumnsMixin:
    @property
    def columns(self) -> list[Column]:
        return [
            *super().columns,  # type: ignore[misc]
            Column(
                "tag_type",
                label=pgettext_lazy("tag", "Type"),
                accessor="get_tag_type_display",
            ),
        ]


class TagChooseView(TypedColumnsMixin, ChooseView):
    pass


class TagChooseResultsView(TypedColumnsMixin, ChooseResultsView):
    pass


class TagChooserViewSet(SnippetChooserViewSet):
    choose_view_class = TagChooseView
    choose_results_view_class = TagChooseResultsView
    creation_form_class = NewTagForm
    create_action_label = _("Add this new tag")
    creation_tab_label = _("New tag")
    choose_one_text = _("Choose a tag")
    choose_another_text = _("Choose another tag")
