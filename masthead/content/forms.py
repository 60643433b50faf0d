"""Admin forms for pages: an article saves with its headline alone (issue #14).

Wagtail asks for a slug on the Promote tab, a tab editors rarely open. The
headline panel fills it in the browser (``TitleFieldPanel``); this form fills
it on the server too, so a page still saves when the script did not run or
the editor cleared the field.
"""

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from masthead.core.slugs import is_synced_from, slug_from_text

from .visibility import Access

# Room for a "-NN" suffix inside the slug column's 255 characters.
SLUG_BASE_LENGTH = 240


def slug_from_title(title: str, parent: Page | None, page: Page | None) -> str:
    """A slug made from ``title``, free among the children of ``parent``.

    Follows Wagtail's own rule for taken slugs: ``name``, then ``name-2``,
    ``name-3``… Returns "" when the title has no letters or digits to use.
    """
    base = slug_from_text(title, max_length=SLUG_BASE_LENGTH)
    if not base:
        return ""
    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent, page):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class HeadlinePageForm(WagtailAdminPageForm):
    """The page form with an optional slug, taken from the title when empty."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "The last part of the web address. Left empty, it is made "
                "from the headline."
            )

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        title = self.cleaned_data.get("title") or ""
        unpublished = not self.instance.first_published_at
        if slug and unpublished and is_synced_from(slug, title):
            # Case: a Ukrainian headline the editor's script copied in
            # Cyrillic: written in Latin letters instead (#15). A published
            # page keeps its address; a slug typed by hand is kept.
            slug = ""
        if slug:
            return slug
        if not title:
            # Case: no headline: its own error shows on the visible tab.
            return ""
        slug = slug_from_title(title, self.parent_page, self.instance)
        if not slug:
            # Case: a headline of punctuation only gives nothing to use.
            raise ValidationError(
                gettext(
                    "Type a web address: the headline has no letters or digits "
                    "to make one from."
                )
            )
        return slug


# What the tag field's script shows or reads out (tag_field.js); "{name}",
# "{type}" and "{query}" are filled in by the script.
TAG_FIELD_STRINGS = {
    "chosen": _("Chosen tags"),
    "placeholder": _("Type a tag’s name"),
    "suggested": _("Suggested tags"),
    "remove": _("Remove {name}"),
    "removed": _("{name} removed."),
    "added": _("{name} ({type}) added."),
    "create": _("Create “{query}” · {type}"),
    "none": _("No tag starts with “{query}”."),
    "failed": _("The tag could not be created."),
}

# An article is filed under a handful of tags; fifty is far past any real one.
MAX_TAGS = 50
MAX_TAGS_INPUT = 6000


def tag_model() -> Any:
    """The taxonomy app's ``Tag``.

    taxonomy sits above content (import-linter): named here, never imported.
    """
    return apps.get_model("taxonomy", "Tag")


def tier_choices() -> list[tuple[int, str]]:
    """The membership tiers an article may be gated to (#17), paid ones only.

    memberships sits above content: its ``Tier`` is named, never imported.
    """
    if not apps.is_installed("masthead.memberships"):
        return []
    tiers = apps.get_model("memberships", "Tier").objects.order_by("sort_order", "pk")
    return [
        (tier.pk, str(tier))
        for tier in tiers
        if tier.monthly_price is not None or tier.yearly_price is not None
    ]


def tag_json(tag: Any) -> dict[str, Any]:
    """The tag as the field's script shows it: "Kyiv · place".

    The same shape for the chips it starts with and for the suggestions it
    is sent (taxonomy/views.py).
    """
    return {
        "id": tag.pk,
        "name": tag.name,
        "type": tag.tag_type,
        "type_label": tag.get_tag_type_display().lower(),
    }


def too_many_tags() -> str:
    return ngettext(
        "An article takes at most %(limit)s tag.",
        "An article takes at most %(limit)s tags.",
        MAX_TAGS,
    ) % {"limit": MAX_TAGS}


def tags_by_ids(text: str) -> list[Any]:
    """The tags listed as a JSON array of ids (what the script posts), in order."""
    try:
        ids = json.loads(text)
    except ValueError:
        ids = None
    # ``type() is int``: a bool is an int subclass and is refused too.
    if not isinstance(ids, list) or not all(type(pk) is int for pk in ids):
        raise ValidationError(
            gettext(
                "The tags could not be read. Reload the page and choose them again."
            )
        )
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_TAGS:
        raise ValidationError(too_many_tags())
    found = tag_model().objects.in_bulk(ids)
    if len(found) < len(ids):
        raise ValidationError(
            gettext("A tag you chose no longer exists. Remove it and choose another.")
        )
    return [found[pk] for pk in ids]


def tags_by_names(text: str) -> list[Any]:
    """The tags named in comma-separated ``text``, matched ignoring case.

    Typing a name never creates a tag here: a form save may be a preview, and
    new tags are made through the field's "Create" suggestion (which asks the
    server at once) or on the Tags screen.
    """
    names = [" ".join(name.split()) for name in text.split(",")]
    wanted = {name.casefold(): name for name in names if name}
    if len(wanted) > MAX_TAGS:
        raise ValidationError(too_many_tags())
    if not wanted:
        return []
    query = Q()
    for name in wanted.values():
        query |= Q(name__iexact=name)
    matches: dict[str, list[Any]] = {}
    for tag in tag_model().objects.filter(query).order_by("pk"):
        matches.setdefault(tag.name.casefold(), []).append(tag)
    unknown = [name for key, name in wanted.items() if key not in matches]
    if unknown:
        raise ValidationError(
            gettext(
                "No tag is called %(names)s. Create it with the tag field's "
                "suggestions or on the Tags screen, or check the spelling."
            ),
            params={"names": ", ".join(f"“{name}”" for name in unknown)},
        )
    shared = [name for key, name in wanted.items() if len(matches[key]) > 1]
    if shared:
        raise ValidationError(
            gettext(
                "More than one tag is called %(names)s: choose the one you mean "
                "from the tag field's suggestions."
            ),
            params={"names": ", ".join(f"“{name}”" for name in shared)},
        )
    return [matches[key][0] for key in wanted]


def parse_tags(value: object) -> list[Any]:
    """The tags in the field's posted text: JSON ids, or names and commas."""
    text = str(value or "").strip()
    if len(text) > MAX_TAGS_INPUT:
        raise ValidationError(gettext("The list of tags is too long."))
    if text.startswith("["):
        return tags_by_ids(text)
    return tags_by_names(text)


def ids_text(tags: Sequence[Any]) -> str:
    """The tags' ids as the field's script writes them: ``[3,7]``."""
    return json.dumps([tag.pk for tag in tags], separators=(",", ":"))


class TagFieldWidget(forms.TextInput):
    """A box holding the chosen tags' ids as JSON, shown by its script as chips.

    The page is sent with the value the script itself writes, so an untouched
    editor has no unsaved change: Wagtail compares the form with its first
    look, which may come before the script runs (its leave prompt and
    autosave would otherwise fire). Wagtail's page editor needs JavaScript
    anyway; the field also takes names separated by commas (``parse_tags``).
    """

    can_create = False

    class Media:
        js = [forms.Script("masthead/admin/tag_field.js", type="module")]
        css = {"all": ["masthead/admin/tag_field.css"]}

    def chosen(self, value: object) -> list[Any]:
        if isinstance(value, list):
            return value
        try:
            return parse_tags(value)
        except ValidationError:
            # Case: re-shown after an error: its message is on the field.
            return []

    def format_value(self, value: object) -> str | None:
        if value is None or value == "":
            return ids_text([])
        if isinstance(value, list):
            return ids_text(value)
        text: str | None = super().format_value(value)
        return text

    def get_context(
        self, name: str, value: object, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        tag_type = tag_model()._meta.get_field("tag_type")
        context["widget"]["attrs"].update(
            {
                "autocomplete": "off",
                "data-tag-field": "",
                "data-suggest-url": reverse("tag_field:suggest"),
                "data-create-url": reverse("tag_field:create"),
                "data-can-create": "true" if self.can_create else "false",
                "data-chosen": json.dumps(
                    [tag_json(tag) for tag in self.chosen(value)]
                ),
                "data-strings": json.dumps(
                    {key: str(words) for key, words in TAG_FIELD_STRINGS.items()}
                ),
                "data-types": json.dumps(
                    [
                        {"value": key, "label": str(label).lower()}
                        for key, label in getattr(tag_type, "choices", [])
                    ]
                ),
            }
        )
        return context


class TagListField(forms.Field):
    """An ordered list of existing tags: JSON ids or comma-separated names."""

    widget = TagFieldWidget

    def to_python(self, value: object) -> list[Any]:
        if isinstance(value, list):
            return value
        return parse_tags(value)

    def has_changed(self, initial: Any, data: object) -> bool:
        try:
            after = [tag.pk for tag in self.to_python(data)]
        except ValidationError:
            return True
        return [tag.pk for tag in initial or []] != after


class ArticlePageForm(HeadlinePageForm):
    """The article form: tags typed into one field, in order (#14).

    Sets the article's ``article_tags`` rows in memory, as the inline panel
    did, so drafts, revisions, previews and publishing treat them as before;
    rows already there are kept (and keep their ids), only reordered.
    """

    tags = TagListField(
        required=False,
        help_text=_(
            "Start typing a name and pick a tag, or create a new one. "
            "The first tag is the main one."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "access" in self.fields:
            # A form without the field (a script's, an older tab) keeps the
            # article's level (``clean_access``): never opens it by omission.
            self.fields["access"].required = False
        if "access_tiers" in self.fields:
            self.fields["access_tiers"] = forms.TypedMultipleChoiceField(
                label=_("Tiers"),
                coerce=int,
                choices=tier_choices(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "With “Members of chosen tiers”: the tiers that read it all."
                ),
            )
        if "tags" not in self.initial:
            # The rows may come from a revision, in memory: one query for all.
            ids = [row.tag_id for row in self.instance.article_tags.all()]
            found = tag_model().objects.in_bulk(ids)
            self.initial["tags"] = [found[pk] for pk in ids if pk in found]
        widget = self.fields["tags"].widget
        user = self.for_user
        widget.can_create = bool(user and user.has_perm("taxonomy.add_tag"))

    def clean_access(self) -> str:
        return str(
            self.cleaned_data.get("access") or self.instance.access or Access.EVERYONE
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if cleaned.get("access") == Access.TIERS and not cleaned.get("access_tiers"):
            self.add_error(
                "access_tiers",
                gettext("Choose at least one tier, or another access level."),
            )
        return cleaned

    def set_tag_rows(self, tags: Sequence[Any]) -> None:
        rows = self.instance.article_tags
        kept = {row.tag_id: row for row in rows.all()}
        new_rows = []
        for order, tag in enumerate(tags):
            row = kept.get(tag.pk) or rows.model(tag=tag)
            row.sort_order = order
            new_rows.append(row)
        self.instance.article_tags = new_rows

    def save(self, commit: bool = True) -> Any:
        if "tags" in self.cleaned_data:
            self.set_tag_rows(self.cleaned_data["tags"])
        return super().save(commit=commit)
