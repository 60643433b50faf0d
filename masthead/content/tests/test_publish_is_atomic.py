"""A publish from the admin is all or nothing; its side effects outlive a crash (#13).

Wagtail's edit view saves a revision, then publishes it. An app process
killed between the two (2-50 ms after the click) left, once in ten, the new
version saved as an unpublished draft. An exception raised where the kill
landed stands in for it: what a killed process leaves uncommitted is what
a rolled-back transaction leaves.

A Django test runs in a transaction that never commits, so the after-commit
drain of the outbox never runs here: as if the process died right after the
commit. The rows must be there for the worker's drain.
"""

import pytest
from django.db import connection
from django.http import HttpResponse
from wagtail.actions.publish_page_revision import PublishPageRevisionAction

from masthead.content import publishing
from masthead.content.factories import edit_form_data, make_article
from masthead.content.models import ArticlePage
from masthead.core import outbox
from masthead.core.db import AtomicAdminWritesMiddleware
from masthead.core.models import OutboxEntry

pytestmark = pytest.mark.django_db


def publish(client, article: ArticlePage, title: str):
    client.raise_request_exception = False
    return client.post(
        f"/admin/pages/{article.pk}/edit/",
        edit_form_data(
            article, "action-publish", title=title, body_html="<p>New words.</p>"
        ),
    )


def crash(*args, **kwargs):
    raise SystemError("the app process was killed here")


def test_publish_killed_after_the_revision_leaves_no_draft(admin_client, monkeypatch):
    article = make_article(title="Before")
    revisions = article.revisions.count()
    latest = article.latest_revision_id
    monkeypatch.setattr(PublishPageRevisionAction, "execute", crash)

    assert publish(admin_client, article, "After").status_code == 500

    article = ArticlePage.objects.get(pk=article.pk)
    # Neither the revision nor the publish: the page is as it was.
    assert article.revisions.count() == revisions
    assert article.latest_revision_id == latest
    assert not article.has_unpublished_changes
    assert article.title == "Before"


def test_publish_killed_in_the_pipeline_queues_no_side_effects(
    admin_client, monkeypatch
):
    article = make_article(title="Before")
    OutboxEntry.objects.all().delete()
    published = publishing.page_published

    def publish_then_crash(instance):
        published(instance)
        crash()

    monkeypatch.setattr(publishing, "page_published", publish_then_crash)

    assert publish(admin_client, article, "After").status_code == 500

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.title == "Before"
    assert article.live_revision.as_object().title == "Before"
    # The purges the pipeline queued went with the rolled-back publish.
    assert not OutboxEntry.objects.exists()


def test_publish_queues_its_purges_with_it_for_a_later_drain(admin_client, monkeypatch):
    article = make_article(title="Before")
    OutboxEntry.objects.all().delete()

    assert publish(admin_client, article, "After").status_code == 302

    article = ArticlePage.objects.get(pk=article.pk)
    assert (article.title, article.live, article.has_unpublished_changes) == (
        "After",
        True,
        False,
    )
    queued = set(
        OutboxEntry.objects.filter(topic="purge").values_list("key", flat=True)
    )
    assert f"article-{article.pk}" in queued
    # The worker's drain, after the process that published died.
    purged: list[str] = []
    monkeypatch.setitem(outbox._topics, "purge", outbox.Topic("purge", purged.extend))
    outbox.drain()
    assert f"article-{article.pk}" in purged
    assert not OutboxEntry.objects.filter(topic="purge").exists()


def test_only_writes_to_the_admin_get_a_transaction(rf):
    depth: list[int] = []

    def view(request):
        depth.append(len(connection.savepoint_ids))
        return HttpResponse()

    middleware = AtomicAdminWritesMiddleware(view)
    base = len(connection.savepoint_ids)
    middleware(rf.get("/admin/pages/"))
    middleware(rf.post("/search/"))
    middleware(rf.post("/admin/pages/1/edit/"))
    # Inside the test's own transaction a transaction is a savepoint.
    assert depth == [base, base, base + 1]
