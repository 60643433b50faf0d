"""Location never reaches storage, on any path (issues #4 and #12).

Each path test reads the bytes that were stored: the original and every
rendition the site serves, the social-share image included.
"""

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.models import UploadedFile

from masthead.core.images import (
    EXIF_IFD,
    GPS_IFD,
    UnsupportedImage,
    scrub_xmp,
    strip_location,
)
from masthead.core.models import LibraryImage
from masthead.syndication.entries import FEED_IMAGE_FILTER
from masthead.web.structured_data import JSON_LD_IMAGE_FILTERS, SHARE_IMAGE_FILTER

ARTIST, COPYRIGHT = 0x013B, 0x8298
MAKER_NOTE, BODY_SERIAL = 0x927C, 0xA431
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
EXIF_NS = "http://ns.adobe.com/exif/1.0/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XMP_WITH_LOCATION = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{RDF}">
<rdf:Description rdf:about="" xmlns:exif="{EXIF_NS}" xmlns:dc="{DC}"
  xmlns:photoshop="{PHOTOSHOP}"
  exif:GPSLatitude="50,27.0N" exif:GPSLongitude="30,31.0E"
  photoshop:City="Kyiv" photoshop:Credit="Masthead Daily">
<dc:creator><rdf:Seq><rdf:li>Jane Photographer</rdf:li></rdf:Seq></dc:creator>
<photoshop:State>Kyiv Oblast</photoshop:State>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>""".encode()
# Where the photos were "taken", to look for in the stored bytes.
LATITUDE = (50.0, 27.0, 0.0)
SPECS: tuple[str, ...] = (*JSON_LD_IMAGE_FILTERS, SHARE_IMAGE_FILTER, FEED_IMAGE_FILTER)
SPECS += ("fill-480x270", "fill-160x90", "fill-240x160", "max-165x165")
SPECS += ("width-400|format-webp", "width-400|format-avif", "width-400|format-png")


def camera_exif() -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[ARTIST] = "Jane Photographer"
    exif[COPYRIGHT] = "Masthead Daily"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: LATITUDE, 3: "E", 4: (30.0, 31.0, 0.0)})
    exif.get_ifd(EXIF_IFD).update({MAKER_NOTE: b"GPS 50.45N 30.52E", BODY_SERIAL: "X1"})
    return exif


def photo_with_gps(fmt="JPEG", size=(40, 30)) -> bytes:
    image = PILImage.new("RGB", size, (200, 30, 30))
    for x in range(size[0]):
        image.putpixel((x, x % size[1]), (x * 6 % 256, 90, 200))
    options = {"exif": camera_exif().tobytes()}
    if fmt in {"JPEG", "WEBP", "AVIF"}:
        options["xmp"] = XMP_WITH_LOCATION
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def insert_jpeg_segment(data: bytes, marker: int, body: bytes) -> bytes:
    """Put an application segment right after the start-of-image marker."""
    segment = bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body
    return data[:2] + segment + data[2:]


def assert_location_free(data: bytes):
    """No GPS, maker notes, serials or location XMP; credit kept."""
    with PILImage.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert GPS_IFD not in exif
        assert not {MAKER_NOTE, BODY_SERIAL} & set(exif.get_ifd(EXIF_IFD))
        assert getattr(image, "n_frames", 1) == 1
        xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
        assert "photoshop" not in image.info
    if xmp:
        root = ET.fromstring(xmp)
        names = {el.tag for el in root.iter()} | {
            key for el in root.iter() for key in el.attrib
        }
        assert not any(name.startswith(f"{{{EXIF_NS}}}") for name in names)
        assert f"{{{PHOTOSHOP}}}City" not in names
        assert f"{{{PHOTOSHOP}}}State" not in names
    assert b"Kyiv" not in data
    assert b"GPS 50.45N" not in data


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def assert_image_and_renditions_clean(image: LibraryImage):
    assert_location_free(stored_bytes(image.file.name))
    with PILImage.open(io.BytesIO(stored_bytes(image.file.name))) as original:
        if original.format == "JPEG":
            assert original.getexif()[ARTIST] == "Jane Photographer"
    for spec in SPECS:
        rendition = image.get_rendition(spec)
        assert_location_free(stored_bytes(rendition.file.name))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "AVIF"])
def test_location_is_removed_and_credit_kept(fmt):
    original = photo_with_gps(fmt)
    with PILImage.open(io.BytesIO(original)) as image:
        assert GPS_IFD in image.getexif()
    cleaned = strip_location(original)
    assert_location_free(cleaned)
    with PILImage.open(io.BytesIO(cleaned)) as image:
        exif = image.getexif()
        assert exif[ARTIST] == "Jane Photographer"
        assert exif[COPYRIGHT] == "Masthead Daily"


def test_jpeg_pixels_are_untouched():
    original = photo_with_gps("JPEG", size=(64, 48))
    cleaned = strip_location(original)
    with (
        PILImage.open(io.BytesIO(original)) as before,
        PILImage.open(io.BytesIO(cleaned)) as after,
    ):
        assert before.tobytes() == after.tobytes()
    scan = original[original.rindex(b"\xff\xda") :]
    assert cleaned.endswith(scan)


def test_progressive_jpeg_keeps_every_scan():
    out = io.BytesIO()
    PILImage.new("RGB", (64, 64), (10, 120, 90)).save(
        out, "JPEG", progressive=True, exif=camera_exif().tobytes()
    )
    cleaned = strip_location(out.getvalue())
    assert cleaned.count(b"\xff\xda") == out.getvalue().count(b"\xff\xda") > 1
    with PILImage.open(io.BytesIO(cleaned)) as image:
        image.load()
        assert GPS_IFD not in image.getexif()


def test_jpeg_xmp_keeps_credit_and_loses_location():
    cleaned = strip_location(photo_with_gps("JPEG"))
    with PILImage.open(io.BytesIO(cleaned)) as image:
        root = ET.fromstring(image.info["xmp"])
    creators = [li.text for li in root.iter(f"{{{RDF}}}li")]
    assert creators == ["Jane Photographer"]
    credits = [
        el.attrib[f"{{{PHOTOSHOP}}}Credit"]
        for el in root.iter(f"{{{RDF}}}Description")
        if f"{{{PHOTOSHOP}}}Credit" in el.attrib
    ]
    assert credits == ["Masthead Daily"]


def test_iptc_comments_and_trailers_are_dropped():
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02Z\x00\x04Kyiv"
    data = insert_jpeg_segment(photo_with_gps("JPEG"), 0xED, iptc)
    data = insert_jpeg_segment(data, 0xFE, b"shot at 50.45N 30.52E, Kyiv")
    data += b"SEFH trailer: Kyiv"
    cleaned = strip_location(data)
    assert_location_free(cleaned)
    assert cleaned.endswith(b"\xff\xd9")


def test_mpo_keeps_only_the_first_picture():
    first = PILImage.new("RGB", (32, 32), (1, 2, 3))
    second = PILImage.new("RGB", (32, 32), (4, 5, 6))
    out = io.BytesIO()
    first.save(
        out,
        "MPO",
        save_all=True,
        append_images=[second],
        exif=camera_exif().tobytes(),
    )
    with PILImage.open(io.BytesIO(out.getvalue())) as image:
        assert image.format == "MPO"
        assert image.n_frames == 2
    cleaned = strip_location(out.getvalue())
    with PILImage.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"
    assert_location_free(cleaned)


def test_png_text_with_location_is_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Photographer")
    info.add_text("Location", "Kyiv, 50.45N 30.52E")
    info.add_itxt("XML:com.adobe.xmp", XMP_WITH_LOCATION.decode())
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    cleaned = strip_location(out.getvalue())
    assert_location_free(cleaned)
    with PILImage.open(io.BytesIO(cleaned)) as image:
        assert image.text["Author"] == "Jane Photographer"
        assert "Location" not in image.text


def test_image_without_location_is_left_alone():
    out = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(out, format="PNG")
    assert strip_location(out.getvalue()) is None


@pytest.mark.parametrize("fmt", ["TIFF", "BMP"])
def test_formats_that_are_not_accepted_are_refused(fmt):
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8)).save(out, format=fmt)
    with pytest.raises(UnsupportedImage, match=fmt):
        strip_location(out.getvalue())


def test_xmp_without_kept_properties_is_dropped_and_broken_xmp_too():
    only_location = XMP_WITH_LOCATION.replace(b'photoshop:Credit="Masthead Daily"', b"")
    only_location = only_location.replace(
        b"<dc:creator><rdf:Seq><rdf:li>Jane Photographer</rdf:li></rdf:Seq>"
        b"</dc:creator>",
        b"",
    )
    assert scrub_xmp(only_location) is None
    assert scrub_xmp(b"<x:xmpmeta><unclosed") is None


@pytest.mark.django_db
def test_model_save_strips_location():
    image = LibraryImage.objects.create(
        title="Ruins",
        description="A street of ruined houses",
        credit="Jane Photographer / Masthead",
        file=SimpleUploadedFile("ruins.jpg", photo_with_gps(), "image/jpeg"),
    )
    assert_image_and_renditions_clean(image)


@pytest.mark.django_db
def test_any_storage_write_strips_location():
    """Importers and APIs that write files directly are covered too."""
    name = default_storage.save("imports/photo.jpg", ContentFile(photo_with_gps()))
    assert_location_free(stored_bytes(name))


@pytest.mark.django_db
def test_heic_is_refused_by_storage():
    with pytest.raises(SuspiciousFileOperation, match="not a readable image"):
        default_storage.save("imports/photo.heic", ContentFile(b"\x00\x00\x00\x18ftyp"))


def form_fields(prefix=""):
    return {
        f"{prefix}title": "Ruins",
        f"{prefix}description": "A street of ruined houses",
        f"{prefix}credit": "Jane Photographer / Masthead",
        f"{prefix}collection": 1,
        f"{prefix}tags": "",
    }


@pytest.mark.django_db
def test_single_upload_strips_location(admin_client):
    upload = SimpleUploadedFile("ruins.jpg", photo_with_gps(), "image/jpeg")
    response = admin_client.post(
        "/admin/images/add/", {**form_fields(), "file": upload}
    )
    assert response.status_code == 302
    assert_image_and_renditions_clean(LibraryImage.objects.get())


@pytest.mark.django_db
def test_chooser_upload_strips_location(admin_client):
    prefix = "image-chooser-upload-"
    upload = SimpleUploadedFile("ruins.jpg", photo_with_gps(), "image/jpeg")
    response = admin_client.post(
        "/admin/images/chooser/create/",
        {**form_fields(prefix), f"{prefix}file": upload},
    )
    assert response.status_code == 200
    assert response.json()["step"] == "chosen"
    assert_image_and_renditions_clean(LibraryImage.objects.get())


@pytest.mark.django_db
def test_multiple_upload_strips_location_and_keeps_the_draft_private(
    admin_client, client
):
    upload = SimpleUploadedFile("ruins.jpg", photo_with_gps(), "image/jpeg")
    response = admin_client.post(
        "/admin/images/multiple/add/", {"files[]": upload, "collection": 1}
    )
    assert response.status_code == 200
    # Alt text and credit are required, so the file waits as an upload.
    uploaded_id = response.json()["uploaded_file_id"]
    waiting = UploadedFile.objects.get(pk=uploaded_id)
    stored = Path(waiting.file.path)
    assert settings.MEDIA_ROOT not in stored.parents
    assert Path(settings.MASTHEAD_PRIVATE_UPLOADS_ROOT) in stored.parents
    assert_location_free(stored.read_bytes())
    assert client.get(f"/media/{waiting.file.name}").status_code == 404

    prefix = f"uploaded-image-{uploaded_id}-"
    response = admin_client.post(
        f"/admin/images/multiple/create_from_uploaded_image/{uploaded_id}/",
        form_fields(prefix),
    )
    assert response.status_code == 200
    assert response.json()["success"] is True
    assert_image_and_renditions_clean(LibraryImage.objects.get())
    assert not stored.exists()


@pytest.mark.django_db
def test_files_left_in_the_old_upload_folder_are_not_served(client):
    old = Path(settings.MEDIA_ROOT) / "wagtail_uploads" / "left.jpg"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(photo_with_gps())
    assert client.get("/media/wagtail_uploads/left.jpg").status_code == 404
    assert client.get("/media/wagtail_uploads%2Fleft.jpg").status_code == 404


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


@pytest.mark.django_db
def test_scrub_command_cleans_files_stored_before():
    from django.core.files.storage import FileSystemStorage
    from django.core.management import call_command

    raw = FileSystemStorage(location=settings.MEDIA_ROOT)
    name = raw.save("original_images/old.jpg", ContentFile(photo_with_gps()))
    image = LibraryImage.objects.create(
        title="Old", description="An old photo", credit="Jane", file=name
    )
    assert GPS_IFD in PILImage.open(io.BytesIO(stored_bytes(image.file.name))).getexif()
    out = io.StringIO()
    call_command("scrub_image_locations", stdout=out)
    assert out.getvalue().startswith("1 of 1 files cleaned")
    assert_location_free(stored_bytes(image.file.name))
