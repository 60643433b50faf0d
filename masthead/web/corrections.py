from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.content.models import Correction
from masthead.core.pagination import canonical_url, paginate

from .context import edition_locale_id, sidebar_context

CORRECTIONS_PAGE_SIZE = 30


def correction_list(request: HttpRequest) -> HttpResponse:
    """Every public correction, clarification, update and editor's note.

    Of the edition's articles only (#15): a Ukrainian article's notices are
    listed at ``/uk/corrections/``.
    """
    notices = Correction.objects.public().filter(article__locale_id=edition_locale_id())
    page = paginate(
        request,
        notices.newest_first().select_related("article"),
        CORRECTIONS_PAGE_SIZE,
    )
    cache.tag(request, cache.CORRECTIONS)
    cache.tag_articles(request, [notice.article for notice in page.object_list])
    context = {
        **site_context(request),
        **sidebar_context(request),
        "page_obj": page,
        "notices": list(page.object_list),
        "canonical_url": canonical_url(request, page),
    }
    response = TemplateResponse(request, "content/correction_list.html", context)
    return apply_profile(response, Profile.PUBLIC)
