"""StreamField blocks for article bodies."""

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from masthead.core.sanitize import unclosed_markup

from .format_blocks import (
    AudioBlock,
    DocumentBlock,
    FactBoxBlock,
    GalleryBlock,
    PictureBlock,
    PullQuoteBlock,
    SourcesBlock,
    TableBlock,
    TimelineBlock,
    VideoBlock,
    pull_quote_errors,
)

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200, label=_("Text"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Heading")), ("h3", _("Subheading"))],
        default="h2",
        label=_("Level"),
    )

    class Meta:
        icon = "title"
        template = "content/blocks/heading.html"


class ImageBlock(PictureBlock):
    """An image in the body: caption per use; credit and alt from the library."""

    class Meta:
        icon = "image"
        template = "content/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Text"))
    attribution = blocks.CharBlock(
        required=False, max_length=200, label=_("Attribution")
    )
    language = blocks.CharBlock(
        required=False,
        max_length=20,
        label=_("Language"),
        help_text=_("Language code if the quote is not in English, e.g. 'uk'."),
    )

    class Meta:
        icon = "openquote"
        template = "content/blocks/quote.html"


class LinkedEmbedBlock(EmbedBlock):
    """An embed that falls back to a plain link when the provider can't answer."""

    class Meta:
        icon = "media"
        template = "content/blocks/embed.html"


class RelatedArticleBlock(blocks.StructBlock):
    """A card pointing to one of our articles or to a story elsewhere.

    For an article of ours, empty fields are filled from that article when the
    body is rendered at publish time, and the card is shown only while that
    article is public (content/visibility.py).
    """

    article = blocks.PageChooserBlock(
        page_type="content.ArticlePage",
        required=False,
        label=_("Article"),
        help_text=_("Choose one of our articles, or give a URL below."),
    )
    url = blocks.URLBlock(required=False, label=_("External URL"))
    title = blocks.CharBlock(required=False, max_length=300, label=_("Title"))
    description = blocks.TextBlock(required=False, label=_("Description"))
    publisher = blocks.CharBlock(required=False, max_length=120, label=_("Publisher"))
    author = blocks.CharBlock(required=False, max_length=200, label=_("Author"))
    thumbnail = ImageChooserBlock(required=False, label=_("Thumbnail"))

    class Meta:
        icon = "doc-full"
        template = "content/blocks/related_article.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        has_article = bool(value.get("article"))
        has_url = bool(value.get("url"))
        if has_article == has_url:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Choose an article or give a URL, not both.")
                    )
                }
            )
        if has_url and not value.get("title"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "title": ValidationError(_("A link elsewhere needs a title."))
                }
            )
        return value

    def get_context(
        self, value: Any, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(value, parent_context)
        context["card"] = related_card(value)
        return context


def publication_name(page: Any) -> str:
    """The name of the publication a page belongs to, for cards and credits."""
    from masthead.core.models import SiteSettings

    site = page.get_site()
    name: str | None = (
        SiteSettings.objects.filter(site=site)
        .values_list("publication_name", flat=True)
        .first()
    )
    return name or SiteSettings._meta.get_field("publication_name").default


def related_card(value: Any) -> dict[str, Any] | None:
    """Build the card's fields, preferring what the editor typed.

    Returns None for an article of ours that readers may not see (a draft,
    embargoed, private, unpublished): the card is left out until it is
    public, when the bodies pointing at it are rendered again.
    """
    from .visibility import is_public

    article = value.get("article")
    if article is not None:
        article = article.specific
        if not is_public(article):
            return None
        first_author = next(iter(article.ordered_authors()), None)
        return {
            "url": article.url,
            "title": value.get("title") or article.title,
            "description": value.get("description") or article.standfirst,
            "publisher": value.get("publisher") or publication_name(article),
            "author": value.get("author")
            or (first_author.name_in() if first_author else ""),
            "thumbnail": value.get("thumbnail") or article.hero_image,
            # The article's hero described in its own words when it has them
            # (#15); a chosen thumbnail keeps the library's.
            "thumbnail_alt": "" if value.get("thumbnail") else article.hero_alt_text,
            "is_external": False,
        }
    url = value.get("url") or ""
    if not url:
        # Case: the chosen article was deleted; nothing to point at.
        return None
    return {
        "url": url,
        "title": value.get("title"),
        "description": value.get("description"),
        "publisher": value.get("publisher") or urlsplit(url).hostname or "",
        "author": value.get("author") or "",
        "thumbnail": value.get("thumbnail"),
        "is_external": True,
    }


INCOMPLETE_BODY_MESSAGE = gettext_noop(
    "The body arrived incomplete, so nothing was saved. "
    "Reload the page to edit the stored body."
)


class _IncompleteBody(blocks.StreamValue):
    """An empty body standing for a form that could not be read."""


class MembersOnlyBlock(blocks.StaticBlock):
    """Where a gated article's body stops for readers without access (#17).

    Renders nothing: the body is stored in two parts (models/access.py).
    """

    class Meta:
        admin_text = _(
            "Readers without access stop here, at an invitation to join. "
            "Used only when the article’s Access (Settings tab) is not Everyone."
        )
        icon = "lock"
        template = None

    def render_basic(self, value: Any, context: Any = None) -> str:
        return ""


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        template="content/blocks/paragraph.html",
        label=_("Paragraph"),
    )
    heading = HeadingBlock(label=_("Heading"))
    image = ImageBlock(label=_("Image"))
    quote = QuoteBlock(label=_("Quote"))
    embed = LinkedEmbedBlock(label=_("Embed"))
    related_article = RelatedArticleBlock(label=_("Related article"))
    # Story formats (format_blocks.py, #14).
    gallery = GalleryBlock(label=_("Gallery"))
    video = VideoBlock(label=_("Video"))
    audio = AudioBlock(label=_("Audio"))
    table = TableBlock(label=_("Table"))
    fact_box = FactBoxBlock(label=_("Fact box"))
    pull_quote = PullQuoteBlock(label=_("Pull quote"))
    timeline = TimelineBlock(label=_("Timeline"))
    document = DocumentBlock(label=_("Document"))
    sources = SourcesBlock(label=_("Sources"))
    members_only = MembersOnlyBlock(label=_("Members only from here"))

    class Meta:
        # One sources list: its items' ids (#source-N) must be unique; one
        # place where a gated article stops.
        block_counts = {"sources": {"max_num": 1}, "members_only": {"max_num": 1}}

    def value_from_datadict(self, data: Any, files: Any, prefix: str) -> Any:
        """The body as the form sent it; an incomplete form is a form error.

        Wagtail reads ``body-count`` and each block's type, order and deleted
        flag without a default, and a chosen image's id as it comes: a POST
        without them or with a word for a number (a script, a tampered form)
        raised an error and the edit page answered 500 (#13).
        """
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError, TypeError, OverflowError):
            return _IncompleteBody(self, [])

    def clean(self, value: Any) -> Any:
        """Refuse an incomplete form and text that would be hidden on the page.

        A paragraph with a construct left open (``<style>``, ``<!--``) would
        hide the text after it; the model API and importers that validate get
        the block's number and the construct (#13). What reaches the page
        without validation is repaired when the body is rendered. A pull
        quote hidden from screen readers must repeat the article's words
        (format_blocks.pull_quote_errors).
        """
        if isinstance(value, _IncompleteBody):
            raise blocks.StreamBlockValidationError(
                non_block_errors=[ValidationError(gettext(INCOMPLETE_BODY_MESSAGE))]
            )
        hidden = pull_quote_errors(value)
        for index, child in enumerate(value):
            if child.block_type != "paragraph":
                continue
            source = getattr(child.value, "source", "")
            construct = unclosed_markup(source) if isinstance(source, str) else None
            if construct:
                hidden[index] = ValidationError(
                    gettext(
                        "Block %(number)s (paragraph): “%(construct)s” is never "
                        "closed and would hide the text after it. Close it or "
                        "remove it."
                    )
                    % {"number": index + 1, "construct": construct}
                )
        try:
            cleaned = super().clean(value)
        except blocks.StreamBlockValidationError as error:
            raise blocks.StreamBlockValidationError(
                block_errors={**hidden, **error.block_errors},
                non_block_errors=error.non_block_errors,
            ) from error
        if hidden:
            raise blocks.StreamBlockValidationError(block_errors=hidden)
        return cleaned
