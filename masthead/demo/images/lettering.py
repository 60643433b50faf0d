"""Pictures made of letters: avatars with a person's initials, the logos."""

import random
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from ..text import PUBLICATION_NAME
from .canvas import WHITE, Color, GeneratedImage, gradient, jpeg, mix, png

AVATAR_SIZE = 400
LOGO_SIZE = (480, 96)
SHORT_LOGO_SIZE = 96
LOGO_BACKGROUND: Color = (17, 24, 39)
LOGO_ACCENT: Color = (200, 38, 46)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A bold serif when the system has one, else Pillow's built-in font."""
    for name in ("DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _fit_font(
    draw: ImageDraw.ImageDraw, text: str, max_width: int, max_size: int
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    size = max_size
    while size > 10:
        font = _font(size)
        left, _, right, _ = draw.textbbox((0, 0), text, font=font)
        if right - left <= max_width:
            return font
        size -= 2
    return _font(size)


AVATAR_PALETTE = (
    ((36, 72, 120), (88, 140, 190)),
    ((120, 48, 60), (196, 104, 96)),
    ((40, 96, 80), (110, 170, 140)),
    ((88, 60, 120), (150, 120, 190)),
    ((140, 90, 30), (210, 160, 80)),
    ((50, 56, 66), (120, 130, 145)),
)


def initials(name: str) -> str:
    words = name.split()
    return (words[0][:1] + (words[-1][:1] if len(words) > 1 else "")).upper()


def avatar(name: str, filename: str) -> GeneratedImage:
    """A 400x400 JPEG with the person's initials in white on a colour field."""
    rng = random.Random(f"avatar:{name}")
    dark, light = rng.choice(AVATAR_PALETTE)
    image = gradient((AVATAR_SIZE, AVATAR_SIZE), light, dark)
    draw = ImageDraw.Draw(image)
    ring = mix(light, WHITE, 0.25)
    draw.ellipse((40, 40, AVATAR_SIZE - 40, AVATAR_SIZE - 40), outline=ring, width=6)
    font = _fit_font(draw, initials(name), 240, 170)
    centre = AVATAR_SIZE / 2
    draw.text((centre, centre), initials(name), font=font, fill=WHITE, anchor="mm")
    return GeneratedImage(
        title=f"Avatar: {name}",
        description=name,
        filename=filename,
        data=jpeg(image),
    )


def logo(name: str = PUBLICATION_NAME) -> GeneratedImage:
    """The full logo: the publication's name in white on dark, 480x96 PNG."""
    width, height = LOGO_SIZE
    image = Image.new("RGB", LOGO_SIZE, LOGO_BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 10, height), fill=LOGO_ACCENT)
    font = _fit_font(draw, name, width - 56, 54)
    draw.text((32, height / 2), name, font=font, fill=WHITE, anchor="lm")
    return GeneratedImage(
        title=f"{name} logo",
        description=f"{name} logo: the name in white serif letters on a dark "
        f"blue band with a red stripe on the left.",
        filename="demo-logo.png",
        data=png(image),
    )


def short_logo(name: str = PUBLICATION_NAME) -> GeneratedImage:
    """The compact logo: the initial in white on a dark square, 96x96 PNG."""
    size = SHORT_LOGO_SIZE
    image = Image.new("RGB", (size, size), LOGO_BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, size - 10, size, size), fill=LOGO_ACCENT)
    letter = name[:1].upper()
    draw.text(
        (size / 2, (size - 10) / 2), letter, font=_font(64), fill=WHITE, anchor="mm"
    )
    return GeneratedImage(
        title=f"{name} short logo",
        description=f"{name} short logo: a white letter {letter} on a dark blue "
        f"square with a red stripe along the bottom.",
        filename="demo-short-logo.png",
        data=png(image),
    )
