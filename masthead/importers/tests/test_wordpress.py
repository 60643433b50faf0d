"""The WordPress (WXR) parser on the sample export: every field it maps (#18).

Pure parser tests: no database. The sample (data/wordpress/export.xml) is
written as WordPress 6 exports (WXR 1.2); small variants are built with
``wxr_file``.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from masthead.importers import wordpress
from masthead.importers.records import Archive, Post

DATA = Path(__file__).parent / "data" / "wordpress"
EXPORT = DATA / "export.xml"
SITE = "https://old.example.org"
UPLOADS = f"{SITE}/wp-content/uploads/2024/05"

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="WordPress/6.6.2" created="2024-06-03 08:00" -->
<rss version="2.0"
    xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:wfw="http://wellformedweb.org/CommentAPI/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
<title>Test site</title>
<link>https://old.example.org</link>
<wp:wxr_version>{version}</wp:wxr_version>
<wp:base_site_url>https://old.example.org</wp:base_site_url>
"""


def item(
    post_id: int = 1,
    *,
    title: str = "A post",
    content: str = "<!-- wp:paragraph -->\n<p>Text.</p>\n<!-- /wp:paragraph -->",
    status: str = "publish",
    post_type: str = "post",
    date_gmt: str = "2024-05-01 08:00:00",
    date: str = "2024-05-01 10:00:00",
    password: str = "",
    name: str | None = None,
    extra: str = "",
) -> str:
    """One ``<item>`` as ``export_wp()`` writes it."""
    slug = f"post-{post_id}" if name is None else name
    return f"""<item>
<title><![CDATA[{title}]]></title>
<link>https://old.example.org/{slug}/</link>
<dc:creator><![CDATA[editor]]></dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{date_gmt}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type><![CDATA[{post_type}]]></wp:post_type>
<wp:post_password><![CDATA[{password}]]></wp:post_password>
<wp:is_sticky>0</wp:is_sticky>
{extra}
</item>
"""


def wxr_file(tmp_path: Path, *items: str, version: str = "1.2", head: str = "") -> Path:
    path = tmp_path / "export.xml"
    text = HEAD.format(version=version) + head + "".join(items) + "</channel>\n</rss>\n"
    path.write_text(text, encoding="utf-8")
    return path


def parse_items(tmp_path: Path, *items: str, **options: str) -> Archive:
    return wordpress.parse(wxr_file(tmp_path, *items, **options))


@pytest.fixture(scope="module")
def archive() -> Archive:
    return wordpress.parse(EXPORT)


def post(archive: Archive, source_id: str) -> Post:
    return next(p for p in archive.posts if p.source_id == source_id)


def messages(archive: Archive, source_id: str) -> list[str]:
    return [
        problem.message
        for problem in archive.problems
        if problem.item.startswith(f"post {source_id} ")
    ]


def test_sample_export_is_recognised():
    assert wordpress.can_parse(EXPORT)


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_recognised(tmp_path, version):
    assert wordpress.can_parse(wxr_file(tmp_path, item(), version=version))


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>',
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
        '{"db": [{"data": {"posts": []}}]}',
        "",
    ],
    ids=["plain-rss", "atom", "ghost-json", "empty"],
)
def test_other_files_are_not_wxr(tmp_path, text):
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    assert not wordpress.can_parse(path)


def test_a_folder_is_not_wxr(tmp_path):
    assert not wordpress.can_parse(tmp_path)


def test_archive_names_its_source_site_and_folder(archive):
    assert archive.source == "wordpress"
    assert archive.site_url == SITE
    assert archive.base_dir == str(DATA)


def test_sample_images_sit_at_their_url_path_next_to_the_file(archive):
    image = post(archive, "11").feature_image
    local = Path(archive.base_dir) / image.removeprefix(SITE).lstrip("/")
    assert local.is_file()


def test_authors_come_from_the_channel_with_login_as_id(archive):
    by_id = {author.source_id: author for author in archive.authors}
    assert set(by_id) == {"afield", "t.reyes"}
    assert by_id["afield"].name == "Ana Field"
    assert by_id["afield"].email == "ana@example.org"
    assert by_id["afield"].slug == "afield"
    # No display name: first and last name; the login's dot leaves the slug.
    assert by_id["t.reyes"].name == "Tom Reyes"
    assert by_id["t.reyes"].slug == "treyes"


def test_wxr_1_0_authors_come_from_the_posts(tmp_path):
    archive = parse_items(tmp_path, item(), version="1.0")
    assert [(a.source_id, a.name) for a in archive.authors] == [("editor", "editor")]
    assert archive.posts[0].author_ids == ["editor"]


def test_wxr_1_0_tag_domain_is_a_post_tag(tmp_path):
    terms = (
        '<category domain="tag"><![CDATA[news]]></category>'
        '<category domain="tag" nicename="news"><![CDATA[News]]></category>'
    )
    archive = parse_items(tmp_path, item(extra=terms), version="1.0")
    assert archive.posts[0].tag_ids == ["tag:news"]
    assert [(t.source_id, t.is_section) for t in archive.tags] == [("tag:news", False)]


def test_categories_become_sections_and_tags_tags(archive):
    by_id = {tag.source_id: tag for tag in archive.tags}
    assert by_id["category:local"].is_section
    assert by_id["category:local"].name == "Local"
    assert by_id["category:local"].description == "Streets, parks & the town hall"
    assert by_id["category:culture"].is_section
    assert not by_id["tag:parks"].is_section
    assert by_id["tag:music"].description == "Concerts and choirs"
    # Filed under by a post though the channel does not list it.
    assert not by_id["tag:river"].is_section
    assert "main" not in {tag.slug for tag in archive.tags}  # a menu, not a tag


def test_post_takes_its_category_as_section_and_its_tags(archive):
    park = post(archive, "11")
    assert park.section_id == "category:local"
    assert park.tag_ids == ["tag:parks"]
    assert park.author_ids == ["afield"]


def test_yoast_primary_category_is_the_section_and_others_are_reported(archive):
    walk = post(archive, "13")
    assert walk.section_id == "category:culture"
    assert walk.tag_ids == ["tag:music", "tag:river"]
    assert any("also in categories local" in m for m in messages(archive, "13"))


def test_published_post_fields(archive):
    park = post(archive, "11")
    assert park.title == "Park reopens after repairs"
    assert park.slug == "park-reopens"
    assert park.status == "published"
    assert park.access == "everyone"
    assert not park.is_page
    assert park.excerpt == "The east gate is open again."
    assert park.published_at == datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    assert park.updated_at == datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
    assert park.old_path == "/2024/05/park-reopens/"


def test_featured_image_comes_from_the_thumbnail_attachment(archive):
    park = post(archive, "11")
    assert park.feature_image == f"{UPLOADS}/photo.png"
    assert park.feature_image_alt == "A bench beside a pond"
    assert park.feature_image_caption == "Benches by the pond"


def test_yoast_title_and_description_become_meta(archive):
    park = post(archive, "11")
    assert park.meta_title == "Park reopens after repairs - Millbrook Ledger"
    assert park.meta_description == "The east gate reopens with new benches."
    assert post(archive, "15").meta_title == ""


def test_sticky_post_is_featured(archive):
    assert post(archive, "15").is_featured
    assert not post(archive, "11").is_featured


def test_page_is_a_page(archive):
    about = post(archive, "20")
    assert about.is_page
    assert about.slug == "about"
    assert about.old_path == "/about/"


def test_title_entities_are_read(archive):
    assert post(archive, "19").title == "Members\u2019 preview"


def test_draft_has_no_date_slug_from_title_and_no_old_path(archive):
    draft = post(archive, "16")
    assert draft.status == "draft"
    # 0000-00-00: WordPress dates a draft when it is published.
    assert draft.published_at is None
    assert draft.slug == "library-hours-draft"
    assert draft.old_path == ""
    assert messages(archive, "16") == []


def test_future_post_is_scheduled_with_its_date(archive):
    festival = post(archive, "17")
    assert festival.status == "scheduled"
    assert festival.published_at == datetime(2030, 6, 1, 9, 0, tzinfo=UTC)
    assert festival.old_path == ""


def test_private_post_stays_private(archive):
    rota = post(archive, "18")
    assert rota.status == "private"
    assert rota.access == "private"


def test_password_protected_post_is_private_never_public(archive):
    preview = post(archive, "19")
    assert preview.access == "private"
    assert any("password" in m for m in messages(archive, "19"))


def test_trash_is_skipped_and_reported(archive):
    assert "22" not in {p.source_id for p in archive.posts}
    assert messages(archive, "22") == ["in WordPress's trash; skipped"]


def test_attachments_and_menu_items_are_not_posts(archive):
    assert {p.source_id for p in archive.posts} == {
        "11", "13", "15", "16", "17", "18", "19", "20",
    }  # fmt: skip
    skipped = [p for p in archive.problems if p.item == "1 nav_menu_item item"]
    assert len(skipped) == 1


@pytest.mark.parametrize(
    ("wp_status", "status"),
    [
        ("publish", "published"),
        ("draft", "draft"),
        ("pending", "draft"),
        ("auto-draft", "draft"),
        ("future", "scheduled"),
        ("private", "private"),
        ("inherit", "draft"),
        ("some-plugin-status", "draft"),
    ],
)
def test_status_mapping(tmp_path, wp_status, status):
    archive = parse_items(tmp_path, item(status=wp_status))
    assert archive.posts[0].status == status


@pytest.mark.parametrize("wp_status", ["publish", "future", "private", "draft"])
def test_a_password_is_never_public_whatever_the_status(tmp_path, wp_status):
    archive = parse_items(tmp_path, item(status=wp_status, password="secret"))
    assert archive.posts[0].access == "private"


def test_unknown_status_is_reported(tmp_path):
    archive = parse_items(tmp_path, item(status="some-plugin-status"))
    assert "status 'some-plugin-status'" in archive.problems[0].message
    assert archive.problems[0].item == "post 1 'A post'"


def test_missing_gmt_date_is_read_as_utc_and_reported(tmp_path):
    archive = parse_items(tmp_path, item(date_gmt="0000-00-00 00:00:00"))
    assert archive.posts[0].published_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert "read as UTC" in archive.problems[0].message


def test_scheduled_without_any_date_becomes_a_draft(tmp_path):
    archive = parse_items(
        tmp_path, item(status="future", date="", date_gmt="0000-00-00 00:00:00")
    )
    assert archive.posts[0].status == "draft"


def test_percent_encoded_slug_is_transliterated(tmp_path):
    archive = parse_items(tmp_path, item(name="%d0%bc%d0%b5%d1%80"))
    assert archive.posts[0].slug == "mer"


def test_untitled_draft_is_named_and_slugged_by_its_id(tmp_path):
    archive = parse_items(tmp_path, item(3, title="", name="", status="draft"))
    assert archive.posts[0].title == "(untitled)"
    assert archive.posts[0].slug == "post-3"


def test_page_problems_name_the_page(tmp_path):
    archive = parse_items(
        tmp_path, item(4, title="It's us", post_type="page", content="[team id=1]")
    )
    assert archive.problems[0].item == 'page 4 "It\'s us"'


def test_plain_permalink_keeps_its_query(tmp_path):
    text = item().replace(
        "<link>https://old.example.org/post-1/</link>",
        "<link>https://old.example.org/?p=1</link>",
    )
    assert parse_items(tmp_path, text).posts[0].old_path == "/?p=1"


def test_missing_featured_image_is_reported(tmp_path):
    meta = (
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        "<wp:meta_value>99</wp:meta_value></wp:postmeta>"
    )
    archive = parse_items(tmp_path, item(extra=meta))
    assert archive.posts[0].feature_image == ""
    assert "featured image 99" in archive.problems[0].message
