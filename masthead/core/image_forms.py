"""The image form every upload path uses (``WAGTAILIMAGES_IMAGE_FORM_BASE``).

Wagtail builds the single uploader's, the multiple uploader's and the
chooser's forms from this base, so one field checks every uploaded file
(issue #13): ``core/image_checks.py`` refuses damaged, empty and oversized
images with a message instead of an error page. Wagtail's own pixel check
decodes the whole picture at full size to read its size (and answered 500
to a truncated JPEG); this one reads the header first.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .image_checks import DECODE_ERRORS, ImageRefused, check_image, max_pixels


class CheckedImageField(WagtailImageField):
    """Wagtail's image field with Masthead's checks in place of its pixel check."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Wagtail's help text and messages quote the limit.
        self.max_image_pixels = max_pixels()

    def to_python(self, data: Any) -> Any:
        if data is not None and hasattr(data, "seek"):
            # Before Wagtail opens it: Wagtail's checks decode the picture.
            try:
                check_image(data)
            except ImageRefused as error:
                raise ValidationError(str(error), code="invalid_image") from error
        try:
            return super().to_python(data)
        except DECODE_ERRORS as error:
            # Whatever Willow trips over that the check above let through.
            raise ValidationError(
                gettext("The image cannot be read (%(error)s).") % {"error": error},
                code="invalid_image",
            ) from error

    def check_image_pixel_size(self, f: "UploadedFile[Any]") -> None:
        # Done by check_image, from the header; Wagtail's version decodes
        # the whole picture at full size to read it.
        return None


class ImageForm(BaseImageForm):
    """Wagtail's image form with the file field checked by ``CheckedImageField``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and not isinstance(field, CheckedImageField):
            # Replaced here, not declared: the multiple uploader's edit form
            # leaves the file out, which a declared field would not allow.
            self.fields["file"] = CheckedImageField(
                label=field.label,
                required=field.required,
                widget=field.widget,
            )
