"""Hostile image files get a message on every upload path, never a 500 (#13).

A truncated JPEG made Wagtail's pixel check raise OSError (500); an
11000x11000 PNG of a few kilobytes passed Wagtail's 128-megapixel limit.
"""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.models import UploadedFile

from masthead.core.image_checks import ImageFacts, ImageRefused, check_limits
from masthead.core.models import LibraryImage

# Pillow warns on opening the 121-megapixel header; the check refuses it.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def encoded(fmt: str, size=(400, 300), **options) -> bytes:
    out = io.BytesIO()
    PILImage.effect_noise(size, 60).convert("RGB").save(out, fmt, **options)
    return out.getvalue()


def blank_png(width: int, height: int) -> bytes:
    """A one-bit PNG: tiny on disk however many pixels it claims."""
    out = io.BytesIO()
    PILImage.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def half(data: bytes) -> bytes:
    return data[: len(data) // 2]


# name, content, words the message must contain
HOSTILE = {
    "truncated.jpg": (lambda: half(encoded("JPEG")), "incomplete"),
    "truncated-progressive.jpg": (
        lambda: half(encoded("JPEG", progressive=True)),
        "incomplete",
    ),
    "truncated.png": (lambda: half(encoded("PNG")), "incomplete"),
    "garbage.jpg": (lambda: b"\x00garbage, not a picture" * 40, "not an image"),
    "empty.png": (lambda: b"", "empty"),
    # Pillow's own bomb limit (twice 89 megapixels) trips before the header.
    "bomb.png": (lambda: blank_png(19_000, 19_000), "too many pixels"),
    "huge.png": (lambda: blank_png(11_000, 11_000), "121.0 megapixels"),
}


def form_fields(prefix=""):
    return {
        f"{prefix}title": "Hostile",
        f"{prefix}description": "A file that is not what it claims",
        f"{prefix}credit": "Nobody",
        f"{prefix}collection": 1,
        f"{prefix}tags": "",
    }


def upload(name: str) -> SimpleUploadedFile:
    content, _ = HOSTILE[name]
    return SimpleUploadedFile(name, content(), "application/octet-stream")


def single_upload(client, name: str) -> str:
    response = client.post(
        "/admin/images/add/", {**form_fields(), "file": upload(name)}
    )
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


def multiple_upload(client, name: str) -> str:
    response = client.post(
        "/admin/images/multiple/add/", {"files[]": upload(name), "collection": 1}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["success"] is False
    return data["error_message"]


def chooser_upload(client, name):
    prefix = "image-chooser-upload-"
    response = client.post(
        "/admin/images/chooser/create/",
        {**form_fields(prefix), f"{prefix}file": upload(name)},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["step"] == "reshow_creation_form"
    fragment = BeautifulSoup(data["htmlFragment"], "html5lib")
    field = fragment.select_one('[data-contentpath="file"]')
    return " ".join(p.get_text(" ", strip=True) for p in field.select(".error-message"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", [single_upload, multiple_upload, chooser_upload])
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_gets_a_message_not_an_error_page(admin_client, path, name):
    message = path(admin_client, name)
    assert HOSTILE[name][1] in message.lower()
    assert not LibraryImage.objects.exists()
    assert not UploadedFile.objects.exists()


@pytest.mark.django_db
def test_the_refusal_of_a_huge_image_names_its_size_and_the_limit(admin_client):
    message = single_upload(admin_client, "huge.png")
    assert message == (
        "The image is 11000x11000 pixels, 121.0 megapixels; at most 80 "
        "megapixels are accepted. Reduce it and upload it again."
    )


@pytest.mark.django_db
def test_too_many_frames_are_refused(admin_client, settings):
    settings.MASTHEAD_MAX_IMAGE_FRAMES = 3
    frames = [PILImage.new("L", (8, 8), shade) for shade in (0, 80, 160, 240)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    response = admin_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("flip.gif", out.getvalue()), "collection": 1},
    )
    assert "4 frames" in response.json()["error_message"]


@pytest.mark.django_db
def test_a_sound_photo_is_still_accepted(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {**form_fields(), "file": SimpleUploadedFile("ok.jpg", encoded("JPEG"))},
    )
    assert response.status_code == 302
    assert LibraryImage.objects.get().width == 400


@pytest.mark.parametrize(
    "facts",
    [
        ImageFacts("JPEG", 9504, 6336, 1),  # the largest full-frame camera, 61 MP
        ImageFacts("JPEG", 20_000, 4_000, 1),  # a stitched panorama
        ImageFacts("GIF", 480, 270, 300),  # ten seconds of animation
    ],
)
def test_real_photos_are_within_the_limits(facts):
    check_limits(facts)


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (ImageFacts("PNG", 11_000, 11_000, 1), "megapixels"),
        (ImageFacts("PNG", 30_000, 100, 1), "on each side"),
        (ImageFacts("GIF", 10, 10, 5_000), "frames"),
        (ImageFacts("GIF", 1_000, 1_000, 100), "in 100 frames"),
    ],
)
def test_sizes_no_newsroom_photo_reaches_are_refused(facts, words):
    with pytest.raises(ImageRefused, match=words):
        check_limits(facts)


@pytest.mark.django_db
def test_storage_refuses_a_damaged_png_instead_of_raising_oserror():
    """Importers write through storage without the form: same refusal."""
    from django.core.exceptions import SuspiciousFileOperation
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    with pytest.raises(SuspiciousFileOperation, match="damaged"):
        default_storage.save("imports/cut.png", ContentFile(half(encoded("PNG"))))
