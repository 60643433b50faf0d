"""A read WXR export as an ``Archive``: authors, sections, tags and posts.

The mapping is documented in docs/importing.md (WordPress). Two rules are
kept strictly: nothing that was hidden on WordPress (drafts, scheduled,
private or password-protected posts) becomes public, and everything left out
or changed on the way is named in a ``Problem``.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from html import unescape
from urllib.parse import unquote, urlsplit

from masthead.core.slugs import slug_from_text
from masthead.importers.records import Archive, Author, Post, Problem, Status, Tag

from .classic import classic_blocks
from .fragments import Attachment, Body, merge_html, plain_text
from .gutenberg import gutenberg_blocks, has_blocks
from .wxr import Export, RawItem

STATUSES: dict[str, Status] = {
    "publish": "published",
    "draft": "draft",
    "pending": "draft",
    "auto-draft": "draft",
    "future": "scheduled",
    "private": "private",
}
# Read for the body; not articles themselves.
SUPPORT_TYPES = {"attachment", "wp_block"}
WP_DATE = "%Y-%m-%d %H:%M:%S"
_YOAST_VARIABLE = re.compile(r"%%(\w+)%%")
# WordPress's default category: a section only when a post has no other.
DEFAULT_CATEGORY = "uncategorized"


def category_id(slug: str) -> str:
    return f"category:{slug}"


def tag_id(slug: str) -> str:
    return f"tag:{slug}"


def build(export: Export, base_dir: str) -> Archive:
    """The archive for ``export``; image paths resolve under ``base_dir``."""
    archive = Archive(source="wordpress", base_dir=base_dir, site_url=export.site_url)
    _authors(export, archive)
    categories_by_term_id = _terms(export, archive)
    attachments = {
        item.post_id: _attachment(item, export.site_url)
        for item in export.items
        if item.post_type == "attachment"
    }
    reusable = {
        item.post_id: item.content
        for item in export.items
        if item.post_type == "wp_block" and item.status != "trash"
    }
    skipped: Counter[str] = Counter()
    for item in export.items:
        if item.post_type not in ("post", "page"):
            if item.post_type not in SUPPORT_TYPES:
                skipped[item.post_type or "untyped"] += 1
            continue
        if item.status == "trash":
            archive.problems.append(
                Problem(_name(item), "in WordPress's trash; skipped")
            )
            continue
        body = Body(attachments, reusable, post_id=item.post_id)
        post = _post(item, body, export, categories_by_term_id)
        archive.posts.append(post)
        archive.problems += [Problem(_name(item), message) for message in body.problems]
    for post_type, count in sorted(skipped.items()):
        archive.problems.append(
            Problem(
                f"{count} {post_type} item{'s' if count != 1 else ''}",
                "skipped: only posts and pages are imported (menus and other "
                "types are not)",
            )
        )
    return archive


def _title(item: RawItem) -> str:
    return plain_text(item.title) or "(untitled)"


def _name(item: RawItem) -> str:
    """How the report names an item, as the Ghost parser and the writer do."""
    kind = "page" if item.post_type == "page" else "post"
    return f"{kind} {item.post_id} {_title(item)!r}"


def _authors(export: Export, archive: Archive) -> None:
    seen: set[str] = set()
    for raw in export.authors:
        if not raw.login or raw.login in seen:
            continue
        seen.add(raw.login)
        full_name = f"{raw.first_name} {raw.last_name}".strip()
        archive.authors.append(
            Author(
                source_id=raw.login,
                name=unescape(raw.display_name or full_name or raw.login),
                slug=slug_from_text(raw.login) or f"author-{len(seen)}",
                email=raw.email,
            )
        )
    # WXR 1.0 lists no authors: the posts' logins are all there is.
    for item in export.items:
        login = item.creator
        if login and login not in seen and item.post_type in ("post", "page"):
            seen.add(login)
            archive.authors.append(
                Author(
                    source_id=login,
                    name=login,
                    slug=slug_from_text(login) or f"author-{len(seen)}",
                )
            )


def _terms(export: Export, archive: Archive) -> dict[str, str]:
    """Sections and tags, declared ones first; category slugs by term id."""
    seen: set[str] = set()
    by_term_id: dict[str, str] = {}

    def add(taxonomy: str, slug: str, name: str, description: str = "") -> None:
        is_section = taxonomy == "category"
        source_id = category_id(slug) if is_section else tag_id(slug)
        if not slug or source_id in seen:
            return
        seen.add(source_id)
        archive.tags.append(
            Tag(
                source_id=source_id,
                name=unescape(name) or slug,
                slug=slug_from_text(unquote(slug)) or slug,
                description=unescape(description),
                is_section=is_section,
            )
        )

    for term in export.terms:
        add(term.taxonomy, term.slug, term.name, term.description)
        if term.taxonomy == "category" and term.term_id:
            by_term_id[term.term_id] = term.slug
    # An export of posts only lists no terms: the items name theirs.
    for item in export.items:
        if item.post_type in ("post", "page"):
            for domain, slug, name in item.terms:
                if domain in ("category", "post_tag"):
                    add(domain, slug, name)
    return by_term_id


def _attachment(item: RawItem, site_url: str) -> Attachment:
    url = item.attachment_url
    if not url and item.meta.get("_wp_attached_file"):
        uploads = f"{site_url.rstrip('/')}/wp-content/uploads"
        url = f"{uploads}/{item.meta['_wp_attached_file']}"
    return Attachment(
        post_id=item.post_id,
        url=url,
        alt=item.meta.get("_wp_attachment_image_alt", ""),
        caption=item.excerpt,
        parent=item.post_parent,
        menu_order=item.menu_order,
    )


def _post(
    item: RawItem, body: Body, export: Export, categories: dict[str, str]
) -> Post:
    title = _title(item)
    status = STATUSES.get(item.status)
    if status is None:
        status = "draft"
        body.problems.append(
            f"status '{item.status}' is not a WordPress publishing status; "
            "imported as a draft"
        )
    post = Post(
        source_id=item.post_id,
        title=title,
        slug=_slug(item),
        status=status,
        is_page=item.post_type == "page",
        excerpt=plain_text(item.excerpt),
        is_featured=item.is_sticky,
        author_ids=[item.creator] if item.creator else [],
    )
    if item.post_password:
        post.access = "private"
        body.problems.append(
            "password-protected on WordPress: imported as private, never "
            "public (passwords are not carried over)"
        )
    elif status == "private":
        post.access = "private"
    _dates(item, post, body)
    _taxonomy(item, post, body, categories)
    _feature_image(item, post, body)
    _seo(item, post, export.title)
    if status in ("published", "private"):
        parts = urlsplit(item.link)
        post.old_path = parts.path + (f"?{parts.query}" if parts.query else "")
    content = item.content
    blocks = (
        gutenberg_blocks(content, body)
        if has_blocks(content)
        else (classic_blocks(content, body))
    )
    post.blocks = merge_html(blocks)
    return post


def _slug(item: RawItem) -> str:
    # WordPress stores non-Latin slugs percent-encoded ("%d0%bc%d0%b5…").
    name = unquote(item.post_name)
    if name and re.fullmatch(r"[a-z0-9-]+", name):
        return name
    fallback = f"{item.post_type}-{item.post_id}"
    return slug_from_text(name or plain_text(item.title)) or fallback


def _wp_date(text: str) -> datetime | None:
    """A WordPress date (``2024-05-01 09:30:00``); ``None`` for 0000-00-00."""
    try:
        return datetime.strptime(text, WP_DATE).replace(tzinfo=UTC)
    except ValueError:
        return None


def _dates(item: RawItem, post: Post, body: Body) -> None:
    post.published_at = _wp_date(item.post_date_gmt)
    post.updated_at = _wp_date(item.post_modified_gmt) or _wp_date(item.post_modified)
    if post.published_at is None and post.status != "draft":
        # A draft's GMT date is empty until it is scheduled or published
        # (its date "floats"); anything else should have one.
        local = _wp_date(item.post_date)
        if local is not None:
            post.published_at = local
            body.problems.append(
                f"no GMT date: its local date {item.post_date} is read as UTC "
                "(the export does not give the site's time zone)"
            )
        else:
            body.problems.append("no publication date in the export")
    if post.status == "scheduled" and post.published_at is None:
        post.status = "draft"
        body.problems.append("scheduled without a date; imported as a draft")


def _taxonomy(
    item: RawItem, post: Post, body: Body, categories: dict[str, str]
) -> None:
    filed = [slug for domain, slug, _ in item.terms if domain == "category"]
    post.tag_ids = [
        tag_id(slug) for domain, slug, _ in item.terms if domain == "post_tag"
    ]
    if not filed:
        return
    # Yoast SEO's primary category, when set, is the one the site showed.
    primary = categories.get(item.meta.get("_yoast_wpseo_primary_category", ""))
    if primary not in filed:
        others = [slug for slug in filed if slug != DEFAULT_CATEGORY]
        primary = (others or filed)[0]
    post.section_id = category_id(primary)
    left = [slug for slug in filed if slug not in (primary, DEFAULT_CATEGORY)]
    if left:
        body.problems.append(
            f"also in categories {', '.join(left)}; an article has one section, "
            f"so it is filed under {primary} only"
        )


def _feature_image(item: RawItem, post: Post, body: Body) -> None:
    thumbnail = item.meta.get("_thumbnail_id", "")
    if not thumbnail:
        return
    attachment = body.attachments.get(thumbnail)
    if attachment is None or not attachment.url:
        body.problems.append(
            f"featured image {thumbnail} is not among the export's attachments"
        )
        return
    post.feature_image = attachment.url
    post.feature_image_alt = attachment.alt
    post.feature_image_caption = attachment.caption


def _seo(item: RawItem, post: Post, site_title: str) -> None:
    meta = item.meta
    title = meta.get("_yoast_wpseo_title") or meta.get("rank_math_title", "")
    description = meta.get("_yoast_wpseo_metadesc") or meta.get(
        "rank_math_description", ""
    )
    variables = {"title": post.title, "sitename": site_title, "sep": "-"}

    def fill(text: str) -> str:
        # Yoast's %%title%% %%sep%% %%sitename%%; unknown variables drop out.
        filled = _YOAST_VARIABLE.sub(lambda m: variables.get(m.group(1), ""), text)
        return re.sub(r"\s+", " ", filled).strip(" -")

    post.meta_title = fill(title)
    post.meta_description = fill(description)
    post.canonical_url = meta.get("_yoast_wpseo_canonical") or meta.get(
        "rank_math_canonical_url", ""
    )
