"""Revisions, compare, restore, concurrent editing and the audit log (Wagtail's)."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageLogEntry

from masthead.content.factories import make_article
from masthead.content.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_every_published_version_is_kept_compared_and_restorable(
    admin_client, admin_user
):
    article = make_article(title="First headline")
    article.title = "Second headline"
    article.save_revision(user=admin_user).publish(user=admin_user)
    first, second = article.revisions.order_by("created_at")
    history = admin_client.get(f"/admin/pages/{article.pk}/history/")
    assert history.status_code == 200
    compare = admin_client.get(
        f"/admin/pages/{article.pk}/revisions/compare/{first.pk}...{second.pk}/"
    )
    assert compare.status_code == 200
    assert "Second headline" in compare.content.decode()
    revert = admin_client.get(f"/admin/pages/{article.pk}/revisions/{first.pk}/revert/")
    assert revert.status_code == 200
    title = BeautifulSoup(revert.content, "html.parser").find(
        "input", {"name": "title"}
    )
    assert title["value"] == "First headline"


def test_page_editor_has_concurrent_editing_notices_on(admin_client):
    article = make_article()
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    # Wagtail pings an editing-session URL and warns of someone else's edits.
    sessions = soup.select_one(".w-editing-sessions")
    assert sessions is not None
    ping = f"editing-sessions/ping/wagtailcore/page/{article.pk}/"
    assert ping in response.content.decode()


def test_audit_log_records_who_published_and_unpublished(admin_client, admin_user):
    article = make_article(publish=False)
    article.save_revision(user=admin_user).publish(user=admin_user)
    ArticlePage.objects.get(pk=article.pk).unpublish(user=admin_user)
    actions = list(
        PageLogEntry.objects.filter(page=article, user=admin_user).values_list(
            "action", flat=True
        )
    )
    assert "wagtail.publish" in actions
    assert "wagtail.unpublish" in actions
    report = admin_client.get("/admin/reports/site-history/")
    assert report.status_code == 200
    assert article.title in report.content.decode()
