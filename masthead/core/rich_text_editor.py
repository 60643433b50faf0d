"""The rich text editor, safe against text it cannot parse (issue #13).

Wagtail's Draftail widget reads stored HTML with a strict parser: an
unmatched tag (``<p><b>x</p>``, a ``<br>`` without its slash), as the model
API, an importer or a hand-edited row may store, raised an error and the
edit page answered 500. This widget reads such text leniently (an open tag
is closed where its parent ends), or failing that as plain paragraphs, and
says so above the editor, so the editor checks it before saving. Editor data
it cannot read when a form is sent is a form error, never a 500.

``WAGTAILADMIN_RICH_TEXT_EDITORS`` makes it the editor of every rich text
field and block.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext, gettext_noop
from draftjs_exporter.error import ExporterException
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.admin.rich_text.converters.html_to_contentstate import (
    HtmlToContentStateHandler,
)

from .sanitize import close_unclosed_markup
from .text import strip_tags

# What Wagtail's converters raise on input they cannot follow: their own
# assertions, missing keys, JSON that is not an editor state.
CONVERSION_ERRORS = (
    AssertionError,
    AttributeError,
    ExporterException,
    IndexError,
    KeyError,
    TypeError,
    ValueError,
)
UNREADABLE_MESSAGE = gettext_noop(
    "The editor's text could not be read, so it was not saved. "
    "Reload the page and make the change again."
)
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|div)\s*>|<br\b[^>]*>", re.I)
_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"}
)


class UnreadableText:
    """Editor data that could not be read, in place of the field's value.

    Django's ``CharField`` (behind rich text fields and blocks) makes a
    string of its input before anything else; this value refuses with a
    ValidationError, which the form shows under the field.
    """

    def __str__(self) -> str:
        raise ValidationError(gettext(UNREADABLE_MESSAGE), code="unreadable")


class _LenientHandler(HtmlToContentStateHandler):
    """Wagtail's HTML reader, closing tags the way a browser would.

    Void elements (``<br>``, ``<img>``) close at once; an end tag closes
    every element opened inside its own; a stray end tag is ignored; what is
    still open at the end is closed.
    """

    def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(name, attrs)
        if name in _VOID:
            super().handle_endtag(name)

    def handle_startendtag(
        self, name: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        super().handle_starttag(name, attrs)
        super().handle_endtag(name)

    def handle_endtag(self, name: str) -> None:
        if name not in [open_name for open_name, _handler in self.open_elements]:
            return
        while self.open_elements:
            innermost = self.open_elements[-1][0]
            super().handle_endtag(innermost)
            if innermost == name:
                return

    def close(self) -> None:
        while self.open_elements:
            super().handle_endtag(self.open_elements[-1][0])
        super().close()


class _LenientConverter(ContentstateConverter):
    def __init__(self, features: list[str] | None = None) -> None:
        super().__init__(features)
        self.html_to_contentstate_handler = _LenientHandler(features)


class RichTextArea(DraftailRichTextArea):
    """Draftail, reading any stored text and refusing unreadable input."""

    # In core/templates/: widgets render through the form renderer, which
    # reads app template folders only.
    template_name = "core/rich_text_area.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lenient_converter = _LenientConverter(self.features)

    def editor_state(self, value: object) -> tuple[str, bool]:
        """The editor's JSON for stored ``value``, and whether it was repaired."""
        stored = "" if value is None or isinstance(value, UnreadableText) else value
        # A tag left open that would hide the rest (``<style>``, ``<!--``)
        # is closed first, or the editor would drop that text on saving.
        source, closed = close_unclosed_markup(str(stored))
        try:
            return str(self.converter.from_database_format(source)), bool(closed)
        except CONVERSION_ERRORS:
            pass
        try:
            return str(self.lenient_converter.from_database_format(source)), True
        except CONVERSION_ERRORS:
            # Case: even a lenient reading fails (inline styles around
            # blocks): the words, in paragraphs, without their formatting.
            lines = strip_tags(_BLOCK_END.sub("\n", source)).splitlines()
            text = "".join(
                f"<p>{escape(line.strip())}</p>" for line in lines if line.strip()
            )
            return str(self.converter.from_database_format(text)), True

    def format_value(self, value: object) -> str:
        return self.editor_state(value)[0]

    def get_context(
        self, name: str, value: object, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)
        context["widget"]["is_repaired"] = self.editor_state(value)[1]
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> object:
        submitted = data.get(name)
        if submitted is None:
            return None
        try:
            return str(self.converter.to_database_format(submitted))
        except CONVERSION_ERRORS:
            return UnreadableText()
