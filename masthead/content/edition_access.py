"""Which editions a user works in: an editor limited to one edition (#15).

Wagtail's page permissions are per subtree. A role granted on the root
(the four newsroom roles) covers every edition; one granted on an edition's
home page (``Editor (uk)``, newsroom/services.py) covers that edition only.
The desks (feed/desk.py, feed/live_desk.py) read this to offer, accept and
list only the user's editions.
"""

from typing import TYPE_CHECKING

from wagtail.models import GroupPagePermission, Page

from masthead.core.editions import edition_codes, locale_id_for

from .editions import edition_home

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def editions_for_user(user: "AbstractBaseUser | AnonymousUser") -> list[str]:
    """The language codes of the editions ``user`` may work in, default first.

    Case notes:
    - an inactive or anonymous user: none;
    - a superuser, or page permissions on the tree's root: every edition;
    - page permissions on a page above an edition's home, on the home or
      anywhere under it: that edition;
    - no page permission anywhere (a custom desk-only group): every edition,
      as before editions could be limited.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    codes = edition_codes()
    if getattr(user, "is_superuser", False):
        return codes
    paths = set(
        GroupPagePermission.objects.filter(group__user=user).values_list(
            "page__path", flat=True
        )
    )
    root = Page.get_first_root_node()
    if not paths or (root is not None and root.path in paths):
        # Case: the tree's root holds every edition's home, made or not yet.
        return codes
    allowed = []
    for code in codes:
        home = edition_home(code)
        if home is None:
            continue
        if any(home.path.startswith(p) or p.startswith(home.path) for p in paths):
            allowed.append(code)
    return allowed


def edition_locale_ids(user: "AbstractBaseUser | AnonymousUser") -> list[int]:
    """The Wagtail locale ids of ``editions_for_user``."""
    ids = (locale_id_for(code) for code in editions_for_user(user))
    return [pk for pk in ids if pk is not None]
