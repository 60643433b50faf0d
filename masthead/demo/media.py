"""Small generated files for the story-formats demo: PDF, WAV, WebM, WebVTT.

Made at demo time, never stored in the repository: a one-page PDF, a few
seconds of tone, a silent slideshow video whose frames are demo landscapes.
The WebM holds VP8 key frames taken from Pillow's lossy WebP encoder (a
WebP "VP8 " chunk is one VP8 frame), in a minimal Matroska container
(https://www.matroska.org/technical/elements.html).
"""

import io
import math
import struct
import wave
from collections.abc import Sequence

from PIL import Image

# PDF -------------------------------------------------------------------------


def pdf(title: str, lines: Sequence[str]) -> bytes:
    """A valid one-page PDF (A4) showing ``title`` and ``lines`` in Helvetica."""

    def text(value: str) -> str:
        safe = value.encode("latin-1", "replace").decode("latin-1")
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    rows = [f"BT /F1 20 Tf 72 770 Td ({text(title)}) Tj ET"]
    rows += [
        f"BT /F1 12 Tf 72 {730 - 18 * n} Td ({text(line)}) Tj ET"
        for n, line in enumerate(lines)
    ]
    stream = "\n".join(rows).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


# Audio -----------------------------------------------------------------------


def wav(seconds: float = 3.0, rate: int = 8000) -> bytes:
    """A soft two-note chime, 8-bit mono: about 8 KB a second."""
    frames = bytearray()
    for n in range(int(seconds * rate)):
        t = n / rate
        note = 523.25 if t % 1.0 < 0.5 else 659.25
        envelope = math.exp(-3 * (t % 0.5))
        frames.append(int(128 + 60 * envelope * math.sin(2 * math.pi * note * t)))
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(rate)
        writer.writeframes(bytes(frames))
    return out.getvalue()


# Video -----------------------------------------------------------------------


def _size(length: int) -> bytes:
    """An EBML variable-size integer, the shortest that holds ``length``."""
    for width in range(1, 9):
        if length < (1 << (7 * width)) - 1:
            return (length | (1 << (7 * width))).to_bytes(width, "big")
    raise ValueError("element too large")


def _element(element_id: int, payload: bytes) -> bytes:
    id_bytes = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return id_bytes + _size(len(payload)) + payload


def _uint(element_id: int, value: int) -> bytes:
    return _element(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8)))


def _vp8_frame(image: Image.Image, quality: int) -> bytes:
    """The VP8 key frame inside a lossy WebP of ``image``."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="WEBP", quality=quality, method=4)
    data = buffer.getvalue()
    position = 12  # after "RIFF", size, "WEBP"
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        length = struct.unpack("<I", data[position + 4 : position + 8])[0]
        if kind == b"VP8 ":
            return data[position + 8 : position + 8 + length]
        position += 8 + length + (length & 1)
    raise ValueError("Pillow wrote no lossy VP8 frame")


def webm(frames: Sequence[Image.Image], seconds_each: float = 2.0) -> bytes:
    """A silent WebM slideshow of ``frames`` (all the same size), VP8 key frames."""
    width, height = frames[0].size
    step = int(seconds_each * 1000)
    header = _element(
        0x1A45DFA3,
        _uint(0x4286, 1)
        + _uint(0x42F7, 1)
        + _uint(0x42F2, 4)
        + _uint(0x42F3, 8)
        + _element(0x4282, b"webm")
        + _uint(0x4287, 2)
        + _uint(0x4285, 2),
    )
    info = _element(
        0x1549A966,
        _uint(0x2AD7B1, 1_000_000)  # timestamps in milliseconds
        + _element(0x4489, struct.pack(">d", float(step * len(frames))))
        + _element(0x4D80, b"masthead demo")
        + _element(0x5741, b"masthead demo"),
    )
    tracks = _element(
        0x1654AE6B,
        _element(
            0xAE,
            _uint(0xD7, 1)
            + _uint(0x73C5, 1)
            + _uint(0x9C, 0)
            + _element(0x86, b"V_VP8")
            + _uint(0x83, 1)
            + _element(0xE0, _uint(0xB0, width) + _uint(0xBA, height)),
        ),
    )
    blocks = b"".join(
        _element(0xA3, b"\x81" + struct.pack(">h", n * step) + b"\x80" + frame)
        for n, frame in enumerate(_vp8_frame(image, 55) for image in frames)
    )
    cluster = _element(0x1F43B675, _uint(0xE7, 0) + blocks)
    return header + _element(0x18538067, info + tracks + cluster)


def vtt(cues: Sequence[tuple[float, float, str]]) -> bytes:
    """A WebVTT subtitle file from ``(start, end, text)`` cues in seconds."""

    def stamp(seconds: float) -> str:
        minutes, rest = divmod(seconds, 60)
        return f"00:{int(minutes):02d}:{rest:06.3f}"

    lines = ["WEBVTT", ""]
    for start, end, words in cues:
        lines += [f"{stamp(start)} --> {stamp(end)}", words, ""]
    return "\n".join(lines).encode("utf-8")
