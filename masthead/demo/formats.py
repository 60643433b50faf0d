"""The demo's story-formats article: every body block of #14 in one explainer.

An invented town, river and barrier; the recordings, subtitles and report are
generated (media.py), the pictures are the demo's landscapes. Created once,
through the content service; a second run finds it by slug and changes
nothing.
"""

import hashlib
import io
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    SectionPage,
)
from masthead.content.services import create_article
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from . import media
from .library import Library

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FORMATS_SLUG = "how-the-larkmoor-flood-barrier-works"
FORMATS_SECTION = "europe"
FORMATS_TITLE = "How the Larkmoor flood barrier works, step by step"
# Older than the newest planned story (at most 20 hours), so it never takes
# the home page's lead, yet near the top of its section.
FORMATS_AGE = timedelta(hours=22)

PULL_QUOTE = "The barrier is only as good as the hour of warning we get"


def ensure_formats_article(
    sections: dict[str, SectionPage],
    people: dict[str, Author],
    labels: dict[str, Tag],
    library: Library,
    editor: "User",
    now: datetime,
) -> int:
    """Create the story-formats explainer if it is missing.

    Returns:
        How many objects were created (the article and its documents), 0 on
        a second run.
    """
    section = sections.get(FORMATS_SECTION) or next(iter(sections.values()), None)
    if section is None or not people:
        return 0
    if ArticlePage.objects.filter(slug=FORMATS_SLUG, section=section).exists():
        return 0
    created = 0
    documents = {}
    for key, title, filename, make in _document_specs(library):
        documents[key], new = _document(library, title, filename, make)
        created += new
    author = people.get(sorted(people)[0])
    published_at = now - FORMATS_AGE
    page = ArticlePage(
        title=FORMATS_TITLE,
        slug=FORMATS_SLUG,
        genre="explainer",
        standfirst="A river gate, four pumps and an hour of warning: what "
        "happens in the fictional town of Larkmoor when the Tavy rises.",
        hero_image=library.hero(0),
        hero_caption="The Tavy valley above Larkmoor (an illustration).",
        body=_body(library, documents),
        published_at=published_at,
        first_published_at=published_at,
        article_authors=[ArticleAuthor(author=author, sort_order=0)],
        article_tags=[
            ArticleTag(tag=labels[slug], sort_order=order)
            for order, slug in enumerate(sorted(labels)[:2])
        ],
    )
    create_article(section, page, user=editor)
    ArticlePage.objects.filter(pk=page.pk).update(
        last_published_at=published_at, updated_at=published_at
    )
    return created + 1


def _document_specs(library: Library) -> list[tuple[str, str, str, Any]]:
    return [
        (
            "report",
            "Larkmoor barrier operating plan (demo)",
            "larkmoor-operating-plan.pdf",
            lambda: media.pdf(
                "Larkmoor barrier operating plan",
                [
                    "An invented document for the Masthead demo.",
                    "1. Gauge at Ferris Bridge passes 2.4 m: crews called.",
                    "2. Gauge passes 2.9 m: the gate is lowered.",
                    "3. Pumps run until the town side is below 1.1 m.",
                ],
            ),
        ),
        (
            "audio",
            "Larkmoor warning chime (demo)",
            "larkmoor-warning-chime.wav",
            lambda: media.wav(3.0),
        ),
        (
            "video",
            "Larkmoor valley slideshow (demo)",
            "larkmoor-valley.webm",
            lambda: media.webm([_frame(library, n) for n in range(3)]),
        ),
        (
            "captions",
            "Larkmoor valley slideshow subtitles (demo)",
            "larkmoor-valley.vtt",
            lambda: media.vtt(
                [
                    (0, 2, "The valley above Larkmoor."),
                    (2, 4, "The river gate, lowered."),
                    (4, 6, "The pump house on the town side."),
                ]
            ),
        ),
    ]


def _frame(library: Library, index: int) -> Image.Image:
    picture = library.hero(index % max(1, len(library.plan.scenes)))
    with picture.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        return image.convert("RGB").resize((320, 180))


def _document(
    library: Library, title: str, filename: str, make: Any
) -> tuple[AbstractDocument, int]:
    """The demo document called ``title``, generated once."""
    model = get_document_model()
    existing = model.objects.filter(collection=library.collection, title=title).first()
    if existing is not None:
        return existing, 0
    data: bytes = make()
    document = model(
        title=title,
        collection=library.collection,
        file=ContentFile(data, name=filename),
        file_size=len(data),
        file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
    )
    document.save()
    return document, 1


def _body(library: Library, documents: dict[str, Any]) -> list[tuple[str, Any]]:
    def picture(index: int, caption: str, credit: str = "") -> dict[str, Any]:
        scenes = max(1, len(library.plan.scenes))
        return {
            "image": library.hero(index % scenes),
            "caption": caption,
            "alt_text": "",
            "credit": credit,
        }

    return [
        (
            "fact_box",
            {
                "title": "Key points",
                "points": [
                    "<p>Larkmoor's barrier is a <b>river gate</b> and four pumps.</p>",
                    "<p>Crews need about <b>an hour</b> to close it.</p>",
                    "<p>It protects some 3,200 homes on the east bank.</p>",
                ],
            },
        ),
        (
            "paragraph",
            "<p>Larkmoor sits where the Tavy leaves its valley and spreads "
            "over flat fields. When rain falls for days in the hills, the "
            "river rises in the town a few hours later. Since the barrier "
            "opened, the town has closed it eleven times.<sup>"
            '<a href="#source-1">1</a></sup></p>',
        ),
        (
            "paragraph",
            "<p>“The barrier is only as good as the hour of warning we get,” "
            "says Ines Varga, who has led the gate crew for nine years. Her "
            "team watches a gauge twelve kilometres upstream.<sup>"
            '<a href="#source-2">2</a></sup></p>',
        ),
        (
            "pull_quote",
            {"text": PULL_QUOTE, "attribution": "Ines Varga", "repeats_body": True},
        ),
        ("heading", {"text": "The valley in pictures", "level": "h2"}),
        (
            "gallery",
            {
                "title": "The Tavy valley and the barrier",
                "images": [
                    picture(1, "Hills above the valley, where the rain gathers."),
                    picture(2, "The river at Ferris Bridge, by the upstream gauge."),
                    picture(3, "Fields the river floods first.", "Larkmoor Council"),
                    picture(4, "The east bank of the town, behind the gate."),
                ],
            },
        ),
        ("heading", {"text": "What happens when the river rises", "level": "h2"}),
        (
            "timeline",
            {
                "title": "A closing, hour by hour",
                "entries": [
                    {
                        "date": "2026-02-11",
                        "time": "21:10",
                        "title": "Gauge passes 2.4 m",
                        "text": "<p>The crew is called in.</p>",
                    },
                    {
                        "date": "2026-02-11",
                        "time": "22:05",
                        "title": "Gate lowered",
                        "text": "<p>Traffic on the river road is stopped.</p>",
                    },
                    {
                        "date": "2026-02-12",
                        "time": None,
                        "title": "Pumps run all day",
                        "text": "",
                    },
                ],
            },
        ),
        (
            "table",
            {
                "table": {
                    "caption": "Closings of the barrier by year",
                    "columns": [
                        {"type": "text", "heading": "Year"},
                        {"type": "number", "heading": "Closings"},
                        {"type": "number", "heading": "Highest level (m)"},
                    ],
                    "rows": [
                        {"values": ["2023", "2", "3.1"]},
                        {"values": ["2024", "5", "3.6"]},
                        {"values": ["2025", "4", "3.4"]},
                    ],
                },
                "row_headers": True,
                "source": "Larkmoor Council (invented figures)",
            },
        ),
        (
            "video",
            {
                "title": "The valley, the gate and the pump house",
                "file": documents["video"],
                "embed": None,
                "credit": "Masthead demo",
                "transcript": "No one speaks in this silent slideshow.\n\n"
                "It shows the valley above Larkmoor, the river gate lowered, "
                "and the pump house on the town side.",
                "poster": library.hero(5 % max(1, len(library.plan.scenes))),
                "captions": documents["captions"],
                "captions_language": "en",
            },
        ),
        (
            "audio",
            {
                "title": "The warning chime heard in the town",
                "file": documents["audio"],
                "embed": None,
                "credit": "Masthead demo",
                "transcript": "Two notes, high then higher, repeated three "
                "times. The chime means: move cars off the river road.",
            },
        ),
        (
            "document",
            {
                "document": documents["report"],
                "link_text": "Read the barrier's operating plan",
                "description": "One page, invented for this demo.",
            },
        ),
        (
            "sources",
            {
                "title": "Sources",
                "sources": [
                    {
                        "text": "Larkmoor Council, barrier log (invented)",
                        "url": "https://example.org/larkmoor/barrier-log",
                    },
                    {"text": "Interview with Ines Varga, gate crew lead", "url": ""},
                ],
            },
        ),
    ]
