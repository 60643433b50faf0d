"""Who may read an article's whole body, and the body split where it gates (#17).

An article's ``access`` says who reads all of it: everyone, signed-in
members, paid members, or members of chosen tiers. The rule itself is in
``visibility.may_read``. The body is rendered at save in two parts: what
everyone reads (``body_html``: the whole body of an open article, the part
above the editor's "Members only from here" block of a gated one) and the
rest (``gated_html``). Everything that shows an article to anyone but the
article page of a reader with access (feeds, search, sitemaps, structured
data, newsletters, cards, and any future API) reads ``body_html`` only, so
the gated part cannot leak through a place that forgot to check.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from masthead.core.links import mark_sponsored_links
from masthead.core.sanitize import clean_fragments

from ..visibility import Access

# The body block after which a gated article is for readers with access.
GATE_BLOCK = "members_only"


ACCESS_PANELS = [
    MultiFieldPanel(
        [FieldPanel("access"), FieldPanel("access_tiers")], heading=_("Access")
    )
]


def access_field() -> models.CharField:  # type: ignore[type-arg]
    """``ArticlePage.access``: who reads the whole body."""
    return models.CharField(
        _("who reads it all"),
        max_length=10,
        choices=Access.choices,
        default=Access.EVERYONE,
        db_default=Access.EVERYONE,
        help_text=_(
            "Other readers see the headline, standfirst, hero picture and the "
            "body above a “Members only from here” block (none without one), "
            "then an invitation to join."
        ),
    )


def render_parts(
    body: Iterable[Any], *, gated: bool, sponsored: bool, where: str, language: str
) -> tuple[str, str]:
    """The body's HTML for everyone and the gated rest ("" when open).

    Block by block: an unclosed construct in one cannot swallow the blocks
    after it (#13). In the article's edition's ``language``, whatever
    language the editor's admin is in: the stored labels and dates are read
    there (#15). The gate block itself renders nothing.
    """
    blocks = list(body)
    gate = next(
        (n for n, child in enumerate(blocks) if child.block_type == GATE_BLOCK),
        0,
    )
    if not gated:
        gate = len(blocks)
    with translation.override(language):
        public, rest = (
            clean_fragments(
                (str(c.render()) for c in part if c.block_type != GATE_BLOCK),
                where=where,
            )
            for part in (blocks[:gate], blocks[gate:])
        )
    if sponsored:
        public, rest = mark_sponsored_links(public), mark_sponsored_links(rest)
    return public, rest
