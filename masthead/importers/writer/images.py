"""Images of an export into the library, once each, found again on a rerun.

A source path is looked for under the export's folder (Ghost's
``content/images/…``, with the ``size/w600/`` variants mapped to the
original); a URL is fetched only when the run allows the network.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from django.db.models.fields.files import FieldFile
from wagtail.models import Collection

from masthead.core.images import UnsupportedImage, is_image_name
from masthead.core.models import LibraryImage

from ..models import ImportedItem

# Ghost's ``content/images/`` (and its ``size/w600/`` copies) and
# WordPress's ``wp-content/uploads/``, found next to the export file.
LOCAL_IMAGES = re.compile(
    r"(?:^|/)(?:(content/images)/(?:size/[^/]+/)?|(wp-content/uploads)/)(.+)$"
)
LOCAL_FOLDERS = ("content/images/", "wp-content/uploads/")
# The largest image fetched from the old site's URL.
MAX_DOWNLOAD_BYTES = 40 * 1024 * 1024
COLLECTION_NAME = "Imported"

Report = Callable[[str], None]


def relative_path(src: str) -> str | None:
    """The path under a local image folder an image URL or path points at."""
    path = unquote(urlsplit(src).path) if "://" in src else src
    path = path.replace("__GHOST_URL__", "")
    found = LOCAL_IMAGES.search(path)
    if found is None:
        return None
    return f"{found.group(1) or found.group(2)}/{found.group(3)}"


class ImageStore:
    """Library images of one run, keyed by where they came from in the source."""

    def __init__(
        self, source: str, base_dir: str, *, dry_run: bool, allow_network: bool
    ) -> None:
        self.source = source
        self.base = Path(base_dir) if base_dir else None
        self.dry_run = dry_run
        self.allow_network = allow_network
        self.known: dict[str, LibraryImage | None] = {}
        self.created = 0
        self.reused = 0
        self.saved_files: list[FieldFile] = []
        self._collection: Collection | None = None

    def collection(self) -> Collection:
        if self._collection is None:
            root = Collection.get_first_root_node()
            existing = root.get_children().filter(name=COLLECTION_NAME).first()
            self._collection = existing or root.add_child(name=COLLECTION_NAME)
        return self._collection

    def key(self, src: str) -> str:
        return relative_path(src) or src

    def get(self, src: str, alt: str, report: Report) -> LibraryImage | None:
        """The library image for ``src``; None (reported) when it cannot be had."""
        if not src:
            return None
        key = self.key(src)
        if key in self.known:
            return self.known[key]
        image = self._find(key) or self._create(src, key, alt, report)
        self.known[key] = image
        return image

    def _find(self, key: str) -> LibraryImage | None:
        row = ImportedItem.objects.filter(
            source=self.source, kind="image", source_id=key[:255]
        ).first()
        if row is None:
            return None
        image: LibraryImage | None = LibraryImage.objects.filter(
            pk=row.object_id
        ).first()
        if image is not None:
            self.reused += 1
        return image

    def _read(self, src: str, key: str, report: Report) -> bytes | None:
        if self.base is not None and key.startswith(LOCAL_FOLDERS):
            candidate = (self.base / key).resolve()
            if candidate.is_relative_to(self.base.resolve()) and candidate.is_file():
                return candidate.read_bytes()
        if src.startswith(("http://", "https://")) and self.allow_network:
            return _download(src, report)
        where = "in the export" if not src.startswith("http") else "(network off)"
        report(f"image {src} not found {where}; left out")
        return None

    def _create(
        self, src: str, key: str, alt: str, report: Report
    ) -> LibraryImage | None:
        data = self._read(src, key, report)
        if data is None:
            return None
        name = Path(key).name or "image.jpg"
        if not is_image_name(name):
            name += ".jpg"
        if self.dry_run:
            self.created += 1
            return None
        image = LibraryImage(
            title=name[:255],
            description=alt[:255],
            credit="",
            collection=self.collection(),
            file=ImageFile(BytesIO(data), name=name),
            file_size=len(data),
            file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        )
        try:
            image.save()
        except (UnsupportedImage, OSError, ValueError) as error:
            report(f"image {src} could not be stored: {error}")
            return None
        self.saved_files.append(image.file)
        ImportedItem.objects.create(
            source=self.source, kind="image", source_id=key[:255], object_id=image.pk
        )
        self.created += 1
        return image

    def discard_files(self) -> None:
        """Delete the files this run stored (its rows were rolled back)."""
        for stored in self.saved_files:
            try:
                if stored.name:
                    stored.storage.delete(stored.name)
            except OSError:
                continue


def _download(url: str, report: Report) -> bytes | None:
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "Masthead importer"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            data: bytes = response.read(MAX_DOWNLOAD_BYTES + 1)
    except OSError as error:
        report(f"image {url} could not be fetched: {error}")
        return None
    if len(data) > MAX_DOWNLOAD_BYTES:
        report(f"image {url} is larger than 40 MB; left out")
        return None
    return data
