"""Fixtures shared by the purge tests: a journal per test and a published story.

test_caching.py has its own ``journal`` (a bare path), which overrides this one
there.
"""

import pytest

from masthead import cache
from masthead.content.factories import make_article, make_section
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory


@pytest.fixture
def journal(settings, tmp_path):
    """This test's purge journal, with no purger beyond this machine's store."""
    settings.MASTHEAD_PAGE_CACHE_JOURNAL = tmp_path / "purges.log"
    settings.MASTHEAD_PURGERS = []
    cache.reset()
    yield settings.MASTHEAD_PAGE_CACHE_JOURNAL
    cache.reset()


@pytest.fixture
def story():
    """A published article in Business with one author and one tag."""
    author, topic = AuthorFactory(), TagFactory()
    section = make_section("Business", "business")
    article = make_article(section, authors=[author], tags=[topic])
    return article, section, author, topic
