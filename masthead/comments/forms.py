"""The members' comment forms, and the moderators' ban form."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MAX_LENGTH, OPTION_MODERATION_CHOICES, ReportReason
from .rules import Held

_FORM_SALT = "masthead.comments.form-shown"
# A form shown more than a day ago counts as a script's: its stamp could be
# reused for ever otherwise.
_FORM_MAX_AGE = 86400


def form_stamp(now: float | None = None) -> str:
    """A signed note of when the form was shown, for its hidden field."""
    return signing.dumps(time.time() if now is None else now, salt=_FORM_SALT)


class CommentTextField(forms.CharField):
    """A comment's text, its line breaks as ``\\n``.

    Browsers count a line break as one character against ``maxlength`` but
    send it as CR LF (HTML form submission): counted as sent, a comment of
    5,000 characters with paragraphs would be refused.
    """

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


class CommentForm(forms.Form):
    """A comment or a reply: plain text, with two checks against scripts.

    As the members' sign-in form (members/forms.py), with no third party:
    ``website`` is hidden from people, and ``shown`` is the signed time the
    form was shown. A script that gives itself away is not refused (it could
    be a hasty person): its comment waits for a moderator (``suspicion``).
    """

    text = CommentTextField(
        label=_("Your comment"),
        max_length=MAX_LENGTH,
        help_text=_(
            "Plain text, up to 5,000 characters. Leave a blank line between "
            "paragraphs; web addresses become links."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shown"].initial = form_stamp()

    def suspicion(self) -> Held | None:
        """What about the sending gives a script away; call after ``is_valid``."""
        if self.cleaned_data.get("website"):
            return Held.TRAP
        try:
            shown = float(
                signing.loads(
                    self.cleaned_data.get("shown") or "",
                    salt=_FORM_SALT,
                    max_age=_FORM_MAX_AGE,
                )
            )
        except (signing.BadSignature, TypeError, ValueError):
            return Held.TOO_FAST
        if time.time() - shown < settings.MASTHEAD_COMMENT_MIN_FORM_SECONDS:
            return Held.TOO_FAST
        return None


class EditForm(forms.Form):
    text = CommentTextField(
        label=_("Your comment"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class PreferencesForm(forms.Form):
    notify_replies = forms.BooleanField(
        label=_("E-mail me when someone replies to my comments"), required=False
    )


# How long a ban lasts, as the moderators choose it (days; "" for ever).
BAN_LENGTHS = [
    ("1", _("One day")),
    ("7", _("One week")),
    ("30", _("30 days")),
    ("", _("For ever")),
]


class BanForm(forms.Form):
    length = forms.ChoiceField(
        label=_("Ban for"), choices=BAN_LENGTHS, required=False, initial="7"
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("For the moderators; the member sees it when they try to post."),
    )
    hide_comments = forms.BooleanField(
        label=_("Also hide every comment of theirs now on the site"),
        required=False,
    )

    def until(self) -> datetime | None:
        """When the ban ends (None: for ever); call after ``is_valid``."""
        length = self.cleaned_data.get("length") or ""
        if not length:
            return None
        return timezone.now() + timedelta(days=int(length))


class ArticleOptionsForm(forms.Form):
    """One article's ``CommentOptions``, on its screen in the admin."""

    is_closed = forms.BooleanField(
        label=_("Comments closed"),
        required=False,
        help_text=_("No new comments or replies; published ones stay visible."),
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        required=False,
        choices=OPTION_MODERATION_CHOICES,
    )
