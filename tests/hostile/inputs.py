"""Every way text that readers see gets into Masthead: the hostile-input registry.

An input is a form or a model API that stores such text. It names its fields
with their length limits, writes one object from one value per field, and
says which public URLs show what it wrote. ``test_xss_corpus.py`` stores the
whole corpus (xss_payloads.txt) through every input, then reads every URL
and checks that nothing injected can run.

A new way in (members, comments, the API, an importer) is one more
``HostileInput`` in ``INPUTS``, with its writer in writers.py; docs/testing.md
"Hostile input".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import formats as f
from . import writers as w
from .desk import Desk, Values, on_every_page, pages
from .payloads import Limits


@dataclass(frozen=True)
class HostileInput:
    """One way in.

    Args:
        name: how the test names it.
        fields: one value per object, with the field's maximum length.
        repeated: fields an object may hold several of (blocks, links).
        write: stores one object from its values; returns what it stored.
        urls: the public URLs showing what the writes stored.
        singleton: one object (site settings): each write replaces the last,
            so its URLs are read after every write.
    """

    name: str
    fields: Limits
    write: Callable[[Values, Desk], Any]
    urls: Callable[[list[Any], Desk], list[str]]
    repeated: Limits = field(default_factory=dict)
    singleton: bool = False


INPUTS = [
    HostileInput(
        "article (model API)",
        w.ARTICLE_FIELDS,
        w.article_by_model,
        pages,
        w.ARTICLE_BLOCKS,
    ),
    HostileInput(
        "article (page editor)",
        w.ARTICLE_FIELDS,
        w.article_by_admin,
        pages,
        w.ARTICLE_BLOCKS,
    ),
    HostileInput(
        "story formats (model API)",
        f.FORMAT_FIELDS,
        f.formats_by_model,
        pages,
        f.FORMAT_BLOCKS,
    ),
    HostileInput(
        "story formats (page editor)",
        f.FORMAT_FIELDS,
        f.formats_by_admin,
        pages,
        f.FORMAT_BLOCKS,
    ),
    HostileInput(
        "author (model API)",
        w.AUTHOR_FIELDS,
        w.author_by_model,
        w.bylined,
        w.AUTHOR_LINKS,
    ),
    HostileInput(
        "author (snippet editor)",
        w.AUTHOR_FIELDS,
        w.author_by_admin,
        w.bylined,
        w.AUTHOR_LINKS,
    ),
    HostileInput("tag (model API)", w.TAG_FIELDS, w.tag_by_model, w.tagged),
    HostileInput("tag (snippet editor)", w.TAG_FIELDS, w.tag_by_admin, w.tagged),
    HostileInput(
        "News Feed post (model API)",
        w.POST_MODEL_FIELDS,
        w.post_by_model,
        w.news_feed,
    ),
    HostileInput(
        "News Feed post (snippet editor)", w.POST_FIELDS, w.post_by_admin, w.news_feed
    ),
    HostileInput("News Feed post (desk)", w.POST_FIELDS, w.post_by_desk, w.news_feed),
    HostileInput(
        "correction (model API)",
        w.CORRECTION_FIELDS,
        w.correction_by_model,
        w.corrections,
    ),
    HostileInput(
        "correction (snippet editor)",
        w.CORRECTION_FIELDS,
        w.correction_by_admin,
        w.corrections,
    ),
    HostileInput(
        "site settings (model API)",
        w.SETTINGS_FIELDS,
        w.settings_by_model,
        on_every_page,
        w.SETTINGS_LINKS,
        singleton=True,
    ),
    HostileInput(
        "site settings (settings editor)",
        w.SETTINGS_FIELDS,
        w.settings_by_admin,
        on_every_page,
        w.SETTINGS_LINKS,
        singleton=True,
    ),
    HostileInput("image (model API)", w.IMAGE_FIELDS, w.image_by_model, w.pictured),
    HostileInput("image (image editor)", w.IMAGE_FIELDS, w.image_by_admin, w.pictured),
]
