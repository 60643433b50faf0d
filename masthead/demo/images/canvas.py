"""What every demo picture shares: colours, gradients, encoding, the result."""

from dataclasses import dataclass
from io import BytesIO

from PIL import Image

Color = tuple[int, int, int]

JPEG_QUALITY = 70
WHITE: Color = (255, 255, 255)


@dataclass(frozen=True)
class GeneratedImage:
    """A drawn picture with what the library needs to store it."""

    title: str
    description: str  # alt text: what the picture shows
    filename: str
    data: bytes


def mix(a: Color, b: Color, t: float) -> Color:
    """The colour ``t`` of the way from ``a`` to ``b`` (0 to 1)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    """A picture of ``size`` shading from ``top`` down to ``bottom``."""
    height = size[1]
    column = Image.new("RGB", (1, height))
    column.putdata([mix(top, bottom, y / (height - 1)) for y in range(height)])
    return column.resize(size, Image.Resampling.BILINEAR)


def jpeg(image: Image.Image) -> bytes:
    """``image`` as a progressive JPEG at the demo's quality."""
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def png(image: Image.Image) -> bytes:
    """``image`` as an optimised PNG (logos: flat colours, sharp edges)."""
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
