"""The members' forms: sign-in (with its bot checks) and e-mail change."""

from __future__ import annotations

import time
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from . import registry

_FORM_SALT = "masthead.members.form-shown"
# A form shown more than a day ago is refused too: its stamp could be reused.
_FORM_MAX_AGE = 86400


def form_stamp(now: float | None = None) -> str:
    """A signed note of when the form was shown, for its hidden field."""
    return signing.dumps(time.time() if now is None else now, salt=_FORM_SALT)


class SignInForm(forms.Form):
    """E-mail address (and an optional name): sign in and sign up are one form.

    Two checks against scripts, with no third party: ``website`` is a field
    hidden from people (a bot fills it in), and ``shown`` is the signed time
    the form was shown, which must be at least
    ``MASTHEAD_MEMBER_MIN_FORM_SECONDS`` old.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "required": True}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown = forms.CharField(widget=forms.HiddenInput)
    source = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    # What a new account also gets (the newsletters, registry.py), ticked in
    # advance when the newsroom says so; a member signing in keeps theirs.
    offers = forms.MultipleChoiceField(
        label=_("New here? Also send me"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shown"].initial = form_stamp()
        offers = registry.sign_up_offers(language or settings.LANGUAGE_CODE)
        field = cast(forms.MultipleChoiceField, self.fields["offers"])
        field.choices = [(offer.key, offer.label) for offer in offers]
        field.initial = [offer.key for offer in offers if offer.checked]

    def is_bot(self) -> bool:
        """Whether a filled-in trap or a too-quick send gives a script away.

        Call after ``is_valid()``.
        """
        if self.cleaned_data.get("website"):
            return True
        try:
            shown = float(
                signing.loads(
                    self.cleaned_data.get("shown", ""),
                    salt=_FORM_SALT,
                    max_age=_FORM_MAX_AGE,
                )
            )
        except (signing.BadSignature, TypeError, ValueError):
            return True
        return time.time() - shown < settings.MASTHEAD_MEMBER_MIN_FORM_SECONDS


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
