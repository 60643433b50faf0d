"""Hostile or broken WXR files are refused with a clear error; big ones parse (#18)."""

import pytest

from masthead.importers import wordpress
from masthead.importers.tests.test_wordpress import HEAD, item, wxr_file

BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>&d;</title></channel></rss>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>&secret;</title></channel></rss>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://attacker.invalid/wxr.dtd">
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>x</title></channel></rss>
"""


@pytest.mark.parametrize(
    "text", [BOMB, EXTERNAL, EXTERNAL_DTD], ids=["bomb", "entity", "dtd"]
)
def test_document_types_and_entities_are_refused(tmp_path, text):
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    # Claimed, so that the import refuses it by name instead of calling it
    # "not a WordPress export"; nothing in the DTD is expanded either way.
    assert wordpress.can_parse(path)
    with pytest.raises(wordpress.WXRError, match=r"document type.*refused"):
        wordpress.parse(path)


def test_broken_xml_names_the_line(tmp_path):
    path = wxr_file(tmp_path, item())
    lines = path.read_text(encoding="utf-8").splitlines()
    broken_line = next(i for i, line in enumerate(lines, 1) if "<wp:post_id>" in line)
    lines[broken_line - 1] = "<wp:post_id>1</wp:post_idd>"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(wordpress.WXRError) as raised:
        wordpress.parse(path)
    assert f"line {broken_line}," in str(raised.value)
    assert str(raised.value).startswith("not well-formed XML at line")


def test_blank_lines_before_the_declaration_are_tolerated(tmp_path):
    # A theme printing a newline before the export is a classic broken file.
    path = wxr_file(tmp_path, item())
    path.write_text("\n\n  " + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert wordpress.can_parse(path)
    assert len(wordpress.parse(path).posts) == 1


def test_line_numbers_count_the_blank_lines_skipped(tmp_path):
    path = wxr_file(tmp_path, item())
    text = "\n\n" + path.read_text(encoding="utf-8").replace("</wp:post_id>", "</x>")
    path.write_text(text, encoding="utf-8")
    broken_line = next(
        i for i, line in enumerate(text.splitlines(), 1) if "</x>" in line
    )
    with pytest.raises(wordpress.WXRError, match=f"line {broken_line},"):
        wordpress.parse(path)


def test_truncated_file_is_an_error_not_half_an_archive(tmp_path):
    path = wxr_file(tmp_path, item(1), item(2))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("<wp:post_id>2")], encoding="utf-8")
    with pytest.raises(wordpress.WXRError, match="not well-formed"):
        wordpress.parse(path)


def test_rss_without_the_wordpress_namespace_is_refused(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><item/></channel></rss>',
        encoding="utf-8",
    )
    with pytest.raises(wordpress.WXRError, match="not a WordPress export"):
        wordpress.parse(path)


def test_binary_file_is_not_wxr(tmp_path):
    path = tmp_path / "photo.xml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert not wordpress.can_parse(path)
    with pytest.raises(wordpress.WXRError):
        wordpress.parse(path)


def test_two_thousand_posts_parse(tmp_path):
    # Timed by the suite's budget, not here: a slow parser shows as a slow test.
    content = (
        "<!-- wp:paragraph -->\n<p>Paragraph one of a generated post.</p>\n"
        '<!-- /wp:paragraph -->\n\n<!-- wp:image {"id":5000} -->\n'
        '<figure class="wp-block-image"><img src="a.png" alt="" class="wp-image-5000"/>'
        "</figure>\n<!-- /wp:image -->\n\n"
        'Classic text [gallery ids="5000"]\n\nhttps://vimeo.com/1\n'
    )
    attachment = item(
        5000, post_type="attachment", status="inherit", content=""
    ).replace(
        "<wp:post_type>",
        "<wp:attachment_url>https://old.example.org/a.png</wp:attachment_url>"
        "<wp:post_type>",
    )
    items = [attachment] + [
        item(number, title=f"Post {number}", content=content)
        for number in range(1, 2001)
    ]
    path = wxr_file(tmp_path, *items)
    assert path.read_text(encoding="utf-8").startswith(HEAD.format(version="1.2")[:20])
    archive = wordpress.parse(path)
    assert len(archive.posts) == 2000
    assert archive.posts[-1].title == "Post 2000"
    assert [b.kind for b in archive.posts[0].blocks] == [
        "html", "image", "html", "gallery", "embed",
    ]  # fmt: skip
    assert archive.problems == []
