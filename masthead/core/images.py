"""Uploaded image hygiene: location data out, credit metadata kept (issue #4).

A photo's GPS position can reveal where a journalist or a source was. On
upload the EXIF GPS block is removed; creator, copyright and the rest of
the EXIF block are written back unchanged.
"""

import io

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from PIL import Image as PILImage

GPS_IFD = 0x8825
SUPPORTED_FORMATS = {"JPEG", "PNG", "WEBP", "TIFF"}


def strip_location(data: bytes) -> bytes | None:
    """Return the image without GPS EXIF, or None when there was none to strip.

    JPEGs keep their quantisation tables (``quality="keep"``), so the pixels
    are not recompressed into something visibly worse.
    """
    with PILImage.open(io.BytesIO(data)) as image:
        if image.format not in SUPPORTED_FORMATS:
            return None
        exif = image.getexif()
        if GPS_IFD not in exif:
            return None
        del exif[GPS_IFD]
        out = io.BytesIO()
        options: dict[str, object] = {"exif": exif.tobytes()}
        if image.format == "JPEG":
            options["quality"] = "keep"
        icc = image.info.get("icc_profile")
        if icc:
            options["icc_profile"] = icc
        image.save(out, format=image.format, **options)
        return out.getvalue()


def clean_upload(field_file: FieldFile) -> None:
    """Replace an uncommitted upload's content with its location-free copy."""
    upload = field_file.file
    upload.seek(0)
    data = upload.read()
    cleaned = strip_location(data)
    upload.seek(0)
    if cleaned is not None:
        field_file.file = ContentFile(cleaned, name=field_file.name)
