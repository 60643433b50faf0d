"""Writers for the story-format blocks (content/format_blocks.py, #14).

Every text field of the gallery, video, audio, table, fact box, pull quote,
timeline, document and sources blocks gets the corpus, through the model
API (no validation: what an importer or script could store) and through
the page editor's form (as Draftail and the block widgets post it).
"""

from itertools import zip_longest
from typing import Any

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    streamfield,
)

from masthead.content.factories import make_article
from masthead.content.models import ArticlePage
from masthead.core.factories import DocumentFactory, document_file

from .desk import Desk, Values, as_rich_text, saved
from .payloads import Limits

FORMAT_FIELDS: Limits = {
    "gallery_title": 200,
    "media_title": 200,
    "table_caption": None,
    "fact_title": 120,
    "timeline_title": 200,
    "sources_title": 120,
    "document_link_text": 200,
    "document_description": 300,
}
FORMAT_BLOCKS: Limits = {
    "gallery_caption": 500,
    "gallery_alt": 300,
    "gallery_credit": 200,
    "transcript": None,
    "media_credit": 200,
    "captions_language": 20,
    "table_heading": None,
    "table_cell": 500,
    "table_source": 300,
    "fact_point": None,
    "pull_quote": 300,
    "pull_attribution": 200,
    "timeline_entry": 200,
    "timeline_text": None,
    "source_text": 500,
    "source_url": 200,
}


def _documents() -> dict[str, Any]:
    return {
        "video": DocumentFactory(file=document_file("clip.webm", b"\0" * 64)),
        "audio": DocumentFactory(file=document_file("talk.mp3", b"\0" * 64)),
        "captions": DocumentFactory(file=document_file("clip.vtt", b"WEBVTT\n")),
        "report": DocumentFactory(),
    }


def format_blocks(
    values: Values, desk: Desk, rich, *, form: bool = False
) -> list[tuple[str, Any]]:
    """One block of each story format, every repeated value in one of them.

    ``rich`` turns text into what a rich text field holds; ``form`` gives
    the values as the page editor's widgets post them (ids, flat lists).
    """
    documents = _documents()

    def ref(obj: Any) -> Any:
        return obj.pk if form else obj

    def items(values_list: list[Any]) -> Any:
        if not form:
            return values_list
        return {
            "count": len(values_list),
            **{
                str(n): {"value": v, "deleted": "", "order": n, "id": ""}
                for n, v in enumerate(values_list)
            },
        }

    def flag(value: bool) -> Any:
        return ("on" if value else "") if form else value

    pictures = [
        {"image": ref(desk.image), "caption": c, "alt_text": a, "credit": cr}
        for c, a, cr in zip_longest(
            values["gallery_caption"],
            values["gallery_alt"],
            values["gallery_credit"],
            fillvalue="",
        )
    ]
    # A gallery has at least two pictures, a timeline two entries.
    pictures += [
        {"image": ref(desk.image), "caption": "", "alt_text": "", "credit": ""}
    ] * 2
    blocks: list[tuple[str, Any]] = [
        ("gallery", {"title": values["gallery_title"][0], "images": items(pictures)})
    ]
    transcripts = values["transcript"] or [""]
    credits = values["media_credit"] or [""]
    for n, (transcript, credit) in enumerate(
        zip_longest(transcripts, credits, fillvalue="")
    ):
        media = {
            "title": values["media_title"][0],
            "embed": "" if form else None,
            "credit": credit,
            "transcript": transcript,
        }
        if n % 2:
            media["file"] = ref(documents["audio"])
            blocks.append(("audio", media))
        else:
            media |= {
                "file": ref(documents["video"]),
                "poster": ref(desk.image),
                "captions": ref(documents["captions"]),
                "captions_language": "en",
            }
            blocks.append(("video", media))

    for language in values["captions_language"]:
        subtitled = {
            "title": values["media_title"][0],
            "file": ref(documents["video"]),
            "embed": "" if form else None,
            "credit": "",
            "transcript": "",
            "poster": ref(desk.image),
            "captions": ref(documents["captions"]),
            "captions_language": language,
        }
        blocks.append(("video", subtitled))

    headings = values["table_heading"] or ["Heading"]
    cells = values["table_cell"] or ["Cell"]
    sources = values["table_source"] or [""]
    caption = values["table_caption"][0]
    if form:
        table: dict[str, Any] = {
            "caption": caption,
            "column-count": len(headings),
            "row-count": len(cells),
        }
        for col, heading in enumerate(headings):
            table |= {
                f"column-{col}-type": "text",
                f"column-{col}-order": col,
                f"column-{col}-heading": heading,
                f"column-{col}-deleted": "",
            }
        for row, cell in enumerate(cells):
            table |= {f"row-{row}-order": row, f"row-{row}-deleted": ""}
            table |= {f"cell-{row}-{col}": cell for col in range(len(headings))}
    else:
        table = {
            "caption": caption,
            "columns": [{"type": "text", "heading": h} for h in headings],
            "rows": [{"values": [cell] * len(headings)} for cell in cells],
        }
    blocks.append(
        ("table", {"table": table, "row_headers": flag(True), "source": sources[0]})
    )
    points = [rich(p) for p in values["fact_point"]] or [rich("A point.")]
    blocks.append(
        ("fact_box", {"title": values["fact_title"][0], "points": items(points)})
    )
    for n, (text, attribution) in enumerate(
        zip_longest(values["pull_quote"], values["pull_attribution"], fillvalue="")
    ):
        # The editor refuses a "repeating" pull quote not in the body, so
        # through the form each is a quotation of its own.
        quote = {"text": text or "Quoted.", "attribution": attribution}
        blocks.append(
            ("pull_quote", quote | {"repeats_body": flag(not form and n % 2 == 1)})
        )
    entries = [
        {
            "date": "2026-03-01",
            "time": "09:30",
            "title": title or "Event",
            "text": rich(text),
        }
        for title, text in zip_longest(
            values["timeline_entry"], values["timeline_text"], fillvalue=""
        )
    ]
    entries += [
        {"date": "2026-03-02", "time": "", "title": "Later", "text": rich("")}
    ] * 2
    if not form:
        for entry in entries:
            entry["time"] = entry["time"] or None
    blocks.append(
        ("timeline", {"title": values["timeline_title"][0], "entries": items(entries)})
    )
    blocks.append(
        (
            "document",
            {
                "document": ref(documents["report"]),
                "link_text": values["document_link_text"][0],
                "description": values["document_description"][0],
            },
        )
    )
    listed = [
        {
            "text": text or "A source",
            # The form validates links; the model API stores anything.
            "url": "https://example.org/source" if form else url,
        }
        for text, url in zip_longest(
            values["source_text"], values["source_url"], fillvalue=""
        )
    ] or [{"text": "A source", "url": ""}]
    blocks.append(
        ("sources", {"title": values["sources_title"][0], "sources": items(listed)})
    )
    return blocks


def formats_by_model(values: Values, desk: Desk) -> ArticlePage:
    return make_article(
        desk.section,
        authors=[desk.author],
        slug=desk.slug("formats"),
        title="Story formats",
        body=format_blocks(values, desk, lambda text: text),
    )


def formats_by_admin(values: Values, desk: Desk) -> ArticlePage:
    slug = desk.slug("formats")

    def rich(text: str) -> str:
        return as_rich_text(text) if text else as_rich_text("")

    data = nested_form_data(
        {
            "title": "Story formats",
            "slug": slug,
            "genre": "news",
            "standfirst": "",
            "hero_image": "",
            "hero_caption": "",
            "body": streamfield(format_blocks(values, desk, rich, form=True)),
            "article_authors": inline_formset([{"author": desk.author.pk}], min=1),
            "article_tags": inline_formset([]),
            "published_at": "",
            "embargo_until": "",
            "go_live_at": "",
            "expire_at": "",
            "seo_title": "",
            "search_description": "",
            "action-publish": "publish",
        }
    )
    response = desk.admin.post(
        f"/admin/pages/add/content/articlepage/{desk.section.pk}/", data
    )
    if response.status_code != 302:
        # The block widgets report errors in JSON; show them, not the page.
        page = BeautifulSoup(response.content, "html5lib")
        errors = [e.get_text(" ", strip=True) for e in page.select(".error-message")]
        state = page.select_one("[data-w-block-errors-value]")
        pytest.fail(f"{errors} {state and state['data-w-block-errors-value']}"[:3000])
    saved(response)
    return ArticlePage.objects.get(slug=slug)
