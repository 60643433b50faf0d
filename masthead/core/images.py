"""Uploaded image hygiene: where a photo was taken never leaves the newsroom.

A photo's position can reveal where a journalist or a source was (issues #4
and #12). Every image that reaches storage passes through ``strip_location``
(``core/storage.py`` calls it on every save: single and multiple upload, the
chooser, renditions, importers), which removes:

- the EXIF GPS block, the camera maker's notes (vendors hide positions and
  serial numbers there) and the body and lens serial numbers;
- XMP, except an allow-list of credit and rights properties (creator,
  rights, credit, source, title, description, usage terms);
- IPTC/Photoshop blocks, comments, PNG text other than credit fields, and
  any data after the end of a JPEG (the extra pictures of an MPO file, phone
  makers' trailers).

Creator, copyright and the rest of EXIF are kept. JPEGs are rewritten
segment by segment, so their pixels stay byte for byte what the camera
wrote; other formats are saved again by Pillow, losslessly where the source
was lossless. Formats not listed in ``ACCEPTED_FORMATS`` (HEIC, TIFF, ...) are
refused rather than stored with their metadata.
"""

import copy
import io
import struct
import xml.etree.ElementTree as ET
from typing import Any

from PIL import Image as PILImage
from PIL import PngImagePlugin

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
# Tags of the Exif sub-IFD that locate or fingerprint the camera.
EXIF_TAGS_REMOVED = {
    0x927C,  # MakerNote: vendor blobs with positions, serials, owner data
    0xA431,  # BodySerialNumber
    0xA435,  # LensSerialNumber
}
# What Pillow calls each accepted format; MPO is the multi-picture JPEG that
# phones write.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "AVIF", "GIF"}
# File name endings whose content must be an accepted image (storage refuses
# the rest): Wagtail's accepted list plus formats it must never store raw.
IMAGE_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".jpe",
    ".png",
    ".webp",
    ".avif",
    ".gif",
    ".heic",
    ".heif",
    ".tif",
    ".tiff",
    ".mpo",
)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
XMP_META = "adobe:ns:meta/"
# XMP properties that say who made the picture and on what terms; every
# other property (exif:GPS*, photoshop:City, Iptc4xmpCore:Location, vendors'
# drone positions, creator contact addresses ...) is dropped.
XMP_KEPT = {
    (DC, "creator"),
    (DC, "rights"),
    (DC, "title"),
    (DC, "description"),
    (PHOTOSHOP, "Credit"),
    (PHOTOSHOP, "Source"),
    (PHOTOSHOP, "AuthorsPosition"),
    (XMP_RIGHTS, "UsageTerms"),
    (XMP_RIGHTS, "WebStatement"),
    (XMP_RIGHTS, "Marked"),
    (XMP_RIGHTS, "Owner"),
}
XMP_PREFIXES = {
    "x": XMP_META,
    "rdf": RDF,
    "dc": DC,
    "photoshop": PHOTOSHOP,
    "xmpRights": XMP_RIGHTS,
}
# PNG text chunks kept (keywords from the PNG specification).
PNG_TEXT_KEPT = {"Title", "Author", "Description", "Copyright", "Source", "Software"}
PNG_XMP_KEY = "XML:com.adobe.xmp"


class UnsupportedImage(ValueError):
    """The file is not an image format Masthead can store without its metadata."""


def is_image_name(name: str) -> bool:
    """Whether a stored file with this name must be a location-free image."""
    return name.lower().endswith(IMAGE_SUFFIXES)


def strip_location(data: bytes) -> bytes | None:
    """Return the image without location data, or None when it had none.

    Raises:
        UnsupportedImage: the data is not an image in an accepted format.
    """
    try:
        image = PILImage.open(io.BytesIO(data))
    except (OSError, ValueError, PILImage.DecompressionBombError) as error:
        raise UnsupportedImage(f"not a readable image: {error}") from error
    with image:
        if image.format not in ACCEPTED_FORMATS:
            raise UnsupportedImage(
                f"{image.format} images are not accepted; save the picture as "
                "JPEG, PNG, WebP, AVIF or GIF first."
            )
        cleaned: bytes | None
        if image.format in {"JPEG", "MPO"}:
            cleaned = _rewrite_jpeg(data)
        else:
            try:
                cleaned = _resave(image, data)
            except (OSError, ValueError, SyntaxError, EOFError, struct.error) as error:
                # Damaged past its header (#13): what cannot be read cannot
                # be checked for a location either.
                raise UnsupportedImage(f"damaged image: {error}") from error
    if cleaned is None or cleaned == data:
        return None
    return cleaned


def scrub_exif(raw: bytes) -> bytes | None:
    """EXIF without position, maker notes and serials; None if none is left.

    ``raw`` may start with JPEG's ``Exif\\0\\0`` header; the result does.
    """
    exif = PILImage.Exif()
    try:
        exif.load(raw)
        _scrub_exif(exif)
        return exif.tobytes() if len(exif) else None
    except (SyntaxError, ValueError, struct.error, KeyError, TypeError):
        # EXIF Pillow cannot read cannot be checked either: dropped.
        return None


def _scrub_exif(exif: PILImage.Exif) -> bool:
    """Remove location and camera fingerprints in place; whether any was there."""
    changed = False
    if GPS_IFD in exif:
        del exif[GPS_IFD]
        changed = True
    if EXIF_IFD in exif:
        sub = exif.get_ifd(EXIF_IFD)
        for tag in EXIF_TAGS_REMOVED & set(sub):
            del sub[tag]
            changed = True
    return changed


def scrub_xmp(raw: bytes | str) -> bytes | None:
    """XMP with only the credit and rights properties; None if none is left.

    Malformed XMP is dropped whole: what cannot be parsed cannot be checked.
    """
    try:
        root = ET.fromstring(raw)  # noqa: S314  (no DTDs or external entities)
    except ET.ParseError:
        return None
    kept_attrs: dict[str, str] = {}
    kept_children: list[ET.Element] = []
    for description in root.iter(f"{{{RDF}}}Description"):
        for key, value in description.attrib.items():
            if _xmp_name(key) in XMP_KEPT:
                kept_attrs[key] = value
        for child in description:
            if _xmp_name(child.tag) in XMP_KEPT:
                kept_children.append(copy.deepcopy(child))
    if not kept_attrs and not kept_children:
        return None
    for prefix, uri in XMP_PREFIXES.items():
        ET.register_namespace(prefix, uri)
    meta = ET.Element(f"{{{XMP_META}}}xmpmeta")
    rdf = ET.SubElement(meta, f"{{{RDF}}}RDF")
    description = ET.SubElement(
        rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": "", **kept_attrs}
    )
    description.extend(kept_children)
    return bytes(ET.tostring(meta, encoding="utf-8", xml_declaration=False))


def _xmp_name(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


# JPEG markers (ITU T.81): segments kept as they are.
SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
APP0, APP1, APP2, APP14 = 0xE0, 0xE1, 0xE2, 0xEE
EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
ICC_HEADER = b"ICC_PROFILE\x00"
MAX_SEGMENT = 0xFFFF - 2


def _rewrite_jpeg(data: bytes) -> bytes:
    """Copy a JPEG's coding segments; clean EXIF and XMP; drop other metadata.

    Stops at the first end-of-image marker, so an MPO's extra pictures and
    any trailer are left behind.
    """
    if data[:2] != b"\xff\xd8":
        raise UnsupportedImage("not a JPEG: no start-of-image marker")
    out = bytearray(b"\xff\xd8")
    pos = 2
    size = len(data)
    while pos < size:
        if data[pos] != 0xFF:
            raise UnsupportedImage(f"damaged JPEG: no marker at byte {pos}")
        while pos < size and data[pos] == 0xFF:
            pos += 1
        if pos >= size:
            break
        marker = data[pos]
        pos += 1
        if marker == EOI:
            out += b"\xff\xd9"
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += bytes((0xFF, marker))
            continue
        if pos + 2 > size:
            raise UnsupportedImage("damaged JPEG: truncated segment")
        length = int.from_bytes(data[pos : pos + 2], "big")
        body = data[pos + 2 : pos + length]
        pos += length
        segment = _clean_segment(marker, body)
        if segment is not None:
            out += bytes((0xFF, marker)) + (len(segment) + 2).to_bytes(2, "big")
            out += segment
        if marker == SOS:
            end = _entropy_end(data, pos)
            out += data[pos:end]
            pos = end
    # No end-of-image marker: close the picture as decoders expect.
    out += b"\xff\xd9"
    return bytes(out)


def _clean_segment(marker: int, body: bytes) -> bytes | None:
    """The segment's body to keep, cleaned, or None to drop it."""
    if marker == APP1 and body.startswith(EXIF_HEADER):
        exif = scrub_exif(body)
        return exif if exif is not None and len(exif) <= MAX_SEGMENT else None
    if marker == APP1 and body.startswith(XMP_HEADER):
        xmp = scrub_xmp(body[len(XMP_HEADER) :])
        if xmp is None or len(xmp) + len(XMP_HEADER) > MAX_SEGMENT:
            return None
        return XMP_HEADER + xmp
    if marker == APP2:
        # Colour profile only; MPF (the MPO index) and others go.
        return body if body.startswith(ICC_HEADER) else None
    if marker in (APP0, APP14):
        return body  # JFIF and Adobe colour transform: needed to decode
    if 0xE0 <= marker <= 0xEF or marker == 0xFE:
        return None  # other application data (IPTC, vendors) and comments
    return body


def _entropy_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data after a start-of-scan ends."""
    size = len(data)
    while pos < size - 1:
        index = data.find(b"\xff", pos)
        if index < 0 or index >= size - 1:
            return size
        following = data[index + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos = index + 1
            continue
        return index
    return size


def _resave(image: PILImage.Image, data: bytes) -> bytes | None:
    """Save PNG, WebP, AVIF or GIF again without location; None if clean."""
    exif = image.getexif()
    exif_dirty = _scrub_exif(exif)
    raw_xmp = image.info.get("xmp") or image.info.get(PNG_XMP_KEY)
    xmp = scrub_xmp(raw_xmp) if raw_xmp else None
    text = getattr(image, "text", {}) if image.format == "PNG" else {}
    text_dirty = bool(set(text) - PNG_TEXT_KEPT - {PNG_XMP_KEY})
    comment_dirty = bool(image.info.get("comment"))
    if not (exif_dirty or raw_xmp or text_dirty or comment_dirty):
        return None
    options: dict[str, Any] = {}
    if len(exif):
        options["exif"] = exif.tobytes()
    icc = image.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    if getattr(image, "n_frames", 1) > 1:
        options["save_all"] = True
    fmt = image.format
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        for key in sorted(set(text) & PNG_TEXT_KEPT):
            info.add_itxt(key, str(text[key]))
        if xmp:
            info.add_itxt(PNG_XMP_KEY, xmp.decode("utf-8"))
        options["pnginfo"] = info
    elif fmt == "WEBP":
        options.update(_webp_options(data))
        if xmp:
            options["xmp"] = xmp
    elif fmt == "AVIF":
        options["quality"] = 90
        if xmp:
            options["xmp"] = xmp
    elif fmt == "GIF":
        options["comment"] = b""
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _webp_options(data: bytes) -> dict[str, Any]:
    """Lossless WebP (a VP8L chunk) stays lossless; lossy is kept near its look."""
    if b"VP8L" in data[12:64] or (data[12:16] == b"VP8X" and b"VP8L" in data):
        return {"lossless": True}
    return {"quality": 92}
