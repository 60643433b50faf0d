"""Writes to authors' records."""

from masthead.core.translations import save_translation

from .models import Author


def translate_author(
    author: Author, code: str, name: str, job_title: str = "", bio: str = ""
) -> Author:
    """Give ``author`` a name, job title and bio in edition ``code`` (#15).

    Bylines, the author box, the author's page and the A-Z index of that
    edition show them from then on.

    Raises:
        ValueError: ``code`` is the default edition or has no locale.
    """
    save_translation(author, code, name=name, job_title=job_title, bio=bio)
    return author
