"""The front page's context: editors' choices, latest and each section's newest."""

from typing import Any

from django.http import Http404, HttpRequest

from masthead import cache
from masthead.cache.pages import site_context
from masthead.content.models import ArticlePage, HomePage, HomeStory
from masthead.core.queries import Prepared

from .context import TeaserBatch, kept_sections, sidebar_context

HOME_SECONDARY = 4
HOME_LATEST = 8
HOME_PER_SECTION = 4

# The front page's id queries, compiled once per process (core/queries.py).
LATEST_IDS = Prepared(
    lambda locale_id: (
        ArticlePage.objects.published()
        .in_edition(locale_id)
        .newest_first()
        .values_list("pk", flat=True)[: HOME_LATEST + HOME_SECONDARY + 1]
    )
)
SECTION_NEWEST_IDS = Prepared(
    lambda section_id: (
        ArticlePage.objects.published()
        .in_section(section_id)
        .newest_first()
        .values_list("pk", flat=True)[:HOME_PER_SECTION]
    )
)
HOME_STORY_IDS = Prepared(
    lambda home_id: (
        HomeStory.objects.filter(home_id=home_id)
        .order_by("sort_order")
        .values_list("article_id", flat=True)
    )
)


def home_context(request: HttpRequest, home: HomePage) -> dict[str, Any]:
    """Lead, secondary stories, latest, each section's newest, sidebar boxes.

    Editors' choices come first; choices no longer published drop out and
    the latest articles fill the gaps. One query per section (each reads
    the section index), then one batch for every teaser on the page.

    The front page is curated, not a listing: ``?page=2`` and ``?before=``
    are 404s rather than page 1 again under another URL (#14). Older
    stories are on ``/latest/`` and in the date archive, which it links to.
    """
    if request.GET.get("page", "1") != "1" or "before" in request.GET:
        raise Http404("The front page has no numbered pages")
    cache.tag(request, cache.HOME, cache.LATEST)
    latest_ids = LATEST_IDS.ids(home.locale_id)
    secondary_ids = HOME_STORY_IDS.ids(home.pk)
    # The live children of this home page, in tree order (as child_of).
    sections = [
        section
        for section in kept_sections().values()
        if section.is_public
        and section.depth == home.depth + 1
        and section.path.startswith(home.path)
    ]
    batch = TeaserBatch()
    # The latest article leads only when the editors' lead is unpublished;
    # its lead teaser (large responsive image) is rendered only then.
    lead_ids = [home.lead_article_id] if home.lead_article_id else latest_ids[:1]
    batch.want("lead", lead_ids, 1, "lead")
    batch.want("secondary", secondary_ids + latest_ids, HOME_SECONDARY + 1)
    batch.want("latest", latest_ids, HOME_LATEST + HOME_SECONDARY + 1)
    for section in sections:
        batch.want(
            f"section-{section.pk}",
            SECTION_NEWEST_IDS.ids(section.pk),
            HOME_PER_SECTION,
            "small",
        )
    boxes = batch.load_html(request)
    lead = boxes["lead"]
    if not lead and home.lead_article_id and latest_ids:
        fallback = TeaserBatch()
        fallback.want("lead", latest_ids[:1], 1, "lead")
        lead = fallback.load_html(request)["lead"]
    shown = {pk for pk, _ in lead}
    secondary = [t for t in boxes["secondary"] if t[0] not in shown]
    secondary = secondary[:HOME_SECONDARY]
    shown |= {pk for pk, _ in secondary}
    latest = [t for t in boxes["latest"] if t[0] not in shown][:HOME_LATEST]
    section_lists = [
        (section, [html for _, html in boxes[f"section-{section.pk}"]])
        for section in sections
    ]
    return {
        **site_context(request),
        **sidebar_context(request),
        "canonical_url": request.build_absolute_uri(home.get_url(request) or "/"),
        "lead": lead[0][1] if lead else None,
        "secondary": [html for _, html in secondary],
        "latest": [html for _, html in latest],
        "section_lists": [(s, items) for s, items in section_lists if items],
    }
