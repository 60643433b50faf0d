"""Scheduled publishing and embargo releases, run by the task worker (#12).

newsroom/scheduler.py says how often; the services do the work.
"""

from django.core.management import call_command
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from masthead.core.background import BACKGROUND

from .services import release_passed_embargoes


@task(backend=BACKGROUND)
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come; unpublish expired ones.

    Wagtail's own ``publish_scheduled`` does it, so go-live and expiry set in
    the admin behave exactly as Wagtail documents them, in one transaction:
    Wagtail clears the revision's go-live time, then saves the page, in two
    commits of their own, so a worker killed between them left the article
    unpublished with nothing scheduled any more, lost for good (#13, found
    by ``make chaos``). Rolled back together, the next run publishes it.
    """
    with transaction.atomic():
        call_command("publish_scheduled", verbosity=0)


@task(backend=BACKGROUND)
def release_embargoes() -> list[int]:
    """Announce articles whose embargo passed since the last run; their ids."""
    return release_passed_embargoes(timezone.now())
