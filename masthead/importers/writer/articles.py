"""Posts to article pages (and Ghost pages to standard pages), with redirects.

The import permission (``importers.add_importrun``) lets its holder publish
what the export publishes: page permissions are not asked again per page.

Articles go through the content app's own ``create_article`` and Wagtail
revisions: a published post is published with its original time, a draft
stays a draft, a scheduled post gets ``go_live_at`` and is never public
before it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    CurationSettings,
    EditorsPick,
    HomePage,
    SectionPage,
    StandardPage,
)
from masthead.content.services import create_article
from masthead.content.visibility import Access

from .. import records
from .batch import BATCH_SIZE, Batch, hold_rows
from .body import page_html, plain, stream_data
from .images import ImageStore
from .state import Index, RunReport, digest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEFAULT_SECTION = ("Imported", "imported")
MAX_PICKS = 24
ACCESS = {
    "everyone": Access.EVERYONE,
    "members": Access.MEMBERS,
    "paid": Access.PAID,
    "private": Access.PAID,
}


class Context:
    """What writing one post needs from the run."""

    def __init__(
        self,
        home: HomePage,
        index: Index,
        images: ImageStore,
        report: RunReport,
        user: User | None,
        author_ids: dict[str, int],
        tag_ids: dict[str, int],
        tag_slugs: dict[str, str],
    ) -> None:
        self.home = home
        self.index = index
        self.images = images
        self.report = report
        self.user = user
        self.author_ids = author_ids
        self.tag_ids = tag_ids
        self.tag_slugs = tag_slugs
        self.batch = Batch(user)
        self.sections: dict[str, SectionPage] = {
            s.slug: s for s in SectionPage.objects.child_of(home)
        }
        self._default: SectionPage | None = None
        # Articles added as published, announced together after the run.
        self.published: list[int] = []
        self.last_paths: dict[int, str] = {}
        # The children's slugs of each parent written to, read once.
        self.slugs: dict[int, set[str]] = {}
        self.picks: CurationSettings | None = None

    def next_path(self, parent: Page) -> str:
        """The tree path of a new last child of ``parent`` (treebeard's rule)."""
        last = self.last_paths.get(parent.pk)
        if last is None:
            child = parent.get_last_child()
            last = child.path if child is not None else ""
        if last:
            path: str = Page(path=last)._inc_path()
        else:
            path = Page._get_path(parent.path, parent.depth + 1, 1)
        self.last_paths[parent.pk] = path
        # Counted onto numchild in the batch; before any add_child, which
        # reads it (``Batch.flush_tree``).
        self.batch.add_child(parent)
        return path

    def add_child(self, parent: Page, page: Page) -> None:
        """Treebeard's add_child, keeping ``next_path``'s memory right."""
        self.batch.flush_tree()
        parent.add_child(instance=page)
        self.last_paths.pop(parent.pk, None)
        self.slugs.pop(parent.pk, None)

    def free_slug(self, parent: Page, slug: str) -> str:
        """``slug``, or ``slug-2`` and so on when a sibling has it."""
        taken = self.slugs.get(parent.pk)
        if taken is None:
            taken = set(parent.get_children().values_list("slug", flat=True))
            self.slugs[parent.pk] = taken
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        taken.add(candidate)
        return candidate

    def forget(self, children: dict[int, tuple[Page, int]]) -> None:
        """Drop what a rolled-back savepoint left in memory."""
        self.last_paths.clear()
        self.slugs.clear()
        self.batch.children = children
        parents = [self.home, *self.sections.values()]
        stored = dict(
            Page.objects.filter(pk__in=[p.pk for p in parents]).values_list(
                "pk", "numchild"
            )
        )
        for page in parents:
            page.numchild = stored.get(page.pk, page.numchild)

    def section_for(self, post: records.Post) -> SectionPage:
        """The section named by the post's primary tag, else "Imported"."""
        slug = self.tag_slugs.get(post.section_id, "")
        if slug in self.sections:
            return self.sections[slug]
        if self._default is None:
            title, slug = DEFAULT_SECTION
            section = self.sections.get(slug)
            if section is None:
                section = SectionPage(title=title, slug=slug)
                self.add_child(self.home, section)
                section.save_revision(user=self.user).publish(
                    user=self.user, skip_permission_checks=True
                )
                self.sections[slug] = section
                self.report.count("section", "created")
            self._default = section
        return self._default


def _slug(post: records.Post) -> str:
    slug = slugify(post.slug, allow_unicode=True) or slugify(post.title)
    return (slug or "imported")[:255]


def _fill(article: ArticlePage, post: records.Post, ctx: Context, report: Any) -> None:
    article.title = post.title[:255]
    article.standfirst = post.excerpt
    article.seo_title = post.meta_title[:255]
    article.search_description = post.meta_description
    article.access = ACCESS.get(post.access, Access.PAID)
    gated = article.access != Access.EVERYONE
    article.body = stream_data(
        post.blocks, ctx.images, report, gated=gated, dry_run=ctx.images.dry_run
    )
    article.hero_image = ctx.images.get(
        post.feature_image, plain(post.feature_image_alt, 255), report
    )
    article.hero_caption = plain(post.feature_image_caption, 500)
    article.hero_alt_text = plain(post.feature_image_alt, 300)
    authors = [ctx.author_ids[a] for a in post.author_ids if a in ctx.author_ids]
    tags = list(dict.fromkeys(ctx.tag_ids[t] for t in post.tag_ids if t in ctx.tag_ids))
    article.article_authors = [
        ArticleAuthor(author_id=pk, sort_order=i) for i, pk in enumerate(authors)
    ]
    article.article_tags = [
        ArticleTag(tag_id=pk, sort_order=i) for i, pk in enumerate(tags)
    ]
    if post.status == "published":
        article.published_at = post.published_at or timezone.now()
        article.first_published_at = article.first_published_at or article.published_at
        article.go_live_at = None
    elif post.status == "scheduled" and post.published_at:
        article.published_at = post.published_at
        article.go_live_at = post.published_at
    if post.canonical_url:
        report(f"canonical URL {post.canonical_url} not kept (no such field)")


def write_post(post: records.Post, ctx: Context) -> None:
    """Create or update one post's article or page."""
    kind = "page" if post.is_page else "article"
    item = f"{'page' if post.is_page else 'post'} {post.source_id} {post.title!r}"

    def report(message: str) -> None:
        ctx.report.problem(item, message)

    if post.status == "private":
        report("private post skipped")
        ctx.report.count(kind, "skipped")
        return
    if post.access == "private":
        # Case: password-protected (WordPress): kept for the editors, never
        # public, and not readable by any tier either.
        report("password-protected: imported as a draft, never public")
        post = dataclasses.replace(post, status="draft", access="everyone")
    fingerprint = digest(post)
    row = ctx.index.get(kind, post.source_id)
    model: type[Page] = StandardPage if post.is_page else ArticlePage
    existing = model.objects.filter(pk=row.object_id).first() if row else None
    if existing is not None and row is not None and row.digest == fingerprint:
        ctx.report.count(kind, "unchanged")
        return
    children = dict(ctx.batch.children)
    try:
        # A savepoint: a page Wagtail refuses leaves nothing half-written.
        with transaction.atomic():
            if post.is_page:
                page: Page = _write_page(post, existing, ctx, report)
            else:
                page = _write_article(post, existing, ctx, report)
    except ValidationError as error:
        # Case: Wagtail's own checks refuse it (a slug a site route owns,
        # a block it cannot take): an item problem, not a failed import.
        ctx.forget(children)
        report(f"skipped: {'; '.join(error.messages)}")
        ctx.report.count(kind, "skipped")
        return
    if isinstance(page, ArticlePage):
        if hasattr(page, "_held_rows"):
            ctx.batch.add_published(page)
        else:
            ctx.batch.to_index[page.pk] = None
    ctx.index.remember(kind, post.source_id, page.pk, fingerprint)
    ctx.report.count(kind, "updated" if existing is not None else "created")
    if post.status in {"published", "scheduled"}:
        _redirect(post.old_path, page, ctx)
    if (
        post.is_featured
        and isinstance(page, ArticlePage)
        and post.status == "published"
    ):
        _pick(page, ctx, report)
    if len(ctx.batch.pending) >= BATCH_SIZE:
        ctx.batch.flush()


def _write_article(
    post: records.Post, existing: Page | None, ctx: Context, report: Any
) -> ArticlePage:
    publish = post.status in {"published", "scheduled"}
    if isinstance(existing, ArticlePage):
        _fill(existing, post, ctx, report)
        revision = existing.save_revision(user=ctx.user, log_action=True)
        if publish:
            revision.publish(user=ctx.user, skip_permission_checks=True)
            ctx.published.append(existing.pk)
        elif existing.live:
            report("a draft in the source, but published here: left published")
        return existing
    section = ctx.section_for(post)
    article = ArticlePage(owner=ctx.user)
    _fill(article, post, ctx, report)
    wanted = _slug(post)
    article.slug = ctx.free_slug(section, wanted)
    if article.slug != wanted:
        report(f"slug {wanted!r} taken in {section.slug}: now {article.slug!r}")
    if post.status == "published":
        return _add_published(section, article, ctx)
    ctx.batch.flush_tree()  # treebeard's add_child reads numchild
    created = create_article(section, article, user=ctx.user, publish=False)
    ctx.last_paths.pop(section.pk, None)
    if publish and created.latest_revision is not None:
        # Scheduled: Wagtail holds it until ``go_live_at``.
        created.latest_revision.publish(user=ctx.user, skip_permission_checks=True)
    return created


def _add_published(
    section: SectionPage, article: ArticlePage, ctx: Context
) -> ArticlePage:
    """Add an article that is already published, as it was published.

    Wagtail's publish action would stamp it with today's time and run the
    publishing pipeline once per article; an archive is announced once for
    all its articles at the end of the run (``Context.published``) instead.
    The page gets the state a publish gives it: live, one revision that is
    the live one, no unpublished changes, published at its original time.
    The tree position is computed here rather than by ``add_child``, which
    reads the section's last child and validates the whole page each time
    (measured: docs/importing.md). The byline and tag rows, the revision and
    the log entries are written by the batch (batch.py), for hundreds of
    articles at once.
    """
    article.live = True
    article.has_unpublished_changes = False
    article.last_published_at = article.first_published_at
    article.draft_title = article.title
    article.locale_id = section.locale_id
    article.depth = section.depth + 1
    article.path = ctx.next_path(section)
    article.set_url_path(section)
    article.latest_revision_created_at = timezone.now()
    # ``save`` asks for the parent (treebeard's cache) and its specific page.
    article._cached_parent_obj = section
    hold_rows(article)
    # The "wagtail.create" entry is the batch's, with the publish one.
    article.save(clean=False, log_action=None)
    ctx.published.append(article.pk)
    return article


def _write_page(
    post: records.Post, existing: Page | None, ctx: Context, report: Any
) -> StandardPage:
    page = existing if isinstance(existing, StandardPage) else StandardPage()
    page.title = post.title[:255]
    page.intro = post.excerpt
    page.seo_title = post.meta_title[:255]
    page.search_description = post.meta_description
    page.body = page_html(post.blocks, report)
    if existing is None:
        page.slug = ctx.free_slug(ctx.home, _slug(post))
        page.live = False
        ctx.add_child(ctx.home, page)
    revision = page.save_revision(user=ctx.user, log_action=True)
    if post.status == "published":
        revision.publish(user=ctx.user, skip_permission_checks=True)
    return page


def _redirect(old_path: str, page: Page, ctx: Context) -> None:
    if not old_path:
        return
    path = Redirect.normalise_path(old_path)
    parts = page.get_url_parts()
    if parts and Redirect.normalise_path(parts[2]) == path:
        return  # the page answers at its old address
    ctx.batch.redirects[path] = page
    ctx.report.count("redirect", "created")


def _pick(article: ArticlePage, ctx: Context, report: Any) -> None:
    if ctx.picks is None:
        site = ctx.home.get_site()
        if site is None:
            report("featured: no site for Editors' Picks; left out")
            return
        ctx.picks = CurationSettings.for_site(site)
    picks = EditorsPick.objects.filter(settings=ctx.picks)
    if picks.filter(article=article).exists():
        return
    if picks.count() >= MAX_PICKS:
        report("featured, but Editors' Picks is full; left out")
        return
    EditorsPick.objects.create(
        settings=ctx.picks, article=article, sort_order=picks.count()
    )
    ctx.report.count("editors_pick", "created")
