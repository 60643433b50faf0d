"""Writes to the vocabulary of tags."""

from masthead.core.translations import save_translation

from .models import Tag


def translate_tag(tag: Tag, code: str, name: str, description: str = "") -> Tag:
    """Give ``tag`` its name and description in edition ``code`` (#15).

    The tag's page in that edition (``/uk/tags/<slug>/``), its article
    pages' tag lists and the A-Z index show them from then on.

    Raises:
        ValueError: ``code`` is the default edition or has no locale.
    """
    save_translation(tag, code, name=name, description=description)
    return tag
