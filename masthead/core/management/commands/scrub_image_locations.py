"""Strip location from images stored before every write was cleaned (#12)."""

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from masthead.core.images import UnsupportedImage, strip_location
from masthead.core.models import LibraryImage, LibraryRendition
from masthead.core.storage import MediaStorage


class Command(BaseCommand):
    help = (
        "Rewrite stored originals and renditions that still carry a location "
        "(uploaded before Masthead cleaned every stored image). Safe to rerun."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        storage = default_storage
        if not isinstance(storage._wrapped, MediaStorage):  # type: ignore[attr-defined]
            self.stderr.write("The default storage is not Masthead's MediaStorage.")
            return
        names = list(LibraryImage.objects.values_list("file", flat=True))
        names += list(LibraryRendition.objects.values_list("file", flat=True))
        cleaned = missing = refused = 0
        for name in names:
            if not storage.exists(name):
                missing += 1
                continue
            with storage.open(name) as handle:
                data = handle.read()
            try:
                result = strip_location(data)
            except UnsupportedImage as error:
                refused += 1
                self.stderr.write(f"{name}: {error}")
                continue
            if result is not None:
                storage._wrapped.rewrite(name, result)  # type: ignore[attr-defined]
                cleaned += 1
        self.stdout.write(
            f"{cleaned} of {len(names)} files cleaned; {missing} missing; "
            f"{refused} not readable."
        )
