"""Where members came from: ``Member.source`` as articles and newsletters (#17).

A member's source is the path of the page they signed up from: the page
that sent them to the sign-in form (its ``?from=``), the page a newsletter
form sat on (newsletters/views.py ``_source``), or the form's own address.
Here a path becomes:

- a newsletter, when the site's URLs route it to a newsletter's page, its
  sign-up or one of its issues (``/newsletters/<slug>/…``, in any edition);
  newsletters are named by slug, the app being beside this one, not below;
- an article, when its edition's page tree has an article at that path,
  or a redirect left by moving or renaming one points to it;
- anything else (a join page, the sign-in form, an import) as it is.

No request, no reader data: the dashboard counts, this names what it counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from django.db.models import Q, Subquery
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from masthead.content.models import ArticlePage
from masthead.core.editions import default_edition, edition_for_path

# The URL namespace of the newsletters' pages (masthead/urls.py).
NEWSLETTERS = "newsletters"


class SourceKind(StrEnum):
    ARTICLE = "article"
    NEWSLETTER = "newsletter"
    OTHER = "other"


@dataclass(frozen=True)
class Source:
    """What one or more raw sources stand for.

    Attributes:
        kind: an article, a newsletter, or other.
        key: the same for every raw source that names the same thing.
        label: the article's title, the newsletter's slug, or the raw source.
        path: its public address, when it has one.
        admin_url: the article's edit page in the admin.
    """

    kind: SourceKind
    key: str
    label: str
    path: str = ""
    admin_url: str = ""


def _path(raw: str) -> str | None:
    """The site path in a raw source (query dropped, ending in ``/``), if any."""
    raw = raw.strip()
    if not raw.startswith("/") or raw.startswith("//"):
        return None
    path = urlsplit(raw).path
    return path if path.endswith("/") else f"{path}/"


def _newsletter(path: str) -> Source | None:
    """The newsletter whose page, sign-up or issue is at ``path``, if any."""
    with translation.override(edition_for_path(path)):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        slug = match.kwargs.get("slug")
        if NEWSLETTERS not in match.namespaces or not slug:
            return None
        public = reverse(f"{NEWSLETTERS}:detail", kwargs={"slug": slug})
    return Source(SourceKind.NEWSLETTER, f"newsletter:{slug}", str(slug), public)


def _edition_prefix(code: str) -> str:
    return "/" if code == default_edition() else f"/{code}/"


def _edition_roots() -> dict[str, str]:
    """``{language code: url_path}`` of each edition's home page: one query."""
    root_key = Site.objects.filter(is_default_site=True).values(
        "root_page__translation_key"
    )[:1]
    rows = Page.objects.filter(translation_key=Subquery(root_key)).values_list(
        "locale__language_code", "url_path"
    )
    return {str(code): str(url_path) for code, url_path in rows}


def _url_path(path: str, roots: dict[str, str]) -> str | None:
    """The ``url_path`` a page served at ``path`` would have."""
    code = edition_for_path(path)
    root = roots.get(code)
    if root is None:
        return None
    return root + path.removeprefix(_edition_prefix(code))


def _public_path(url_path: str, roots: dict[str, str]) -> str:
    for code, root in sorted(roots.items(), key=lambda item: -len(item[1])):
        if url_path.startswith(root):
            return _edition_prefix(code) + url_path.removeprefix(root)
    return ""


def _articles(paths: list[str]) -> dict[str, Source]:
    """The article at each path, by path, or its redirect's: three queries."""
    roots = _edition_roots()
    url_paths = {path: _url_path(path, roots) for path in paths}
    moved = dict(
        Redirect.objects.filter(
            old_path__in={Redirect.normalise_path(path) for path in paths},
            redirect_page__isnull=False,
        ).values_list("old_path", "redirect_page_id")
    )
    rows = ArticlePage.objects.filter(
        Q(url_path__in={found for found in url_paths.values() if found})
        | Q(pk__in=set(moved.values()))
    ).values_list("pk", "title", "url_path")
    by_url_path, by_id = {}, {}
    for pk, title, url_path in rows:
        source = Source(
            kind=SourceKind.ARTICLE,
            key=f"article:{pk}",
            label=title,
            path=_public_path(url_path, roots),
            admin_url=reverse("wagtailadmin_pages:edit", args=[pk]),
        )
        by_url_path[url_path] = by_id[pk] = source
    found = {}
    for path in paths:
        article = by_url_path.get(url_paths[path] or "") or by_id.get(
            moved.get(Redirect.normalise_path(path))
        )
        if article is not None:
            found[path] = article
    return found


def _other(raw: str) -> Source:
    label = raw.strip() or gettext("Not recorded")
    return Source(kind=SourceKind.OTHER, key=f"other:{raw.strip()}", label=label)


def resolve_sources(raws: Iterable[str]) -> dict[str, Source]:
    """What each raw ``Member.source`` stands for, by raw source, in order.

    At most three queries, for the articles, whatever the number of sources.
    """
    paths = {raw: _path(raw) for raw in sorted(set(raws))}
    resolved: dict[str, Source] = {}
    for raw, path in paths.items():
        if path and (newsletter := _newsletter(path)):
            resolved[raw] = newsletter
    article_paths = sorted(
        {path for raw, path in paths.items() if path and raw not in resolved}
    )
    articles = _articles(article_paths) if article_paths else {}
    return {
        raw: resolved.get(raw) or articles.get(path or "") or _other(raw)
        for raw, path in paths.items()
    }
