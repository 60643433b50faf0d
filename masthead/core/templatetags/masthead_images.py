"""Wagtail's ``image``, ``srcset_image`` and ``picture`` tags for readers' pages.

Same syntax as ``wagtailimages_tags``. A large original's missing renditions
are never made while the page renders (core/renditions.py, #13): until the
task has made them the tag shows a box with the picture's alt text, in the
place and shape the CSS gives the picture, and no ``<img>`` without a source.
"""

import os
from typing import Any

from django import template
from django.template.base import Parser, Token
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.images.models import Picture, ResponsiveImage
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

from masthead.core import renditions

register = template.Library()


def pending_html(image: Any, attrs: dict[str, Any]) -> SafeString:
    """The stand-in for a picture whose renditions are being made.

    Carries the picture's classes, so its box has the picture's size, and its
    alt text, read as text; a decorative picture (``alt=""``) stays silent.
    """
    alt = attrs.get("alt")
    if alt is None:
        alt = image.default_alt_text
    classes = " ".join(filter(None, ["image-pending", attrs.get("class")]))
    if not alt:
        return format_html('<span class="{}" aria-hidden="true"></span>', classes)
    return format_html(
        '<span class="{}"><span class="image-pending__alt">{}</span></span>',
        classes,
        alt,
    )


def pending(node: Any, context: template.Context, specs: list[str]) -> str | None:
    """The stand-in if ``node``'s image is large and lacks a rendition, else None."""
    image = node.validate_image(context)
    if not image or not renditions.is_large(image):
        return None
    if renditions.for_reader(image, specs) is not None:
        return None
    if node.output_var_name:
        context[node.output_var_name] = None
        return ""
    attrs = {key: value.resolve(context) for key, value in node.attrs.items()}
    return pending_html(image, attrs)


class ImageNode(wagtail_tags.ImageNode):
    def render(self, context: template.Context) -> str:
        stand_in = pending(self, context, [self.get_filter().spec])
        return str(super().render(context)) if stand_in is None else stand_in


def distinct_widths(found: dict[str, Any]) -> dict[str, Any]:
    """The renditions less those repeating a width already listed in their format.

    A picture narrower than the widths asked for (``width-{480,800,1200}`` of
    a 300-pixel original) gets three renditions of 300 pixels; a ``srcset``
    naming one width twice is invalid HTML (the Nu checker refuses it) and
    makes the browser's choice arbitrary.
    """
    kept: dict[str, Any] = {}
    seen: set[tuple[str, int]] = set()
    for spec, rendition in found.items():
        key = (os.path.splitext(rendition.file.name)[1], rendition.width)
        if key not in seen:
            seen.add(key)
            kept[spec] = rendition
    return kept


class SrcsetImageNode(wagtail_tags.SrcsetImageNode):
    # Wagtail's ResponsiveImage; PictureNode's is Picture.
    collection: Any = ResponsiveImage

    def render(self, context: template.Context) -> str:
        stand_in = pending(self, context, [f.spec for f in self.get_filters()])
        if stand_in is not None:
            return stand_in
        image = self.validate_image(context)
        if not image:
            return ""
        found = distinct_widths(get_renditions_or_not_found(image, self.get_filters()))
        if self.output_var_name:
            context[self.output_var_name] = self.collection(found)
            return ""
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        formats = [os.path.splitext(r.file.name)[1] for r in found.values()]
        if len(formats) == len(set(formats)):
            # Case: one rendition per format: Wagtail then writes a bare URL
            # as the srcset, which ``sizes`` must not accompany.
            attrs.pop("sizes", None)
        return str(self.collection(found, attrs).__html__())


class PictureNode(SrcsetImageNode):
    collection = Picture


NODES: dict[type, Any] = {
    wagtail_tags.ImageNode: ImageNode,
    wagtail_tags.SrcsetImageNode: SrcsetImageNode,
    wagtail_tags.PictureNode: PictureNode,
}


def image(parser: Parser, token: Token) -> template.Node:
    """Wagtail's parser, with the node swapped for the reader's one."""
    node = wagtail_tags.image(parser, token)
    reader_node: template.Node = NODES[type(node)](
        node.image_expr,
        node.filter_specs,
        attrs=node.attrs,
        output_var_name=node.output_var_name,
    )
    return reader_node


register.tag("image", image)
register.tag("srcset_image", image)
register.tag("picture", image)
