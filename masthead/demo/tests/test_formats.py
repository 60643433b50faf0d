"""The demo's story-formats explainer and its generated files (#14)."""

import io
import wave

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from masthead.content.blocks import ArticleBodyBlock
from masthead.content.models import ArticlePage
from masthead.demo import media
from masthead.demo.build import build_demo
from masthead.demo.formats import FORMATS_SLUG

from .test_demo import SMALL, frozen_clock  # noqa: F401 - a fixture

# Blocks older than the story formats; the explainer uses every other one.
EARLIER_BLOCKS = {"image", "quote", "embed", "related_article"}
# The gate of a gated article (#17): in the demo's gated article (gated.py).
OTHER_BLOCKS = {"members_only"}


@pytest.mark.django_db
def test_demo_explainer_uses_every_story_format(frozen_clock):  # noqa: F811
    build_demo(password="demo-secret", **SMALL)
    article = ArticlePage.objects.published().get(slug=FORMATS_SLUG)
    used = {child.block_type for child in article.body}
    assert used == set(ArticleBodyBlock.base_blocks) - EARLIER_BLOCKS - OTHER_BLOCKS
    article.body.stream_block.clean(article.body)  # valid as an editor would save it
    soup = BeautifulSoup(article.body_html, "html5lib")
    for selector in (
        ".gallery__scroller",
        "video track",
        "audio",
        "table caption",
        "aside.fact-box",
        "figure.pull-quote[aria-hidden=true]",
        "ol.timeline__entries time",
        "p.document-link a",
        "#user-content-source-1",
    ):
        assert soup.select_one(selector) is not None, selector
    assert soup.select_one("sup a")["href"] == "#user-content-source-1"


def test_generated_pdf_is_one_page():
    data = media.pdf("Title (demo)", ["A line"])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page ") == 1


def test_generated_wav_is_three_seconds_of_mono():
    with wave.open(io.BytesIO(media.wav(3.0))) as sound:
        assert (sound.getnchannels(), sound.getnframes()) == (1, 24000)


def test_generated_webm_is_a_small_vp8_stream():
    frames = [Image.new("RGB", (320, 180), color) for color in ("red", "blue")]
    data = media.webm(frames)
    assert data.startswith(bytes.fromhex("1A45DFA3"))
    assert b"webm" in data[:40] and b"V_VP8" in data
    assert len(data) < 20_000


def test_generated_subtitles_are_webvtt():
    text = media.vtt([(0, 2.5, "Hello")]).decode()
    assert text.splitlines()[:3] == ["WEBVTT", "", "00:00:00.000 --> 00:00:02.500"]
