"""WordPress post bodies: block-editor markup, classic content, shortcodes (#18)."""

from html.parser import HTMLParser

import pytest

from masthead.importers import wordpress
from masthead.importers.records import Archive, Block
from masthead.importers.tests.test_wordpress import (
    EXPORT,
    UPLOADS,
    item,
    parse_items,
    post,
)
from masthead.importers.wordpress.classic import classic_blocks
from masthead.importers.wordpress.fragments import Attachment, Body
from masthead.importers.wordpress.gutenberg import gutenberg_blocks, parse_tree


@pytest.fixture(scope="module")
def archive() -> Archive:
    return wordpress.parse(EXPORT)


def attachments() -> dict[str, Attachment]:
    return {
        "12": Attachment("12", f"{UPLOADS}/bridge.png", alt="A footbridge", parent="7"),
        "14": Attachment(
            "14", f"{UPLOADS}/lanterns.png", alt="Lanterns", parent="7", menu_order=1
        ),
    }


def body(**options) -> Body:
    return Body(attachments(), post_id="7", **options)


def kinds(blocks: list[Block]) -> list[str]:
    return [block.kind for block in blocks]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def elements(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


# The sample export, converted end to end.


def test_gutenberg_sample_post_blocks_in_order(archive):
    blocks = post(archive, "11").blocks
    assert kinds(blocks) == [
        "html", "heading", "image", "gallery", "embed", "quote", "html", "raw_html",
    ]  # fmt: skip
    assert blocks[1].value == {"text": "What changed", "level": 3}


def test_gutenberg_image_uses_the_full_size_file_and_its_alt(archive):
    image = post(archive, "11").blocks[2].value
    # The content shows photo-1024x768.png and alt=""; the attachment knows better.
    assert image["src"] == f"{UPLOADS}/photo.png"
    assert image["alt"] == "A bench beside a pond"
    assert image["caption"] == "New benches by the <em>pond</em>"


def test_gutenberg_gallery_of_image_blocks(archive):
    gallery = post(archive, "11").blocks[3].value
    assert [i["src"] for i in gallery["images"]] == [
        f"{UPLOADS}/bridge.png",
        f"{UPLOADS}/lanterns.png",
    ]
    assert gallery["images"][0]["alt"] == "The mended footbridge"
    assert gallery["images"][1]["alt"] == "Paper lanterns on a string"
    assert gallery["caption"] == "Around the park"


def test_gutenberg_embed_quote_and_list(archive):
    blocks = post(archive, "11").blocks
    assert blocks[4].value == {
        "url": "https://www.youtube.com/watch?v=aaaaaaaaaaa",
        "html": "",
        "caption": "A walk along the new path",
    }
    assert blocks[5].value == {
        "text": "We wanted the benches to face the water.",
        "attribution": "A park volunteer",
    }
    # The list and the paragraph inside columns, merged as one text block;
    # the separator and the "more" marker leave nothing.
    assert elements(blocks[6].value) == ["ul", "li", "li", "p"]
    assert elements(blocks[7].value["html"]) == ["div"]


def test_gutenberg_dynamic_block_is_reported(archive):
    assert any(
        "jetpack/contact-form" in problem.message
        and problem.item.startswith("post 11 ")
        for problem in archive.problems
    )


def test_classic_sample_post_blocks_in_order(archive):
    blocks = post(archive, "13").blocks
    assert kinds(blocks) == [
        "html", "image", "heading", "html", "gallery", "quote", "embed", "embed",
        "html", "gallery",
    ]  # fmt: skip
    assert elements(blocks[0].value) == ["p", "br"]


def test_classic_caption_shortcode_is_an_image_with_caption(archive):
    image = post(archive, "13").blocks[1].value
    assert image["src"] == f"{UPLOADS}/bridge.png"
    assert image["alt"] == "A small footbridge"
    assert image["caption"] == "The footbridge at the start"
    assert image["href"] == f"{UPLOADS}/bridge.png"


def test_classic_gallery_shortcode_by_ids_and_by_attachment(archive):
    blocks = post(archive, "13").blocks
    by_ids = [i["src"] for i in blocks[4].value["images"]]
    assert by_ids == [f"{UPLOADS}/lanterns.png", f"{UPLOADS}/bridge.png"]
    # [gallery] without ids: the post's attachments in their menu order.
    attached = [i["src"] for i in blocks[9].value["images"]]
    assert attached == [f"{UPLOADS}/lanterns.png", f"{UPLOADS}/bridge.png"]


def test_classic_bare_url_and_embed_shortcode_are_embeds(archive):
    blocks = post(archive, "13").blocks
    assert blocks[6].value["url"] == "https://www.youtube.com/watch?v=bbbbbbbbbbb"
    assert blocks[7].value["url"] == "https://vimeo.com/76979871"


def test_audio_file_is_linked_and_reported(archive):
    text = post(archive, "13").blocks[8].value
    assert "chimes.mp3" in text
    assert any("[audio] file" in m.message for m in archive.problems)


def test_unknown_shortcode_stays_as_text_and_is_named(archive):
    text = post(archive, "13").blocks[8].value
    assert '[contact-form-7 id="5" title="Sign up"]' in text
    named = [p for p in archive.problems if "[contact-form-7]" in p.message]
    assert [p.item for p in named] == ["post 13 'Lantern walk along the river'"]
    # Brackets in prose are not shortcodes.
    assert not any("[sic]" in p.message for p in archive.problems)


# Smaller cases, straight through the converters.


def test_block_delimiters_nest_and_void_blocks_close_themselves():
    tree = parse_tree(
        '<!-- wp:group --><div><!-- wp:spacer {"height":"20px"} /-->'
        "<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph --></div><!-- /wp:group -->"
    )
    group = tree[1]
    assert group.name == "core/group"
    assert [child.name for child in group.children] == ["core/spacer", "core/paragraph"]
    assert group.children[0].attrs == {"height": "20px"}


def test_old_gallery_markup_with_list_items():
    content = (
        '<!-- wp:gallery {"ids":[12,14]} -->\n'
        '<figure class="wp-block-gallery"><ul class="blocks-gallery-grid">'
        '<li class="blocks-gallery-item"><figure><img src="x-300.png" data-id="12"/>'
        '<figcaption class="blocks-gallery-item__caption">One</figcaption>'
        "</figure></li>"
        '<li class="blocks-gallery-item"><figure><img src="y.png" data-id="14"/>'
        "</figure></li></ul>"
        '<figcaption class="blocks-gallery-caption">Both</figcaption></figure>\n'
        "<!-- /wp:gallery -->"
    )
    [gallery] = gutenberg_blocks(content, body())
    assert [i["src"] for i in gallery.value["images"]] == [
        f"{UPLOADS}/bridge.png",
        f"{UPLOADS}/lanterns.png",
    ]
    assert gallery.value["images"][0]["caption"] == "One"
    assert gallery.value["caption"] == "Both"


def test_old_provider_embed_block():
    content = (
        '<!-- wp:core-embed/twitter {"url":"https://twitter.com/example/status/1"} -->'
        '<figure class="wp-block-embed-twitter"><div class="wp-block-embed__wrapper">'
        "https://twitter.com/example/status/1</div></figure>"
        "<!-- /wp:core-embed/twitter -->"
    )
    [block] = gutenberg_blocks(content, body())
    assert block.value["url"] == "https://twitter.com/example/status/1"


def test_embed_block_url_from_its_markup_when_attributes_lack_it():
    content = (
        "<!-- wp:embed -->"
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
        "https://vimeo.com/1234\n</div></figure><!-- /wp:embed -->"
    )
    [block] = gutenberg_blocks(content, body())
    assert block.value["url"] == "https://vimeo.com/1234"


def test_table_and_custom_html_are_raw_html():
    content = (
        '<!-- wp:table --><figure class="wp-block-table"><table><tr><td>1</td></tr>'
        "</table></figure><!-- /wp:table -->\n"
        "<!-- wp:html --><aside>Note</aside><!-- /wp:html -->"
    )
    blocks = gutenberg_blocks(content, body())
    assert kinds(blocks) == ["raw_html", "raw_html"]
    assert "table" in elements(blocks[0].value["html"])


def test_pullquote_is_a_quote():
    content = (
        '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote>'
        "<p>Short and sharp.</p><cite>Someone</cite></blockquote></figure>"
        "<!-- /wp:pullquote -->"
    )
    [block] = gutenberg_blocks(content, body())
    assert block.value == {"text": "Short and sharp.", "attribution": "Someone"}


def test_reusable_block_is_expanded_once():
    reusable = {
        "30": "<!-- wp:paragraph --><p>Shared</p><!-- /wp:paragraph -->"
        '<!-- wp:block {"ref":30} /-->'
    }
    converted = body(reusable=reusable)
    blocks = gutenberg_blocks('<!-- wp:block {"ref":30} /-->', converted)
    assert kinds(blocks) == ["html"]
    assert "includes itself" in converted.problems[0]


def test_missing_reusable_block_is_reported():
    converted = body()
    assert gutenberg_blocks('<!-- wp:block {"ref":31} /-->', converted) == []
    assert "reusable block 31" in converted.problems[0]


def test_unknown_block_with_markup_is_kept_and_reported():
    converted = body()
    blocks = gutenberg_blocks(
        "<!-- wp:acme/box --><div>Boxed</div><!-- /wp:acme/box -->", converted
    )
    assert kinds(blocks) == ["raw_html"]
    assert "acme/box" in converted.problems[0]


def test_video_block_from_the_library_is_linked_and_reported():
    converted = body()
    blocks = gutenberg_blocks(
        '<!-- wp:video {"id":40} --><figure class="wp-block-video">'
        '<video controls src="https://old.example.org/v.mp4"></video></figure>'
        "<!-- /wp:video -->",
        converted,
    )
    assert kinds(blocks) == ["html"]
    assert "v.mp4" in converted.problems[0]


def test_classic_paragraphs_follow_wpautop():
    blocks = classic_blocks("One\ntwo\n\n\nThree\r\n\r\n<h2>Four</h2>\nFive", body())
    assert kinds(blocks) == ["html", "html", "heading", "html"]
    assert elements(blocks[0].value) == ["p", "br"]
    assert elements(blocks[1].value) == ["p"]
    assert blocks[2].value == {"text": "Four", "level": 2}


def test_classic_block_element_with_blank_lines_stays_whole():
    blocks = classic_blocks(
        "<table>\n<tr><td>1</td></tr>\n\n<tr><td>2</td></tr>\n</table>", body()
    )
    assert kinds(blocks) == ["raw_html"]
    assert elements(blocks[0].value["html"]).count("tr") == 2


def test_classic_elements_on_one_line_are_read_one_by_one():
    blocks = classic_blocks("<h3>Route</h3><p>Start at the mill.</p>", body())
    assert kinds(blocks) == ["heading", "html"]
    assert elements(blocks[1].value) == ["p"]


def test_classic_lone_image_is_an_image_block():
    blocks = classic_blocks(
        'Before\n\n<a href="/big"><img class="alignnone wp-image-14" src="l-300.png" '
        'alt="" /></a>\n\nAfter',
        body(),
    )
    assert kinds(blocks) == ["html", "image", "html"]
    assert blocks[1].value["src"] == f"{UPLOADS}/lanterns.png"
    assert blocks[1].value["alt"] == "Lanterns"
    assert blocks[1].value["href"] == "/big"


def test_old_caption_attribute_form():
    [block] = classic_blocks(
        '[caption id="attachment_12" caption="Old style"]<img src="b.png" />[/caption]',
        body(),
    )
    assert block.value["caption"] == "Old style"


def test_escaped_shortcode_is_text():
    converted = body()
    [block] = classic_blocks("Type [[gallery]] to show images.", converted)
    assert block.kind == "html"
    assert converted.problems == []


def test_gallery_with_a_missing_image_reports_it():
    converted = body()
    [block] = classic_blocks('[gallery ids="12,99"]', converted)
    assert len(block.value["images"]) == 1
    assert "image 99" in converted.problems[0]


@pytest.mark.parametrize(
    ("shortcode", "kind"),
    [
        ('[video src="https://www.youtube.com/watch?v=ccccccccccc"]', "embed"),
        ('[video mp4="https://old.example.org/clip.mp4"][/video]', "html"),
        ("[youtube https://www.youtube.com/watch?v=ddddddddddd]", "embed"),
    ],
)
def test_media_shortcodes(shortcode, kind):
    [block] = classic_blocks(shortcode, body())
    assert block.kind == kind


def test_shortcodes_typed_in_a_paragraph_block_run():
    converted = body()
    blocks = gutenberg_blocks(
        '<!-- wp:paragraph --><p>[gallery ids="12"]</p><!-- /wp:paragraph -->'
        "<!-- wp:paragraph --><p>Sign up: [signup-form list=2] [sic]</p>"
        "<!-- /wp:paragraph -->",
        converted,
    )
    assert kinds(blocks) == ["gallery", "html"]
    assert converted.problems == [
        "shortcode [signup-form] has no equivalent here; left as text"
    ]


def test_shortcode_in_a_shortcode_block():
    blocks = gutenberg_blocks(
        '<!-- wp:shortcode -->[gallery ids="14"]<!-- /wp:shortcode -->', body()
    )
    assert kinds(blocks) == ["gallery"]


def test_classic_html_between_blocks_is_read(tmp_path):
    content = "Loose text\n\n<!-- wp:paragraph --><p>Block</p><!-- /wp:paragraph -->"
    [block] = parse_items(tmp_path, item(content=content)).posts[0].blocks
    assert elements(block.value) == ["p", "p"]


def test_content_problems_name_the_post(tmp_path):
    archive = parse_items(
        tmp_path, item(5, title="Gig &amp; more", content="[tickets event=9]")
    )
    assert [(p.item, p.message) for p in archive.problems] == [
        (
            "post 5 'Gig & more'",
            "shortcode [tickets] has no equivalent here; left as text",
        )
    ]
