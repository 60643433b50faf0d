"""The admin's upload form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry

ACCEPTED_SUFFIXES = {".json", ".zip", ".xml"}
# The largest upload the form takes (a Ghost zip with its images).
MAX_UPLOAD_BYTES = 2 * 1024**3


def source_choices() -> list[tuple[str, str]]:
    return [(s.name, s.label) for s in registry.available()]


class UploadForm(forms.Form):
    source = forms.ChoiceField(label=_("Format"), choices=source_choices)
    file = forms.FileField(
        label=_("Export file"),
        help_text=_(
            "Ghost: the .json from Settings → Labs → Export, or a .zip with its "
            "content/images folder. WordPress: the .xml from Tools → Export."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(_("Upload a .json, .zip or .xml file."))
        if upload.size and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 GB."))
        return upload
