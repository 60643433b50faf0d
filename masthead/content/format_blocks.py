"""Story formats: the article body's richer blocks (issue #14).

Gallery, video, audio, table, fact box, pull quote, timeline, document link
and sources list. Each renders plain, accessible HTML that works without
JavaScript and passes the body sanitiser (core/sanitize.py) like the other
blocks; it is rendered once, at publish, into ``ArticlePage.body_html``.

Uploaded video and audio are Wagtail documents (no extra media library): the
document's extension says what it is, and ``WAGTAILDOCS_EXTENSIONS`` admits
the formats browsers play.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import (
    TypedTableBlock,
    TypedTableBlockValidationError,
)
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# Rich text inside boxes and lists: words, emphasis and links, no headings.
SHORT_TEXT_FEATURES = ["bold", "italic", "link"]
VIDEO_EXTENSIONS = frozenset({"mp4", "webm"})
AUDIO_EXTENSIONS = frozenset({"mp3", "m4a", "ogg", "oga", "opus", "wav"})
CAPTION_EXTENSIONS = frozenset({"vtt"})


def _field_error(field: str, message: Any) -> blocks.StructBlockValidationError:
    return blocks.StructBlockValidationError(
        block_errors={field: ValidationError(message)}
    )


# Gallery ---------------------------------------------------------------------


class PictureBlock(blocks.StructBlock):
    """A library picture: caption per use, credit and alt from the library.

    The body's image block (blocks.py) and each picture of a gallery.
    """

    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, max_length=500, label=_("Caption"))
    alt_text = blocks.CharBlock(
        required=False,
        max_length=300,
        label=_("Alt text"),
        help_text=_("Leave empty to use the image's own description."),
    )
    credit = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Credit"),
        help_text=_("Leave empty to use the credit stored with the image."),
    )


class GalleryImageBlock(PictureBlock):
    """One picture of a gallery."""

    class Meta:
        icon = "image"


class GalleryBlock(blocks.StructBlock):
    """Several pictures in a row readers scroll, by touch, mouse or arrow keys."""

    title = blocks.CharBlock(
        max_length=200,
        label=_("Title"),
        help_text=_(
            "What the pictures show, in a few words, e.g. 'The flooded "
            "valley'. Screen readers announce it."
        ),
    )
    images = blocks.ListBlock(
        GalleryImageBlock(label=_("Picture")), min_num=2, max_num=30, label=_("Images")
    )

    class Meta:
        icon = "image"
        template = "content/blocks/gallery.html"


# Video and audio -------------------------------------------------------------


class _MediaBlock(blocks.StructBlock):
    """An uploaded file or an embed, with a title and a transcript."""

    title = blocks.CharBlock(
        max_length=200,
        label=_("Title"),
        help_text=_("Shown under the player and read to screen readers."),
    )
    file = DocumentChooserBlock(
        required=False, label=_("File"), help_text=_("An uploaded file.")
    )
    embed = EmbedBlock(
        required=False,
        label=_("Embed"),
        help_text=_(
            "Or the address of the recording on a known provider "
            "(YouTube, Vimeo, SoundCloud, Spotify)."
        ),
    )
    credit = blocks.CharBlock(required=False, max_length=200, label=_("Credit"))
    transcript = blocks.TextBlock(
        required=False,
        label=_("Transcript"),
        help_text=_(
            "Everything said, for readers who cannot or prefer not to "
            "listen. Shown folded under the player."
        ),
    )

    extensions: frozenset[str] = frozenset()
    # "An audio file must be one of: mp3, …", whole: the kind is a word
    # each language declines its own way.
    wrong_file_message: Any = ""

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        has_file = value.get("file") is not None
        has_embed = bool(value.get("embed"))
        if has_file == has_embed:
            raise _field_error(
                "file", _("Choose a file or give an embed URL, not both.")
            )
        if has_file and value["file"].file_extension.lower() not in self.extensions:
            allowed = ", ".join(sorted(self.extensions))
            raise _field_error(
                "file", self.wrong_file_message % {"extensions": allowed}
            )
        return value


class VideoBlock(_MediaBlock):
    extensions = VIDEO_EXTENSIONS
    wrong_file_message = _("A video file must be one of: %(extensions)s.")

    poster = ImageChooserBlock(
        required=False,
        label=_("Poster"),
        help_text=_("A still shown before the video plays."),
    )
    captions = DocumentChooserBlock(
        required=False,
        label=_("Subtitles"),
        help_text=_("Subtitles for an uploaded video, as a WebVTT (.vtt) file."),
    )
    captions_language = blocks.CharBlock(
        required=False,
        max_length=20,
        default="en",
        label=_("Subtitles language"),
        help_text=_("Language code of the subtitles, e.g. 'en' or 'uk'."),
    )

    class Meta:
        icon = "media"
        template = "content/blocks/video.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        captions = value.get("captions")
        if captions is not None:
            if value.get("file") is None:
                raise _field_error(
                    "captions", _("Subtitles go with an uploaded video only.")
                )
            if captions.file_extension.lower() not in CAPTION_EXTENSIONS:
                raise _field_error("captions", _("Subtitles must be a .vtt file."))
        return value


class AudioBlock(_MediaBlock):
    extensions = AUDIO_EXTENSIONS
    wrong_file_message = _("An audio file must be one of: %(extensions)s.")

    class Meta:
        icon = "media"
        template = "content/blocks/audio.html"


# Table -----------------------------------------------------------------------


class CaptionedTableBlock(TypedTableBlock):
    """Wagtail's typed table, refusing a table without caption, columns or rows."""

    def clean(self, table: Any) -> Any:
        table = super().clean(table)
        problems = []
        if not (table.caption or "").strip():
            problems.append(
                ValidationError(_("Caption: say what the table shows, in a sentence."))
            )
        if not table.columns:
            problems.append(ValidationError(_("Add at least one column.")))
        if not table.row_data:
            problems.append(ValidationError(_("Add at least one row.")))
        if problems:
            raise TypedTableBlockValidationError(non_block_errors=problems)
        return table


class TableBlock(blocks.StructBlock):
    """A data table with a caption, column headings and, if chosen, row headings."""

    table = CaptionedTableBlock(
        [
            (
                "text",
                blocks.CharBlock(required=False, max_length=500, label=_("Text")),
            ),
            ("number", blocks.DecimalBlock(required=False, label=_("Number"))),
        ],
        label=_("Table"),
    )
    row_headers = blocks.BooleanBlock(
        required=False,
        label=_("First column names the rows"),
        help_text=_(
            "Tick when each row is about the thing in its first cell, "
            "e.g. a region or a year."
        ),
    )
    source = blocks.CharBlock(
        required=False,
        max_length=300,
        label=_("Source"),
        help_text=_("Where the figures come from."),
    )

    class Meta:
        icon = "table"
        template = "content/blocks/table.html"


# Fact box, pull quote --------------------------------------------------------


class FactBoxBlock(blocks.StructBlock):
    """A titled box of short points: key facts, what we know, what to do."""

    title = blocks.CharBlock(max_length=120, default="Key points", label=_("Title"))
    points = blocks.ListBlock(
        blocks.RichTextBlock(features=SHORT_TEXT_FEATURES, label=_("Point")),
        min_num=1,
        max_num=12,
        label=_("Points"),
    )

    class Meta:
        icon = "list-ul"
        template = "content/blocks/fact_box.html"


class PullQuoteBlock(blocks.StructBlock):
    """Words from the article set large to catch the eye.

    A pull quote repeats the body, so it is hidden from screen readers
    (``aria-hidden``), who would otherwise hear it twice; the body check
    (``pull_quote_errors``) makes sure the words really are in the article,
    so nothing is lost to them (WCAG 1.3.1). Words found nowhere else are a
    plain quotation, read like one.
    """

    text = blocks.TextBlock(max_length=300, label=_("Text"))
    attribution = blocks.CharBlock(
        required=False, max_length=200, label=_("Attribution")
    )
    repeats_body = blocks.BooleanBlock(
        required=False,
        default=True,
        label=_("Repeats words from the article"),
        help_text=_(
            "Leave ticked for a usual pull quote: screen readers skip "
            "it because they read the words in the article. Untick for words "
            "that are not in the article."
        ),
    )

    class Meta:
        icon = "openquote"
        template = "content/blocks/pull_quote.html"


_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def pull_quote_errors(body: Iterable[Any]) -> dict[int, ValidationError]:
    """Pull quotes marked as repeating the article whose words are not in it.

    Args:
        body: the body's blocks (a StreamValue).

    Returns:
        ``{block index: error}``, naming the field to change.
    """
    from masthead.core.text import strip_tags

    repeats = {
        index: str(child.value.get("text", ""))
        for index, child in enumerate(body)
        if child.block_type == "pull_quote" and child.value.get("repeats_body")
    }
    if not repeats:
        return {}
    said = []
    for child in body:
        if child.block_type == "paragraph":
            # A body the editor could not read (core/rich_text_editor.py) has
            # no source text; its own error is reported elsewhere.
            source = getattr(child.value, "source", "")
            said.append(strip_tags(source) if isinstance(source, str) else "")
        elif child.block_type == "quote":
            said.append(str(child.value.get("text", "")))
    text = f" {_words(' '.join(said))} "
    errors = {}
    for index, quote in repeats.items():
        if f" {_words(quote)} " not in text:
            errors[index] = ValidationError(
                gettext(
                    "Block %(number)s (pull quote): the text is not in the "
                    "article. Quote the article's words, or untick “Repeats "
                    "words from the article”."
                )
                % {"number": index + 1}
            )
    return errors


# Timeline --------------------------------------------------------------------


class TimelineEntryBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    time = blocks.TimeBlock(
        required=False,
        label=_("Time"),
        help_text=_("Leave empty for the day only."),
    )
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    text = blocks.RichTextBlock(
        features=SHORT_TEXT_FEATURES, required=False, label=_("Text")
    )

    class Meta:
        icon = "date"


class TimelineBlock(blocks.StructBlock):
    """Dated events in order, oldest first."""

    title = blocks.CharBlock(required=False, max_length=200, label=_("Title"))
    entries = blocks.ListBlock(
        TimelineEntryBlock(label=_("Event")), min_num=2, max_num=60, label=_("Events")
    )

    class Meta:
        icon = "history"
        template = "content/blocks/timeline.html"


# Document, sources -----------------------------------------------------------


class DocumentBlock(blocks.StructBlock):
    """A link to a document (a report, a ruling), with its type and size."""

    document = DocumentChooserBlock(label=_("Document"))
    link_text = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Link text"),
        help_text=_("Leave empty to use the document's title."),
    )
    description = blocks.CharBlock(
        required=False, max_length=300, label=_("Description")
    )

    class Meta:
        icon = "doc-full-inverse"
        template = "content/blocks/document.html"


class SourceBlock(blocks.StructBlock):
    text = blocks.CharBlock(
        max_length=500,
        label=_("Source"),
        help_text=_(
            "What the source is, e.g. 'Ministry of Health, weekly report, 3 March'."
        ),
    )
    url = blocks.URLBlock(required=False, label=_("Link"))

    class Meta:
        icon = "link"


class SourcesBlock(blocks.StructBlock):
    """Numbered sources; text links to one as ``#source-N``.

    The ids become ``user-content-source-N`` in the page and the sanitiser
    points in-body links at them (core/sanitize.py), so a superscript number
    linked (Anchor link) to ``source-2`` jumps to the second source.
    """

    title = blocks.CharBlock(max_length=120, default="Sources", label=_("Title"))
    sources = blocks.ListBlock(
        SourceBlock(label=_("Source")), min_num=1, max_num=100, label=_("Sources")
    )

    class Meta:
        icon = "list-ol"
        template = "content/blocks/sources.html"


def unread_text(body: Iterable[Any]) -> str:
    """Text of the body that is not part of reading it once.

    A pull quote repeats the article and a transcript stands for a recording:
    both are searchable, but reading time and word count leave them out.
    """
    parts = []
    for child in body:
        if child.block_type == "pull_quote" and child.value.get("repeats_body"):
            parts.append(str(child.value.get("text", "")))
            parts.append(str(child.value.get("attribution", "")))
        elif child.block_type in {"video", "audio"}:
            parts.append(str(child.value.get("transcript", "")))
    return " ".join(parts)
