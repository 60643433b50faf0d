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


def document_file(name: str = "report.pdf", content: bytes = b"%PDF-1.4\n%%EOF\n"):
    """A small in-memory file for a Wagtail document."""
    from django.core.files.base import ContentFile

    return ContentFile(content, name=name)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A Wagtail document (a PDF unless ``file`` says otherwise)."""

    class Meta:
        model = "wagtaildocs.Document"

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyFunction(document_file)
    # As the upload form stores it: the page shows it, never measures it.
    file_size = factory.LazyAttribute(lambda document: document.file.size)
