"""Admin forms for integrations and their webhooks."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from masthead.api.models import Integration, Scope

from .http import UnsafeTarget, check_url
from .models import Webhook


class IntegrationForm(forms.ModelForm[Integration]):
    scopes = forms.MultipleChoiceField(
        label=_("What its admin key may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Reading published stories needs no scope."),
    )

    class Meta:
        model = Integration
        fields = ["name", "description", "scopes", "is_active", "acting_user"]
        help_texts = {
            "is_active": _("Untick to stop its keys and webhooks at once."),
            "acting_user": _(
                "Changes it makes through the Admin API are recorded as this person's."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True, is_staff=True)
        field = cast("forms.ModelChoiceField[Any]", self.fields["acting_user"])
        field.queryset = users.order_by("username")


class WebhookForm(forms.ModelForm[Webhook]):
    class Meta:
        model = Webhook
        fields = ["event", "target_url", "is_active"]

    def clean_target_url(self) -> str:
        url = str(self.cleaned_data["target_url"])
        try:
            check_url(url)
        except UnsafeTarget as error:
            raise forms.ValidationError(str(error)) from error
        return url
