"""The Ghost parser on its own: no database (records in, records out)."""

import json
import shutil
import zipfile

import pytest

from masthead.importers import ghost, registry
from masthead.importers.ghost.export import ExportError
from masthead.importers.ghost.lexical import lexical_blocks
from masthead.importers.ghost.mobiledoc import mobiledoc_blocks

from .helpers import GHOST_EXPORT


def by_slug(archive):
    return {post.slug: post for post in archive.posts}


def test_export_maps_statuses_access_and_pages():
    posts = by_slug(ghost.parse(GHOST_EXPORT))
    assert {slug: p.status for slug, p in posts.items()} == {
        "ferry-timetable": "published",
        "older-story": "published",
        "unseen-draft": "draft",
        "next-year": "scheduled",
        "budget-members": "published",
        "about-island": "published",
    }
    assert posts["budget-members"].access == "members"
    assert posts["about-island"].is_page
    assert posts["ferry-timetable"].is_featured
    assert posts["ferry-timetable"].old_path == "/ferry-timetable/"
    assert posts["ferry-timetable"].author_ids == [
        "6650a0000000000000000001",
        "6650a0000000000000000002",
    ]


def test_internal_tags_are_left_out():
    archive = ghost.parse(GHOST_EXPORT)
    assert [t.slug for t in archive.tags] == ["news", "island", "culture"]
    ferry = by_slug(archive)["ferry-timetable"]
    assert "6650b0000000000000000003" not in ferry.tag_ids
    assert ferry.section_id == "6650b0000000000000000001"


def test_cards_without_a_block_are_named_as_problems():
    archive = ghost.parse(GHOST_EXPORT)
    messages = [(p.item, p.message) for p in archive.problems]
    item = "post 6650c0000000000000000001 'Ferry timetable changes on the island'"
    assert (item, "signup card has no Masthead block; skipped") in messages
    assert any(i == item and m.startswith("video card") for i, m in messages)


def test_ghost_url_placeholder_becomes_a_path():
    ferry = by_slug(ghost.parse(GHOST_EXPORT))["ferry-timetable"]
    assert ferry.feature_image == "/content/images/2024/05/harbour.png"
    assert "__GHOST_URL__" not in json.dumps([b.value for b in ferry.blocks])


def test_lexical_text_formats_nest_and_escape():
    doc = {
        "root": {
            "type": "root",
            "children": [
                {
                    "type": "paragraph",
                    "children": [
                        {"type": "extended-text", "text": "a<b", "format": 3},
                        {"type": "linebreak"},
                        {"type": "text", "text": "x", "format": 64},
                    ],
                }
            ],
        }
    }
    [block] = lexical_blocks(json.dumps(doc), lambda m: None)
    assert block.value == "<p><strong><em>a&lt;b</em></strong><br><sup>x</sup></p>"


def test_lexical_nested_lists_and_headings():
    item = {"type": "listitem", "children": [{"type": "text", "text": "one"}]}
    nested = {
        "type": "listitem",
        "children": [{"type": "list", "listType": "number", "children": [item]}],
    }
    doc = {
        "root": {
            "children": [
                {
                    "type": "heading",
                    "tag": "h4",
                    "children": [{"type": "text", "text": "H"}],
                },
                {"type": "list", "listType": "bullet", "children": [item, nested]},
            ]
        }
    }
    heading, listing = lexical_blocks(json.dumps(doc), lambda m: None)
    assert heading.value == {"text": "H", "level": 4}
    assert listing.value == "<ul><li>one</li><li><ol><li>one</li></ol></li></ul>"


def test_mobiledoc_markups_open_and_close():
    doc = {
        "version": "0.3.1",
        "markups": [["strong"], ["a", ["href", "https://example.org/"]]],
        "atoms": [],
        "cards": [],
        "sections": [
            [1, "p", [[0, [0], 0, "bold "], [0, [1], 2, "link"], [0, [], 0, "!"]]]
        ],
    }
    [block] = mobiledoc_blocks(json.dumps(doc), lambda m: None)
    assert block.value == (
        '<p><strong>bold <a href="https://example.org/">link</a></strong>!</p>'
    )


def test_unreadable_lexical_falls_back_to_html(tmp_path):
    export = json.loads(GHOST_EXPORT.read_text())
    post = export["db"][0]["data"]["posts"][2]
    post["lexical"] = "{not json"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    archive = ghost.parse(path)
    draft = by_slug(archive)["unseen-draft"]
    assert [b.value for b in draft.blocks] == ["<p>Fallback HTML for unseen-draft.</p>"]
    assert any("lexical could not be read" in p.message for p in archive.problems)


def test_older_export_without_db_wrapper(tmp_path):
    export = json.loads(GHOST_EXPORT.read_text())["db"][0]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(export))
    assert len(ghost.parse(path).posts) == 6


def test_zip_export_unpacks_json_and_images(tmp_path):
    path = tmp_path / "site.zip"
    root = GHOST_EXPORT.parent
    with zipfile.ZipFile(path, "w") as archive:
        for file in root.rglob("*"):
            if file.is_file():
                archive.write(file, f"export/{file.relative_to(root)}")
        archive.writestr("../evil.json", "{}")
    assert ghost.can_parse(path)
    parsed = ghost.parse(path)
    base = parsed.base_dir
    try:
        assert len(parsed.posts) == 6
        assert (tmp_path / "evil.json").exists() is False
        from pathlib import Path

        assert (Path(base) / "content/images/2024/05/harbour.png").is_file()
    finally:
        shutil.rmtree(base)


def test_not_an_export_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    assert not ghost.can_parse(path)
    with pytest.raises(ExportError):
        ghost.parse(path)


def test_registry_names_ghost_and_detects_its_export():
    assert registry.get_parser("ghost") is ghost
    assert registry.detect(GHOST_EXPORT) == "ghost"
    with pytest.raises(registry.UnknownSource):
        registry.get_parser("typepad")


def test_registry_works_without_a_missing_parser(monkeypatch):
    missing = registry.Source("typepad", "TypePad", "typepad")
    monkeypatch.setitem(registry.SOURCES, "typepad", missing)
    assert "typepad" not in [s.name for s in registry.available()]
    assert "ghost" in [s.name for s in registry.available()]
    with pytest.raises(registry.UnknownSource, match="not available"):
        registry.get_parser("typepad")
    assert registry.detect(GHOST_EXPORT) == "ghost"


def test_a_folder_with_the_json_and_its_images_is_an_export():
    folder = GHOST_EXPORT.parent
    assert ghost.can_parse(folder)
    archive = ghost.parse(folder)
    assert archive.base_dir == str(folder)
    assert len(archive.posts) == 6
