"""Behaviour shared by every public page type."""

from masthead.core.caching import Profile, apply_profile


class PublicPageMixin:
    """Serve Wagtail pages with the right Cache-Control profile.

    Published pages may be cached by shared caches; previews of drafts never
    may (``request.is_preview`` is set by Wagtail's preview views).
    """

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            # Case: a draft shown to its editor; never stored anywhere.
            return apply_profile(response, Profile.PRIVATE)
        # Case: the published page, the same for every reader.
        return apply_profile(response, Profile.PUBLIC)


def live_pages(model):
    """Live pages of a page type with few rows (home, sections).

    The ``pk IN (SELECT pk FROM <type>)`` makes SQLite start from the small
    table of that type. Without it, and without statistics, it walked the
    whole page tree (every article) in path order to find the home page:
    1.0 s at a million articles instead of 1 ms; the front page's sections
    1.4 s (#5).
    """
    return model.objects.filter(pk__in=model.objects.values("pk")).live()
