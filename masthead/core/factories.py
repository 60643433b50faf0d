"""Factories for the image library and site settings."""

import io

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from .models import LibraryImage


def image_file(width: int = 64, height: int = 48, color=(40, 90, 160), name="t.png"):
    """A small in-memory PNG for tests."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="PNG")
    return ImageFile(buffer, name=name)


class LibraryImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryImage

    title = factory.Sequence(lambda n: f"Image {n}")
    description = factory.Sequence(lambda n: f"A test picture number {n}")
    credit = "Test Photographer / Masthead"
    file = factory.LazyFunction(lambda: image_file(160, 90))
