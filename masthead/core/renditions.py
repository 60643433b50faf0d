"""Renditions of large originals: made by a task, in bounded memory (issue #13).

Wagtail makes a missing rendition in whatever request first asks for it. For
an 11000x11000 PNG hero that took 5 s and grew the worker from 226 to 881 MB:
each of the six ``<picture>`` sizes decoded the whole original again (three
at a time) and copied it once more to apply its orientation. So:

- **Readers never wait for one.** An original above
  ``MASTHEAD_RENDITION_INLINE_MAX_PIXELS`` gets no rendition made in a
  reader's request: ``for_reader`` hands out the renditions that exist, and
  when one is missing the page shows a box of the picture's shape with its
  alt text (``templatetags/masthead_images.py``) and ``request`` queues
  ``core.tasks.make_renditions`` (once: the queue discards a second job for
  the same image while one waits or runs).
- **They normally exist before the first reader.** Saving a large image
  queues the task for every rendition the site's templates, JSON-LD and
  feeds use (``SITE_SPECS``) and the admin's previews (``ADMIN_SPECS``);
  publishing an article queues its hero's if any is missing. When the task
  is done it sends ``core.events.renditions_made``: the cached pages showing
  the image are purged and the bodies that show it are rendered again.
- **Bounded memory.** ``make`` decodes the original once for all the
  renditions it makes, one image at a time per process: a JPEG at the
  smallest power-of-two fraction of its size that the largest rendition
  needs (Pillow's ``draft``, DCT scaling in libjpeg), other formats at full
  size and reduced at once. The orientation is applied once, in place.
  ``LibraryImage`` sends every rendition of a large original here, so the
  admin's previews are made the same way.
"""

import logging
import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.images.models import Filter
from willow.plugins.pillow import PillowImage

from .events import renditions_made

if TYPE_CHECKING:
    from wagtail.images.models import AbstractImage, AbstractRendition

logger = logging.getLogger(__name__)

# Every rendition a reader's page, feed or share card asks for, as the
# templates write them (core/tests/test_renditions.py keeps this in step).
SITE_IMAGE_TAGS = (
    # content/hero_picture.html and content/blocks/image.html
    "format-{webp,jpeg} width-{480,800,1200}",
    # components/lead_story.html
    "format-{webp,jpeg} fill-{640x360,960x540,1280x720}",
    # components/teaser.html
    "fill-160x90",
    "fill-480x270",
    # components/avatar.html
    "fill-96x96",
    # content/blocks/related_article.html
    "fill-240x160",
    # web/structured_data.py: JSON-LD and the share card
    "fill-1200x675",
    "fill-1200x900",
    "fill-1200x1200",
    # syndication/entries.py: the feeds' image
    "width-1200",
)
SITE_SPECS: tuple[str, ...] = tuple(
    dict.fromkeys(spec for tag in SITE_IMAGE_TAGS for spec in Filter.expand_spec(tag))
)
# Wagtail's admin: listings, choosers and the uploader; the edit form.
ADMIN_SPECS = ("max-165x165", "max-800x600")
# Pillow's EXIF tag for orientation; 5-8 turn the picture a quarter.
ORIENTATION = 0x0112
TURNED = {5, 6, 7, 8}
DRAFT_FORMATS = {"JPEG", "MPO"}
# Set on an image whose renditions ``for_reader`` has asked the task for.
REQUESTED = "_masthead_renditions_requested"
# One large original decoded at a time in each process: threads of a web
# worker (the admin's previews) and the task worker never hold two.
_decoding = threading.RLock()


def inline_limit() -> int:
    """``MASTHEAD_RENDITION_INLINE_MAX_PIXELS``, read when asked."""
    return int(settings.MASTHEAD_RENDITION_INLINE_MAX_PIXELS)


def is_large(image: "AbstractImage") -> bool:
    """Whether ``image`` is too large to have renditions made in a request."""
    return int(image.width or 0) * int(image.height or 0) > inline_limit()


def for_reader(
    image: "AbstractImage", specs: Sequence[str]
) -> "dict[str, AbstractRendition] | None":
    """The renditions of ``image`` for a reader's page, or None until they exist.

    A small original's missing renditions are made now, as Wagtail does. A
    large one's are never made here: when any is missing the task is queued
    and None returned, and the caller shows what it can without them.
    """
    if not is_large(image):
        renditions: dict[str, AbstractRendition] = image.get_renditions(*specs)
        return renditions
    filters = [Filter(spec=spec) for spec in specs]
    found = image.find_existing_renditions(*filters)
    if len(found) < len(filters):
        if not getattr(image, REQUESTED, False):
            # Once per loaded image: the hero, the JSON-LD and the share card
            # of one page ask in turn, and a kept image (cache/pages.py) is
            # reloaded only after the purge that follows the task.
            request(image.pk)
            setattr(image, REQUESTED, True)
        return None
    return {f.spec: found[f] for f in filters}


def request(image_id: int) -> None:
    """Queue the task that makes the image's renditions, after the commit.

    The queue runs one job per image at a time and discards the others
    (``core/tasks.py``), so pages that ask on every view queue it once.
    """
    from .tasks import make_renditions

    transaction.on_commit(lambda: make_renditions.enqueue(image_id=image_id))


def ensure(image: "AbstractImage | None") -> None:
    """Queue the site's renditions of a large ``image`` if any is missing."""
    if image is None or not is_large(image):
        return
    filters = [Filter(spec=spec) for spec in SITE_SPECS]
    if len(image.find_existing_renditions(*filters)) < len(filters):
        request(image.pk)


def make_all(image: "AbstractImage") -> int:
    """Make every missing site and admin rendition of ``image``; how many.

    Sends ``renditions_made`` when it made any, so the pages and bodies that
    show the image without them are rendered again.
    """
    filters = [Filter(spec=spec) for spec in (*SITE_SPECS, *ADMIN_SPECS)]
    existing = image.find_existing_renditions(*filters)
    missing = [f for f in filters if f not in existing]
    if not missing:
        return 0
    made = make(image, missing)
    renditions_made.send(sender=type(image), image_id=image.pk)
    return len(made)


def make(
    image: "AbstractImage", filters: Iterable[Filter]
) -> "dict[Filter, AbstractRendition]":
    """Make these renditions of ``image`` from one decoding of its original."""
    wanted = list(dict.fromkeys(filters))
    made: dict[Filter, AbstractRendition] = {}
    with _decoding, decoded(image, wanted) as source:
        for filter_ in wanted:
            made[filter_] = image.create_rendition(SourcedFilter(filter_.spec, source))
    return made


@dataclass
class Source:
    """An original decoded once, turned upright, as small as its renditions allow."""

    picture: PILImage.Image
    full_size: tuple[int, int]
    format_name: str


@contextmanager
def decoded(image: "AbstractImage", filters: Sequence[Filter]) -> Iterator[Source]:
    """The original of ``image``, decoded as small as ``filters`` allow."""
    with image.open_file() as handle, PILImage.open(handle) as picture:
        width, height = picture.size
        turned = picture.getexif().get(ORIENTATION, 1) in TURNED
        full_size = (height, width) if turned else (width, height)
        fraction = max(
            (needed_fraction(image, f, full_size) for f in filters), default=1
        )
        wanted = (math.ceil(width * fraction), math.ceil(height * fraction))
        if picture.format in DRAFT_FORMATS and fraction < 1:
            picture.draft(picture.mode, wanted)
        picture.load()
        format_name = "jpeg" if picture.format in DRAFT_FORMATS else str(picture.format)
        working = _reduced(picture, wanted)
        ImageOps.exif_transpose(working, in_place=True)
        yield Source(working, full_size, format_name.lower())


def _reduced(picture: PILImage.Image, wanted: tuple[int, int]) -> PILImage.Image:
    """``picture`` at the whole fraction of its size nearest above ``wanted``.

    Formats without ``draft`` are decoded whole; the full-size bitmap is let
    go here, before any rendition copies and crops it.
    """
    factor = min(picture.width // wanted[0], picture.height // wanted[1])
    if factor < 2:
        return picture
    if picture.mode in {"1", "P"}:
        # As Willow's resize would: palettes do not average.
        has_alpha = "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")
    try:
        return picture.reduce(factor)
    except ValueError:
        return picture  # a mode reduce() does not handle (16-bit ...)


def needed_fraction(
    image: "AbstractImage", filter_: Filter, full_size: tuple[int, int]
) -> float:
    """The fraction of the original's size ``filter_`` needs to lose no detail."""
    transform = filter_.get_transform(image, full_size)
    return min(1.0, float(max(transform.scale)))


class SourcedFilter(Filter):
    """Wagtail's filter, run on an original decoded once (``Source``).

    The focal point and crops are worked out on the original's full size,
    as Wagtail does, then scaled to the decoded picture.
    """

    def __init__(self, spec: str, source: Source) -> None:
        super().__init__(spec=spec)
        self.source = source

    @contextmanager
    def get_willow_image(
        self, image: "AbstractImage", source: Any = None
    ) -> Iterator[PillowImage]:
        yield _Upright(self.source.picture, self.source.format_name)

    def get_transform(self, image: "AbstractImage", size: Any = None) -> Any:
        full = self.source.full_size
        transform = super().get_transform(image, full)
        if size is None or tuple(size) == full:
            return transform
        x, y = size[0] / full[0], size[1] / full[1]
        scaled = transform.clone()
        scaled.scale = (transform.scale[0] / x, transform.scale[1] / y)
        scaled.offset = (transform.offset[0] * x, transform.offset[1] * y)
        return scaled


class _Upright(PillowImage):
    """A decoded picture already turned upright, shared by every rendition.

    Willow's operations return new pictures, so it is never changed.
    """

    def __init__(self, picture: PILImage.Image, format_name: str) -> None:
        super().__init__(picture)
        self.format_name = format_name

    def auto_orient(self) -> "_Upright":
        return self


def made_or_logged(image: "AbstractImage") -> int:
    """``make_all``, logging instead of raising for an original that cannot be read.

    The upload checks (core/image_checks.py) decode a large PNG's chunks
    only, so damage deep inside its data shows here first.
    """
    try:
        return make_all(image)
    except (OSError, SyntaxError, ValueError) as error:
        logger.warning("Renditions of image %s not made: %s", image.pk, error)
        return 0
