"""Wagtail's ``image``, ``srcset_image`` and ``picture`` tags for readers' pages.

Same syntax as ``wagtailimages_tags``. A large original's missing renditions
are never made while the page renders (core/renditions.py, #13): until the
task has made them the tag shows a box with the picture's alt text, in the
place and shape the CSS gives the picture, and no ``<img>`` without a source.
"""

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.utils.html import format_html
from django.utils.safestring import SafeString
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


class SrcsetImageNode(wagtail_tags.SrcsetImageNode):
    def render(self, context: template.Context) -> str:
        stand_in = pending(self, context, [f.spec for f in self.get_filters()])
        return str(super().render(context)) if stand_in is None else stand_in


class PictureNode(wagtail_tags.PictureNode):
    def render(self, context: template.Context) -> str:
        stand_in = pending(self, context, [f.spec for f in self.get_filters()])
        return str(super().render(context)) if stand_in is None else stand_in


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
