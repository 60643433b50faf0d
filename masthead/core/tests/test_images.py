import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from masthead.core.images import GPS_IFD, strip_location
from masthead.core.models import LibraryImage

ARTIST, COPYRIGHT = 0x013B, 0x8298


def photo_with_gps(fmt="JPEG") -> bytes:
    image = PILImage.new("RGB", (40, 30), (200, 30, 30))
    exif = PILImage.Exif()
    exif[ARTIST] = "Jane Photographer"
    exif[COPYRIGHT] = "Masthead Daily"
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}
    )
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def exif_of(data: bytes):
    with PILImage.open(io.BytesIO(data)) as image:
        return image.getexif()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_gps_is_removed_and_credit_metadata_kept(fmt):
    original = photo_with_gps(fmt)
    assert GPS_IFD in exif_of(original)
    cleaned = exif_of(strip_location(original))
    assert GPS_IFD not in cleaned
    assert cleaned[ARTIST] == "Jane Photographer"
    assert cleaned[COPYRIGHT] == "Masthead Daily"


def test_image_without_location_is_left_alone():
    out = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(out, format="PNG")
    assert strip_location(out.getvalue()) is None


@pytest.mark.django_db
def test_upload_through_the_model_strips_location():
    image = LibraryImage.objects.create(
        title="Ruins",
        description="A street of ruined houses",
        credit="Jane Photographer / Masthead",
        file=SimpleUploadedFile("ruins.jpg", photo_with_gps(), "image/jpeg"),
    )
    with image.open_file() as stored:
        exif = exif_of(stored.read())
    assert GPS_IFD not in exif
    assert exif[ARTIST] == "Jane Photographer"


@pytest.mark.django_db
def test_admin_upload_requires_alt_text_and_credit(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "No alt",
            "file": SimpleUploadedFile("x.jpg", photo_with_gps(), "image/jpeg"),
            "collection": 1,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"description", "credit"}
    assert not LibraryImage.objects.exists()
