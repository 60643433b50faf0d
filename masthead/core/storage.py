"""The media storage: no image is stored with its location, no draft is public.

Every file Wagtail or Masthead writes (originals from the single and the
multiple uploader and the chooser, renditions, importers) goes through
``Storage.save``, so location is stripped here, once, rather than in each
upload path (issue #12: the multiple uploader bypassed the model's hook).

Wagtail's multiple uploader keeps a file it cannot turn into an image yet
(alt text and credit are required) in ``UploadedFile`` under
``wagtail_uploads/``. Those files are not published: they live outside
``MEDIA_ROOT``, in ``MASTHEAD_PRIVATE_UPLOADS_ROOT``, which no URL serves.
"""

import os
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

from .images import UnsupportedImage, is_image_name, strip_location

# Where Wagtail's UploadedFile model keeps uploads waiting for their details.
PRIVATE_PREFIX = "wagtail_uploads/"
# Linux's limits (NAME_MAX, PATH_MAX), in bytes: a longer name cannot be a
# stored file, and asking the file system about it raises (#13).
NAME_MAX = 255
PATH_MAX = 4096


def is_private_name(name: str) -> bool:
    """Whether a stored name belongs to an upload nobody has saved yet."""
    return name.replace("\\", "/").lstrip("/").startswith(PRIVATE_PREFIX)


def fits_file_system(name: str, root: str = "") -> bool:
    """Whether ``name`` under ``root`` could name a file at all.

    Each part at most ``NAME_MAX`` bytes, the whole path at most ``PATH_MAX``:
    a longer one made the media view answer 500 instead of 404.
    """
    try:
        encoded = os.fsencode(name.replace("\\", "/"))
    except UnicodeEncodeError:
        return False
    if len(os.fsencode(root)) + 1 + len(encoded) >= PATH_MAX:
        return False
    return all(len(part) <= NAME_MAX for part in encoded.split(b"/"))


class MediaStorage(FileSystemStorage):
    """File-system media storage that cleans images and hides unsaved uploads."""

    def __init__(self, *args: Any, private_location: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._private_location = private_location

    @property
    def private_location(self) -> str:
        # Read lazily: tests and operators change the setting after import.
        return os.path.abspath(
            self._private_location or settings.MASTHEAD_PRIVATE_UPLOADS_ROOT
        )

    def path(self, name: str) -> str:
        if is_private_name(name):
            rest = name.replace("\\", "/").lstrip("/")[len(PRIVATE_PREFIX) :]
            return safe_join(self.private_location, rest)
        return super().path(name)

    def url(self, name: str | None) -> str:
        if name and is_private_name(name):
            raise SuspiciousFileOperation("unsaved uploads have no public URL")
        return super().url(name)

    def _save(self, name: str, content: "File[Any]") -> str:
        if is_image_name(name):
            content = _location_free(name, content)
        # django-stubs leave out FileSystemStorage's _save.
        stored: str = super()._save(name, content)  # type: ignore[misc]
        if not is_private_name(name):
            return stored
        # FileSystemStorage names the file relative to MEDIA_ROOT.
        full_path = os.path.normpath(os.path.join(self.location, stored))
        rest = os.path.relpath(full_path, self.private_location)
        return PRIVATE_PREFIX + rest.replace(os.sep, "/")

    def rewrite(self, name: str, data: bytes) -> None:
        """Replace a stored file's bytes in place (atomically, same name)."""
        target = Path(self.path(name))
        with tempfile.NamedTemporaryFile(
            dir=target.parent, prefix=".rewrite-", delete=False
        ) as handle:
            handle.write(data)
        os.chmod(handle.name, self.file_permissions_mode or 0o644)
        os.replace(handle.name, target)


def _location_free(name: str, content: "File[Any]") -> "File[Any]":
    """The content to store for an image: itself, or its cleaned copy.

    Raises:
        SuspiciousFileOperation: the file is not an accepted image format, so
            its metadata could not be checked.
    """
    handle: IO[Any] = content
    handle.seek(0)
    data = handle.read()
    try:
        cleaned = strip_location(data)
    except UnsupportedImage as error:
        raise SuspiciousFileOperation(f"{name}: {error}") from error
    if cleaned is None:
        handle.seek(0)
        return content
    return ContentFile(cleaned, name=content.name)
