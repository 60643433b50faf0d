"""The readers' newsletter forms: sign-up and preferences (#16)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masthead.members.forms import SignInForm

from .models import Newsletter


class SignUpForm(SignInForm):
    """An e-mail address for one newsletter, with the sign-in form's bot checks.

    The hidden trap (``website``) and the signed time the form was shown
    (``shown``) are the members' own (``SignInForm.is_bot``); ``source`` is
    the page the form is on. No name: a newsletter needs only the address.
    """

    name = None  # type: ignore[assignment]

    def __init__(self, *args: Any, newsletter: Newsletter | None = None, **kwargs: Any):
        if newsletter is not None:
            # One form per newsletter on a page: ids must stay unique.
            kwargs.setdefault("auto_id", f"id_{newsletter.slug}_%s")
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your e-mail address")


class PreferencesForm(forms.Form):
    """Which of the offered newsletters the member receives."""

    newsletters = forms.MultipleChoiceField(
        label=_("Newsletters"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, offered: Iterable[Newsletter] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["newsletters"]
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = [
                (str(newsletter.pk), newsletter.name) for newsletter in offered
            ]

    def chosen_ids(self) -> list[int]:
        """The ticked newsletters' ids (after ``is_valid()``)."""
        return [int(value) for value in self.cleaned_data["newsletters"]]
