"""Authors and tags, upserted by source id; an existing slug is reused."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

from masthead.people.models import Author, SocialLink
from masthead.taxonomy.models import Tag

from .. import records
from .images import ImageStore
from .state import Index, RunReport, digest


def _slug(value: str, fallback: str, limit: int) -> str:
    return (slugify(value) or slugify(fallback) or "imported")[:limit]


def _reporter(report: RunReport, item: str) -> Callable[[str], None]:
    return lambda message: report.problem(item, message)


def write_authors(
    archive: records.Archive, index: Index, images: ImageStore, report: RunReport
) -> dict[str, int]:
    """Create or update the archive's authors; their ids by source id."""
    ids: dict[str, int] = {}
    for record in archive.authors:
        item = f"author {record.source_id} {record.name!r}"
        fingerprint = digest(record)
        row = index.get("author", record.source_id)
        author = Author.objects.filter(pk=row.object_id).first() if row else None
        if author is not None and row is not None and row.digest == fingerprint:
            ids[record.source_id] = author.pk
            report.count("author", "unchanged")
            continue
        slug = _slug(record.slug, record.name, 120)
        action: str = "updated"
        if author is None:
            author = Author.objects.filter(slug=slug).first()
            if author is not None:
                report.problem(item, f"matched the existing author '{slug}'")
            else:
                author, action = Author(slug=slug), "created"
        author.name = (record.name or slug)[:120]
        author.bio = record.bio
        author.job_title = author.job_title or record.job_title[:120]
        if record.profile_image:
            author.avatar = images.get(
                record.profile_image, record.name, _reporter(report, item)
            )
        if record.website:
            links = [
                link for link in author.social_links.all() if link.label != "Website"
            ]
            # modelcluster's child relation takes a list (saved with the author).
            author.social_links = [  # type: ignore[misc]
                *links,
                SocialLink(label="Website", url=record.website[:300]),
            ]
        author.save()
        index.remember("author", record.source_id, author.pk, fingerprint)
        ids[record.source_id] = author.pk
        report.count("author", action)  # type: ignore[arg-type]
    return ids


def write_tags(
    archive: records.Archive, index: Index, report: RunReport
) -> dict[str, int]:
    """Create or update the archive's tags; their ids by source id."""
    ids: dict[str, int] = {}
    for record in archive.tags:
        fingerprint = digest(record)
        row = index.get("tag", record.source_id)
        tag = Tag.objects.filter(pk=row.object_id).first() if row else None
        if tag is not None and row is not None and row.digest == fingerprint:
            ids[record.source_id] = tag.pk
            report.count("tag", "unchanged")
            continue
        slug = _slug(record.slug, record.name, 100)
        action = "updated"
        if tag is None:
            tag = Tag.objects.filter(slug=slug).first()
            if tag is None:
                tag, action = Tag(slug=slug), "created"
        tag.name = (record.name or slug)[:100]
        tag.description = record.description or tag.description
        tag.save()
        index.remember("tag", record.source_id, tag.pk, fingerprint)
        ids[record.source_id] = tag.pk
        report.count("tag", action)  # type: ignore[arg-type]
    return ids
