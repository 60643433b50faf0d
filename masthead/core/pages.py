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
