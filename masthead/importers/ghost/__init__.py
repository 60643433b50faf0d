"""The Ghost parser: a Ghost 1-6 JSON export (file, folder or zip) to an Archive.

Tables read (ghost/core/core/server/data/schema/schema.js): ``posts`` (posts
and pages by ``type``), ``posts_meta``, ``tags``, ``users``, ``posts_tags``
and ``posts_authors`` (ordered by ``sort_order``). Bodies come from
``lexical`` (Ghost 5+), else ``mobiledoc`` (Ghost 1-4), else the rendered
``html``. Internal tags (``#name``, visibility ``internal``) organise
Ghost's themes, not readers: they are skipped.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..records import Archive, Author, Block, Post, Problem, Status, Tag
from .export import ExportError, load, locate
from .lexical import lexical_blocks
from .mobiledoc import mobiledoc_blocks

__all__ = ["ExportError", "can_parse", "parse"]

STATUSES: dict[str, Status] = {
    "published": "published",
    "draft": "draft",
    "scheduled": "scheduled",
}
# Ghost's visibility to the article's access; "tiers" names Ghost's tier
# ids, which mean nothing here: the nearest is paid members.
ACCESS = {"public": "everyone", "members": "members", "paid": "paid", "tiers": "paid"}


def can_parse(path: Path) -> bool:
    """Whether ``path`` looks like a Ghost export (cheap: no full parse)."""
    path = Path(path)
    if path.suffix.lower() == ".zip":
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                return any(n.endswith(".json") for n in archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return False
    try:
        json_path, _base = locate(path)
    except ExportError:
        return False
    from .export import _looks_like_ghost

    return _looks_like_ghost(json_path)


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return value.strip() if isinstance(value, str) else ""


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        return None
    # Ghost stores UTC; its SQLite exports write it without an offset.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _rows(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    rows = data.get(table)
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _links(data: dict[str, Any], table: str, key: str) -> dict[str, list[str]]:
    by_post: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in _rows(data, table):
        order = row.get("sort_order")
        by_post[str(row.get("post_id"))].append(
            (order if isinstance(order, int) else 0, str(row.get(key)))
        )
    return {post: [i for _, i in sorted(ids)] for post, ids in by_post.items()}


GHOST_URL = "__GHOST_URL__"


def _relative(value: Any) -> Any:
    """Ghost exports write the site's own address as ``__GHOST_URL__``: its
    links become paths on this site (old post paths redirect, #18)."""
    if isinstance(value, str):
        return value.replace(GHOST_URL, "")
    if isinstance(value, dict):
        return {k: _relative(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative(v) for v in value]
    return value


def body_blocks(row: dict[str, Any], report: Any) -> list[Block]:
    """The post's body: Lexical, else mobiledoc, else its rendered HTML."""
    return [Block(b.kind, _relative(b.value)) for b in _body_blocks(row, report)]


def _body_blocks(row: dict[str, Any], report: Any) -> list[Block]:
    for key, convert in (("lexical", lexical_blocks), ("mobiledoc", mobiledoc_blocks)):
        document = row.get(key)
        if isinstance(document, str) and document.strip():
            try:
                return convert(document, report)
            except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                report(f"{key} could not be read; used the post's HTML")
    html = _text(row, "html")
    return [Block("html", html)] if html else []


def parse(path: Path) -> Archive:
    """Read a Ghost export into an Archive of plain records.

    Raises:
        ExportError: the file is not a readable Ghost export.
    """
    json_path, base = locate(Path(path))
    _meta, data = load(json_path)
    archive = Archive(source="ghost", base_dir=str(base))
    for user in _rows(data, "users"):
        archive.authors.append(
            Author(
                source_id=str(user.get("id")),
                name=_text(user, "name") or _text(user, "slug"),
                slug=_text(user, "slug"),
                email=_text(user, "email"),
                bio=_text(user, "bio"),
                website=_text(user, "website"),
                profile_image=_relative(_text(user, "profile_image")),
            )
        )
    public_tags: set[str] = set()
    for tag in _rows(data, "tags"):
        name = _text(tag, "name")
        if tag.get("visibility") == "internal" or name.startswith("#"):
            continue
        public_tags.add(str(tag.get("id")))
        archive.tags.append(
            Tag(
                source_id=str(tag.get("id")),
                name=name,
                slug=_text(tag, "slug"),
                description=_text(tag, "description"),
            )
        )
    metas = {str(m.get("post_id")): m for m in _rows(data, "posts_meta")}
    tags_of = _links(data, "posts_tags", "tag_id")
    authors_of = _links(data, "posts_authors", "author_id")
    for row in _rows(data, "posts"):
        archive.posts.append(
            _post(row, metas, tags_of, authors_of, public_tags, archive.problems)
        )
    return archive


def _post(
    row: dict[str, Any],
    metas: dict[str, dict[str, Any]],
    tags_of: dict[str, list[str]],
    authors_of: dict[str, list[str]],
    public_tags: set[str],
    problems: list[Problem],
) -> Post:
    source_id = str(row.get("id"))
    title = _text(row, "title") or "(untitled)"
    item = f"{row.get('type') or 'post'} {source_id} {title!r}"

    def report(message: str) -> None:
        problems.append(Problem(item, message))

    status = STATUSES.get(str(row.get("status")))
    if status is None:
        report(f"status {row.get('status')!r} imported as a draft")
        status = "draft"
    visibility = str(row.get("visibility") or "public")
    if visibility == "tiers":
        report("visible to chosen Ghost tiers: imported as paid members only")
    meta = metas.get(source_id, {})
    tag_ids = [t for t in tags_of.get(source_id, []) if t in public_tags]
    author_ids = authors_of.get(source_id) or [str(row.get("author_id") or "")]
    slug = _text(row, "slug")
    return Post(
        source_id=source_id,
        title=title,
        slug=slug,
        status=status,
        blocks=body_blocks(row, report),
        is_page=row.get("type") == "page" or row.get("page") is True,
        excerpt=_text(row, "custom_excerpt"),
        meta_title=_text(meta, "meta_title") or _text(row, "meta_title"),
        meta_description=_text(meta, "meta_description")
        or _text(row, "meta_description"),
        canonical_url=_text(row, "canonical_url"),
        feature_image=_relative(_text(row, "feature_image")),
        feature_image_alt=_text(meta, "feature_image_alt"),
        feature_image_caption=_text(meta, "feature_image_caption"),
        published_at=_when(row.get("published_at")),
        updated_at=_when(row.get("updated_at")),
        author_ids=[a for a in author_ids if a],
        tag_ids=tag_ids,
        section_id=tag_ids[0] if tag_ids else "",
        access=ACCESS.get(visibility, "paid"),  # type: ignore[arg-type]
        is_featured=bool(row.get("featured")),
        old_path=f"/{slug}/" if slug else "",
    )
