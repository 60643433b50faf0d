"""Search fixtures: a Tantivy index in a temporary directory per test."""

import pytest

from masthead.search.backends import edition_backend, reset_backends


@pytest.fixture
def search_index(settings, tmp_path):
    """The English edition's Tantivy index, under ``tmp_path`` (never ``var/``)."""
    settings.MASTHEAD_SEARCH_BACKEND = "masthead.search.backends.tantivy.TantivyBackend"
    settings.MASTHEAD_SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.MASTHEAD_SEARCH_LANGUAGE = "english"
    reset_backends()
    yield edition_backend("en")
    reset_backends()


@pytest.fixture
def uk_search_index(search_index):
    """The Ukrainian edition's index, beside the English one."""
    return edition_backend("uk")


@pytest.fixture
def publish(search_index, django_capture_on_commit_callbacks):
    """``make_article`` with the after-commit indexing run, as in production.

    Articles share one section and an author without a photo unless given:
    the page tree and image files are the slow part of building an article.
    """
    from masthead.content.factories import make_article, make_section
    from masthead.people.factories import AuthorFactory

    shared = {}

    def publish_article(section=None, **kwargs):
        if section is None:
            section = shared.setdefault("section", make_section())
        if "authors" not in kwargs:
            kwargs["authors"] = [
                shared.setdefault("author", AuthorFactory(avatar=None))
            ]
        with django_capture_on_commit_callbacks(execute=True):
            return make_article(section, **kwargs)

    return publish_article
