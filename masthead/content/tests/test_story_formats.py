"""Story formats: each new body block's HTML, rules and text (#14)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from masthead.content.blocks import ArticleBodyBlock
from masthead.content.factories import make_article
from masthead.content.models import ArticlePage
from masthead.core.factories import DocumentFactory, LibraryImageFactory, document_file
from masthead.core.sanitize import clean_html

pytestmark = pytest.mark.django_db

BODY = ArticleBodyBlock()


def soup_of(article: ArticlePage) -> BeautifulSoup:
    stored = ArticlePage.objects.get(pk=article.pk).body_html
    return BeautifulSoup(stored, "html5lib")


def child_error(block_name: str, value: dict) -> StructBlockValidationError:
    """The error a struct block raises for ``value``, as the editor would see it."""
    block = BODY.child_blocks[block_name]
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python(value))
    return raised.value


def gallery_value(images, **item) -> dict:
    return {
        "title": "The flooded valley",
        "images": [
            {"image": image, "caption": "", "alt_text": "", "credit": "", **item}
            for image in images
        ],
    }


# Gallery ---------------------------------------------------------------------


def test_gallery_is_a_named_keyboard_region_of_figures():
    images = LibraryImageFactory.create_batch(3, credit="Stored Credit")
    value = gallery_value(images)
    value["images"][1]["credit"] = "Own Credit"
    value["images"][2]["caption"] = "The bridge at dawn"
    soup = soup_of(make_article(body=[("gallery", value)]))
    region = soup.select_one("div.gallery__scroller")
    assert region["role"] == "region"
    assert region["tabindex"] == "0"
    assert "The flooded valley" in region["aria-label"]
    figures = region.select("ol.gallery__list > li > figure")
    assert len(figures) == 3
    credits = [f.select_one(".credit").get_text() for f in figures]
    assert credits == [
        "Photo: Stored Credit",
        "Photo: Own Credit",
        "Photo: Stored Credit",
    ]
    assert figures[2].select_one(".caption").get_text() == "The bridge at dawn"
    assert figures[0].select_one(".gallery__number").get_text() == "1 of 3"
    imgs = [f.find("img") for f in figures]
    assert all(img.get("alt") for img in imgs)
    assert all(f.find("source", srcset=True) for f in figures)
    assert [img.get("loading") for img in imgs] == [None, "lazy", "lazy"]


def test_gallery_needs_two_pictures_and_a_title():
    error = child_error("gallery", {"title": "", "images": []})
    assert set(error.block_errors) == {"title", "images"}


# Video and audio -------------------------------------------------------------


def media_value(**fields) -> dict:
    return {
        "title": "The mayor's statement",
        "file": None,
        "embed": None,
        "credit": "",
        "transcript": "",
        **fields,
    }


def test_uploaded_video_loads_nothing_until_played_and_has_captions_and_transcript():
    video = DocumentFactory(file=document_file("statement.mp4", b"\0" * 2048))
    captions = DocumentFactory(file=document_file("statement.vtt", b"WEBVTT\n"))
    value = media_value(
        file=video,
        transcript="Good evening.\n\nThe bridge reopens tomorrow.",
        poster=None,
        captions=captions,
        captions_language="uk",
    )
    soup = soup_of(make_article(body=[("video", value)]))
    player = soup.select_one("figure.media__figure > video")
    assert player["preload"] == "none"
    assert player.has_attr("controls")
    assert player["src"] == video.url
    track = player.find("track")
    assert (track["kind"], track["srclang"], track["src"]) == (
        "captions",
        "uk",
        captions.url,
    )
    assert player.find("a", href=video.url)  # for browsers without video
    assert "MP4, 2.0" in soup.select_one(".media__download").get_text()
    details = soup.select_one("div.media > details.transcript")
    assert details.summary.get_text(" ", strip=True).startswith("Transcript")
    assert [p.get_text() for p in details.find_all("p")] == [
        "Good evening.",
        "The bridge reopens tomorrow.",
    ]


def test_embedded_audio_keeps_the_providers_frame_and_transcript():
    url = "https://soundcloud.com/masthead/episode-1"
    Embed.objects.create(
        url=url,
        max_width=None,
        hash=get_embed_hash(url),
        html='<iframe src="https://w.soundcloud.com/player/?url=x"></iframe>',
        type="rich",
    )
    value = media_value(embed=url, transcript="Hello, listeners.")
    soup = soup_of(make_article(body=[("audio", value)]))
    frame = soup.select_one("div.media--audio iframe")
    assert frame["src"].startswith("https://w.soundcloud.com/player/")
    assert soup.select_one("figcaption .caption").get_text() == "The mayor's statement"
    assert soup.select_one("details.transcript p").get_text() == "Hello, listeners."


def test_uploaded_audio_player_loads_nothing_until_played():
    audio = DocumentFactory(file=document_file("episode.opus", b"\0" * 10))
    soup = soup_of(make_article(body=[("audio", media_value(file=audio))]))
    player = soup.select_one("div.media--audio audio")
    assert (player["preload"], player["src"]) == ("none", audio.url)
    assert soup.find("details") is None  # no transcript, no empty toggle


def test_media_needs_exactly_one_of_file_and_embed():
    assert set(child_error("audio", media_value()).block_errors) == {"file"}


def test_media_refuses_a_file_of_the_wrong_kind():
    pdf = DocumentFactory()
    error = child_error("video", media_value(file=pdf.pk, captions=None))
    assert "mp4" in error.block_errors["file"].messages[0]


def test_video_captions_must_be_webvtt():
    video = DocumentFactory(file=document_file("clip.webm", b"\0"))
    error = child_error(
        "video", media_value(file=video.pk, captions=DocumentFactory().pk)
    )
    assert set(error.block_errors) == {"captions"}


# Table -----------------------------------------------------------------------


def table_value(caption="Flood damage by district", row_headers=True) -> dict:
    return {
        "table": {
            "caption": caption,
            "columns": [
                {"type": "text", "heading": "District"},
                {"type": "number", "heading": "Homes flooded"},
            ],
            "rows": [
                {"values": ["North", "120"]},
                {"values": ["South", "48.5"]},
            ],
        },
        "row_headers": row_headers,
        "source": "District councils",
    }


def test_table_has_caption_and_scoped_headers():
    soup = soup_of(make_article(body=[("table", table_value())]))
    table = soup.select_one("figure.data-table div[role=region][tabindex='0'] table")
    assert table.caption.get_text() == "Flood damage by district"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col", "col"]
    rows = table.tbody.find_all("tr")
    assert [row.th.get_text() for row in rows] == ["North", "South"]
    assert [row.th["scope"] for row in rows] == ["row", "row"]
    assert rows[1].td["class"] == ["data-table__number"]
    assert rows[1].td.get_text() == "48.5"
    assert "District councils" in soup.select_one("figcaption").get_text()


def test_table_without_row_headers_has_data_cells_only():
    soup = soup_of(make_article(body=[("table", table_value(row_headers=False))]))
    assert soup.tbody.find("th") is None
    assert len(soup.tbody.find_all("td")) == 4


def test_table_needs_a_caption():
    error = child_error("table", table_value(caption=" "))
    message = " ".join(str(m) for m in error.block_errors["table"].non_block_errors)
    assert "Caption" in message


# Fact box, pull quote --------------------------------------------------------


def test_fact_box_is_a_titled_list():
    value = {"title": "What we know", "points": ["<p>One.</p>", "<p><b>Two</b>.</p>"]}
    soup = soup_of(make_article(body=[("fact_box", value)]))
    box = soup.select_one("aside.fact-box")
    assert box.h2.get_text() == "What we know"
    assert [li.get_text() for li in box.ul.find_all("li")] == ["One.", "Two."]


def test_fact_box_needs_a_point():
    error = child_error("fact_box", {"title": "Key points", "points": []})
    assert set(error.block_errors) == {"points"}


PULL = "the water rose faster than anyone had seen"


def pull_body(text=PULL, repeats=True) -> list:
    return [
        (
            "paragraph",
            "<p>She said <b>The water</b> rose faster than anyone had seen.</p>",
        ),
        (
            "pull_quote",
            {"text": text, "attribution": "A resident", "repeats_body": repeats},
        ),
    ]


def test_pull_quote_repeating_the_body_is_hidden_from_screen_readers():
    soup = soup_of(make_article(body=pull_body()))
    quote = soup.select_one("figure.pull-quote")
    assert quote["aria-hidden"] == "true"
    assert quote.blockquote is None
    assert quote.find("a") is None  # nothing focusable inside aria-hidden


def test_pull_quote_of_new_words_is_read_as_a_quotation():
    soup = soup_of(make_article(body=pull_body("Words said nowhere else", False)))
    quote = soup.select_one("figure.pull-quote")
    assert not quote.has_attr("aria-hidden")
    assert quote.blockquote.get_text(strip=True) == "Words said nowhere else"


def test_pull_quote_marked_as_repeat_must_be_in_the_article():
    body = BODY.to_python(
        [{"type": t, "value": v} for t, v in pull_body("Words said nowhere else")]
    )
    with pytest.raises(StreamBlockValidationError) as raised:
        BODY.clean(body)
    assert list(raised.value.block_errors) == [1]
    assert "Repeats words from the article" in raised.value.block_errors[1].messages[0]
    BODY.clean(BODY.to_python([{"type": t, "value": v} for t, v in pull_body()]))


# Timeline --------------------------------------------------------------------


def test_timeline_is_an_ordered_list_of_dated_entries():
    value = {
        "title": "How the flood came",
        "entries": [
            {"date": "2026-03-01", "time": None, "title": "Rain", "text": ""},
            {
                "date": "2026-03-02",
                "time": "14:30",
                "title": "Dam opened",
                "text": "<p>Gates <i>fully</i> open.</p>",
            },
        ],
    }
    soup = soup_of(make_article(body=[("timeline", value)]))
    timeline = soup.select_one("div.timeline")
    assert timeline.h2.get_text() == "How the flood came"
    entries = timeline.select("ol.timeline__entries > li")
    assert [e.time["datetime"] for e in entries] == ["2026-03-01", "2026-03-02T14:30"]
    assert entries[1].time.get_text() == "2 March 2026, 14:30"
    assert entries[1].strong.get_text() == "Dam opened"
    assert entries[1].p.get_text() == "Gates fully open."


def test_timeline_entry_needs_a_title():
    value = {
        "title": "",
        "entries": [{"date": datetime.date(2026, 3, 1), "title": "", "text": ""}] * 2,
    }
    error = child_error("timeline", value)
    assert set(error.block_errors) == {"entries"}
    assert "title" in error.block_errors["entries"].block_errors[0].block_errors


# Document, sources -----------------------------------------------------------


def test_document_link_shows_type_and_size():
    document = DocumentFactory(
        title="Council report", file=document_file("report.pdf", b"%PDF" * 512)
    )
    value = {"document": document, "link_text": "", "description": "48 pages"}
    soup = soup_of(make_article(body=[("document", value)]))
    link = soup.select_one("p.document-link a")
    assert (link["href"], link.get_text()) == (document.url, "Council report")
    assert soup.select_one(".document-link__meta").get_text() == "(PDF, 2.0\xa0KB)"


def test_document_block_needs_a_document():
    error = child_error("document", {"document": None, "link_text": "A report"})
    assert set(error.block_errors) == {"document"}


def test_sources_are_numbered_and_in_text_references_reach_them():
    body = [
        ("paragraph", '<p>Rain fell.<sup><a href="#source-2">2</a></sup></p>'),
        (
            "sources",
            {
                "title": "Sources",
                "sources": [
                    {"text": "Weather service", "url": "https://example.org/rain"},
                    {"text": "Interview with the mayor", "url": ""},
                ],
            },
        ),
    ]
    soup = soup_of(make_article(body=body))
    items = soup.select("div.sources ol.sources__list > li")
    assert [li["id"] for li in items] == [
        "user-content-source-1",
        "user-content-source-2",
    ]
    assert items[0].a["href"] == "https://example.org/rain"
    assert soup.select_one("sup a")["href"] == "#user-content-source-2"


def test_one_sources_list_per_article():
    value = {"title": "Sources", "sources": [{"text": "One", "url": ""}]}
    body = BODY.to_python([{"type": "sources", "value": value}] * 2)
    with pytest.raises(StreamBlockValidationError) as raised:
        BODY.clean(body)
    assert "Sources" in str(raised.value.non_block_errors)


def test_sources_need_text():
    error = child_error("sources", {"title": "Sources", "sources": [{"text": ""}]})
    assert set(error.block_errors) == {"sources"}


# Reading time, hostile markup ------------------------------------------------


def test_transcripts_and_repeating_pull_quotes_are_not_counted_as_reading():
    plain = make_article(title="T", standfirst="", body=pull_body()[:1])
    audio = DocumentFactory(file=document_file("a.mp3", b"\0"))
    long_transcript = " ".join(["word"] * 500)
    article = make_article(
        title="T",
        standfirst="",
        body=[
            *pull_body(),
            ("audio", media_value(file=audio, title="", transcript=long_transcript)),
        ],
    )
    # The player's own words (download link, "Transcript") are all it adds.
    assert plain.word_count <= article.word_count < plain.word_count + 12
    assert long_transcript in article.body_html  # still searchable


@pytest.mark.parametrize(
    ("hostile", "selector", "attribute"),
    [
        ('<div role="button" tabindex="5">x</div>', "div", "role"),
        ('<div tabindex="5">x</div>', "div", "tabindex"),
        ('<figure aria-hidden="false">x</figure>', "figure", "aria-hidden"),
        ('<video src="javascript:alert(1)"></video>', "video", "src"),
        ('<video poster="javascript:alert(1)"></video>', "video", "poster"),
        ('<video onplay="alert(1)"></video>', "video", "onplay"),
        ('<audio src="x.mp3" onerror="alert(1)"></audio>', "audio", "onerror"),
        ('<track src="javascript:alert(1)" kind="metadata">', "track", "src"),
        ('<table><tr><th scope="x" onclick="y">a</th></tr></table>', "th", "scope"),
        (
            '<details open ontoggle="alert(1)"><summary>s</summary></details>',
            "details",
            "ontoggle",
        ),
    ],
)
def test_sanitiser_drops_hostile_values_on_story_format_markup(
    hostile, selector, attribute
):
    element = BeautifulSoup(clean_html(hostile), "html5lib").select_one(selector)
    assert element is not None
    assert not element.has_attr(attribute)


def test_sanitiser_makes_every_player_wait_to_be_played():
    cleaned = clean_html(
        '<video src="a.mp4" preload="auto"></video><audio src="a.mp3">'
    )
    soup = BeautifulSoup(cleaned, "html5lib")
    for player in soup.select("video, audio"):
        assert player["preload"] == "none"
        assert player.has_attr("controls")
