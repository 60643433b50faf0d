"""Captions and alt text a translation still has in its source's words (#15).

"Translate" copies the article whole: the hero's caption and alt text and
each body picture's (image blocks and gallery pictures) arrive in the
source's language. The translation's edit page lists those still identical
to the source's, and the alt texts left empty, which show the library's
description (written once, in one language, for every edition), so its
editors see what is left to translate (content/panels.py).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from .models import ArticlePage


@dataclass(frozen=True)
class PictureText:
    """One caption or alt text of a translation that still needs its words.

    ``place`` names the picture for editors ("Hero image", "Body image 2"),
    ``label`` the field; ``text`` is the text readers get now; ``is_empty``:
    the alt text is blank, so readers get the library's description.
    """

    place: str
    label: str
    text: str
    is_empty: bool = False


# A picture's texts as the article stands: (caption, alt text, library's alt).
type Texts = tuple[str, str, str]


def _library_alt(image: Any) -> str:
    return str(getattr(image, "alt_text", "") or "")


def _pictures(article: ArticlePage) -> Iterator[tuple[str, Texts]]:
    """Each picture of ``article``: a place name for editors, and its texts."""
    if article.hero_image_id:
        yield (
            gettext("Hero image"),
            (
                article.hero_caption,
                article.hero_alt_text,
                _library_alt(article.hero_image),
            ),
        )
    images = galleries = 0
    for child in article.body or ():
        if child.block_type == "image":
            images += 1
            place = gettext("Body image %(number)s") % {"number": images}
            yield place, _block_texts(child.value)
        elif child.block_type == "gallery":
            galleries += 1
            for number, item in enumerate(child.value.get("images") or (), 1):
                place = gettext("Gallery %(gallery)s, picture %(number)s") % {
                    "gallery": galleries,
                    "number": number,
                }
                yield place, _block_texts(item)


def _block_texts(value: Any) -> Texts:
    return (
        value.get("caption") or "",
        value.get("alt_text") or "",
        _library_alt(value.get("image")),
    )


def untranslated_pictures(
    translation: ArticlePage, source: ArticlePage
) -> list[PictureText]:
    """The captions and alt texts of ``translation`` still in ``source``'s words.

    Pictures are matched by place (the hero; the n-th body image; picture m
    of the n-th gallery). Listed: a caption or alt text identical to the
    source's, and an alt text left empty (the library's description shows).
    Empty captions are not listed: a picture may go without one.
    """
    originals = dict(_pictures(source))
    caption_label, alt_label = gettext("caption"), gettext("alt text")
    listed: list[PictureText] = []
    for place, (caption, alt, library_alt) in _pictures(translation):
        source_caption, source_alt, _ = originals.get(place, ("", "", ""))
        if caption and caption == source_caption:
            listed.append(PictureText(place, caption_label, caption))
        if not alt:
            # Case: readers get the library's description, in its language.
            listed.append(PictureText(place, alt_label, library_alt, is_empty=True))
        elif alt == source_alt:
            listed.append(PictureText(place, alt_label, alt))
    return listed
