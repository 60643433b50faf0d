"""What an uploaded image must be before it is stored (issue #13, hostile files).

A file that Pillow cannot decode from end to end, or whose size would make
every rendition of it cost seconds and hundreds of megabytes, is refused at
upload with a message naming the problem, on every upload path (the single
and multiple uploaders and the chooser share ``core/image_forms.py``).

The check reads the header for the size and frame count and refuses before
decoding anything. Then it decodes the pixels to find files that end early
or are damaged inside, without holding the full-size bitmap where it can
avoid it: a JPEG is decoded at an eighth of its size (Pillow's ``draft``,
which still reads every byte of the compressed data); a PNG is checked
chunk by chunk (``verify``: lengths and checksums) and decoded only when
small; other formats are decoded, within the pixel limit.
"""

import struct
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

# Decoded fully to look for damage only up to this size (pixels x frames);
# larger PNGs are checked chunk by chunk instead.
FULL_DECODE_PIXELS = 16_000_000
# Pillow's own reasons a file cannot be read.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)


class ImageRefused(Exception):
    """An upload that is not an image Masthead will store; the message says why."""


@dataclass(frozen=True)
class ImageFacts:
    """What the header of an image says."""

    format: str
    width: int
    height: int
    frames: int

    @property
    def pixels(self) -> int:
        """Pixels to decode for every frame, as Wagtail counts them."""
        return self.width * self.height * self.frames


def max_pixels() -> int:
    """``MASTHEAD_MAX_IMAGE_PIXELS``, read when asked (tests change it)."""
    return int(settings.MASTHEAD_MAX_IMAGE_PIXELS)


def check_image(handle: IO[Any]) -> ImageFacts:
    """Read the image in ``handle`` and refuse it if it is damaged or too large.

    Returns:
        What its header says.

    Raises:
        ImageRefused: empty, not an image, too many pixels, frames or pixels
            on one side, or damaged (ends early, bad data inside).
    """
    handle.seek(0)
    if not handle.read(1):
        raise ImageRefused(gettext("The file is empty."))
    handle.seek(0)
    try:
        with PILImage.open(handle) as image:
            facts = ImageFacts(
                format=str(image.format),
                width=image.width,
                height=image.height,
                frames=int(getattr(image, "n_frames", 1)),
            )
            check_limits(facts)
            _decode(image, facts)
    except (
        PILImage.DecompressionBombError,
        PILImage.DecompressionBombWarning,
    ) as error:
        # Pillow's own limits (the warning when warnings are errors), above
        # any sensible MASTHEAD_MAX_IMAGE_PIXELS: the header was not read.
        raise ImageRefused(_too_many_pixels_message(None)) from error
    except UnidentifiedImageError as error:
        raise ImageRefused(
            gettext("The file is not an image that can be read (or it is damaged).")
        ) from error
    except DECODE_ERRORS as error:
        if "truncated" in str(error).lower():
            raise ImageRefused(
                gettext(
                    "The image file is incomplete: it ends before the picture "
                    "does. Export or download it again and upload the new copy."
                )
            ) from error
        raise ImageRefused(
            gettext("The image is damaged and cannot be read (%(error)s).")
            % {"error": error}
        ) from error
    finally:
        handle.seek(0)
    return facts


def check_limits(facts: ImageFacts) -> None:
    """Refuse an image whose size alone would make its renditions too costly.

    Raises:
        ImageRefused: over ``MASTHEAD_MAX_IMAGE_PIXELS`` (width x height x
            frames), ``MASTHEAD_MAX_IMAGE_SIDE`` or ``MASTHEAD_MAX_IMAGE_FRAMES``.
    """
    side = int(settings.MASTHEAD_MAX_IMAGE_SIDE)
    if facts.width > side or facts.height > side:
        raise ImageRefused(
            gettext(
                "The image is %(width)sx%(height)s pixels; at most %(side)s "
                "pixels on each side are accepted. Reduce it and upload it again."
            )
            % {"width": facts.width, "height": facts.height, "side": _count(side)}
        )
    frame_limit = int(settings.MASTHEAD_MAX_IMAGE_FRAMES)
    if facts.frames > frame_limit:
        raise ImageRefused(
            ngettext(
                "The image has %(frames)s frames; at most %(limit)s is accepted.",
                "The image has %(frames)s frames; at most %(limit)s are accepted.",
                frame_limit,
            )
            % {"frames": _count(facts.frames), "limit": _count(frame_limit)}
        )
    if facts.pixels > max_pixels():
        raise ImageRefused(_too_many_pixels_message(facts))


def _count(number: int) -> str:
    """A whole number grouped in thousands the active language's way."""
    return number_format(number, force_grouping=True)


def _too_many_pixels_message(facts: ImageFacts | None) -> str:
    """Why too many pixels are refused, in the editor's admin language."""
    limit = number_format(Decimal(f"{max_pixels() / 1_000_000:g}"))
    if facts is None:
        return gettext(
            "The image has too many pixels; at most %(limit)s megapixels are accepted."
        ) % {"limit": limit}
    size = {
        "width": facts.width,
        "height": facts.height,
        "megapixels": number_format(facts.pixels / 1_000_000, decimal_pos=1),
        "limit": limit,
    }
    if facts.frames > 1:
        return gettext(
            "The image is %(width)sx%(height)s pixels in %(frames)s frames, "
            "%(megapixels)s megapixels; at most %(limit)s megapixels are "
            "accepted. Reduce it and upload it again."
        ) % {**size, "frames": _count(facts.frames)}
    return (
        gettext(
            "The image is %(width)sx%(height)s pixels, %(megapixels)s megapixels; "
            "at most %(limit)s megapixels are accepted. Reduce it and upload it "
            "again."
        )
        % size
    )


def _decode(image: PILImage.Image, facts: ImageFacts) -> None:
    """Decode ``image`` far enough to find damage, in bounded memory."""
    if facts.format in {"JPEG", "MPO"}:
        # DCT scaling: every coefficient is read, an eighth of the pixels kept.
        image.draft(image.mode, (max(1, facts.width // 8), max(1, facts.height // 8)))
        image.load()
    elif facts.format == "PNG" and facts.pixels > FULL_DECODE_PIXELS:
        image.verify()
    else:
        # Every frame, one at a time: storage saves them all again when it
        # removes metadata (core/images.py).
        for frame in range(facts.frames):
            image.seek(frame)
            image.load()
