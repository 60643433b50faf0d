"""The search page's plain context: engine hits joined to visible articles."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, overload

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from masthead.cache.pages import site_context
from masthead.core.editions import default_edition, locale_id_for
from masthead.core.pagination import page_number
from masthead.search.backends import SearchHit, SearchUnavailable, edition_backend
from masthead.search.params import parse_params
from masthead.web.context import (
    TeaserBatch,
    kept_sections,
    sidebar_context,
)

# Where a kept result (search/result.html) takes this query's highlights.
RESULT_TITLE = "<!--result-title-->"
RESULT_SNIPPET = "<!--result-snippet-->"


class _ResultWindow(Sequence[SearchHit]):
    """One page of hits standing in for the whole result list.

    Django's ``Paginator`` only needs the length and the requested slice; the
    engine already returned exactly that slice.
    """

    def __init__(self, total: int, offset: int, hits: list[SearchHit]):
        self.total, self.offset, self.hits = total, offset, hits

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> SearchHit: ...

    @overload
    def __getitem__(self, index: slice) -> list[SearchHit]: ...

    def __getitem__(self, index: int | slice) -> SearchHit | list[SearchHit]:
        if isinstance(index, slice):
            # What the paginator asks for: this page's slice.
            start = (index.start or 0) - self.offset
            stop = (self.total if index.stop is None else index.stop) - self.offset
            return self.hits[max(start, 0) : max(stop, 0)]
        position = (index + self.total if index < 0 else index) - self.offset
        if not 0 <= position < len(self.hits):
            raise IndexError("only this page's results are at hand")
        return self.hits[position]


def search_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the search page shows, in a fixed number of queries.

    Raises:
        Http404: ``?page=`` malformed, or past the last page of results.
    """
    # Each edition searches its own index, and shows only its own articles
    # and sections (#15).
    edition = getattr(request, "LANGUAGE_CODE", None) or default_edition()
    locale_id = locale_id_for(edition) or 0
    sections = sorted(
        (
            section
            for section in kept_sections().values()
            if section.is_public and section.locale_id == locale_id
        ),
        key=lambda section: section.title,
    )
    params = parse_params(request.GET, sections)
    number = page_number(request)
    per_page = settings.MASTHEAD_SEARCH_PAGE_SIZE
    # Ranked results thin out fast; deep pages cost the engine offset + limit.
    max_results = settings.MASTHEAD_SEARCH_MAX_RESULTS
    offset = (number - 1) * per_page
    if offset >= max_results:
        raise Http404("No such page")

    hits: list[SearchHit] = []
    total = 0
    is_capped = False
    is_unavailable = False
    if not params.query.is_empty:
        try:
            found = edition_backend(edition).search(
                params.query,
                section_id=params.section.pk if params.section else None,
                date_from=_start_of(params.date_from),
                date_to=_start_of(params.date_to, days_after=1),
                offset=offset,
                limit=per_page,
            )
            hits, total = found.hits, min(found.total, max_results)
            is_capped = found.total > max_results or (
                found.total_is_estimate and found.total >= max_results
            )
        except SearchUnavailable:
            is_unavailable = True

    paginator: Paginator[SearchHit] = Paginator(
        _ResultWindow(total, offset, hits), per_page, allow_empty_first_page=True
    )
    try:
        # An engine failure is a 503 page, whichever page was asked for.
        page = paginator.page(1 if is_unavailable else number)
    except InvalidPage as exc:
        raise Http404("No such page") from exc

    return {
        **site_context(request),
        **sidebar_context(request),
        "params": params,
        "sections": sections,
        "query_text": params.query.text,
        "has_query": "q" in request.GET,
        "is_unavailable": is_unavailable,
        "total": total,
        "is_capped": is_capped,
        "results": _results_html(request, list(page.object_list), locale_id),
        "page_obj": page,
        "page_links": _page_links(request, page),
    }


def _start_of(day: date | None, days_after: int = 0) -> datetime | None:
    """Midnight starting ``day`` (plus ``days_after``) in the site's time zone."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days_after), time()))


def _results_html(
    request: HttpRequest, hits: list[SearchHit], locale_id: int
) -> list[SafeString]:
    """The hits of published articles of the edition, in the engine's order.

    The index may lag a moment behind an unpublish or a move to another
    edition; ``published().in_edition()`` decides, through the teaser batch.
    The part of a result that is the same for every query (link, section,
    byline, date) is kept as a fragment until its article or a byline
    author is purged; fragments are kept per edition, and this edition's
    are only ever rendered from its own articles. This query's highlighted
    title and snippet go into it.
    """
    batch = TeaserBatch(locale_id=locale_id)
    batch.want("results", [hit.article_id for hit in hits], len(hits), "result")
    kept = dict(batch.load_html(request)["results"])
    results = []
    for hit in hits:
        html = kept.get(hit.article_id)
        if html is None:
            # Case: not published (any more); the index will catch up.
            continue
        snippet = (
            format_html('<p class="search-result__snippet">{}</p>', hit.snippet_html)
            if hit.snippet_html
            else ""
        )
        filled = html.replace(RESULT_TITLE, hit.title_html, 1).replace(
            RESULT_SNIPPET, snippet, 1
        )
        # Our template's output, and highlights the engine escaped.
        results.append(mark_safe(filled))  # noqa: S308
    return results


def _page_links(request: HttpRequest, page: "Page[SearchHit]") -> dict[str, Any]:
    """Numbered page links that keep the search words and filters."""
    if page.paginator.num_pages < 2:
        return {"pages": [], "previous": None, "next": None}

    def url(number: int) -> str:
        query = request.GET.copy()
        query.pop("page", None)
        if number > 1:
            query["page"] = str(number)
        return f"?{query.urlencode()}"

    pages = [
        {"number": item, "url": url(item), "is_current": item == page.number}
        if isinstance(item, int)
        else {"is_gap": True}
        for item in page.paginator.get_elided_page_range(page.number, on_ends=1)
    ]
    return {
        "pages": pages,
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
    }
