"""One-edition editors: ``Editor (uk)`` edits the Ukrainian tree only (#15)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow

from masthead.content.edition_access import editions_for_user
from masthead.content.editions import edition_home, translate_page
from masthead.content.factories import make_article
from masthead.content.models import ArticlePage, TranslationSync
from masthead.newsroom.services import EDITOR

pytestmark = pytest.mark.django_db


def test_edition_roles_hold_page_permissions_on_their_home_only(edition_sections):
    group = Group.objects.get(name="Editor (uk)")
    pages = set(
        GroupPagePermission.objects.filter(group=group).values_list("page", flat=True)
    )
    assert pages == {edition_home("uk").pk}
    # The same model permissions as the newsroom role.
    assert set(group.permissions.all()) == set(
        Group.objects.get(name=EDITOR).permissions.all()
    )
    uk_flow = Workflow.objects.get(name="Edit → Publish (uk)")
    assert uk_flow.active
    assert uk_flow.workflow_pages.get().page_id == edition_home("uk").pk
    uk_task = GroupApprovalTask.objects.get(name="Editor review (uk)")
    reviewers = {group.name for group in uk_task.groups.all()}
    assert reviewers == {"Editor (uk)", EDITOR}
    site_wide = GroupApprovalTask.objects.get(name="Editor review").groups.all()
    assert {group.name for group in site_wide} == {EDITOR, "Editor (en)"}


def test_edition_roles_command_is_idempotent(edition_sections, capsys):
    call_command("edition_roles")
    call_command("edition_roles")
    assert "Editor (uk)" in capsys.readouterr().out.splitlines()
    group = Group.objects.get(name="Editor (uk)")
    assert GroupPagePermission.objects.filter(group=group).count() == len(
        GroupPagePermission.objects.filter(group__name=EDITOR)
    )


def test_one_edition_editor_works_in_that_edition_only(uk_editor, django_user_model):
    assert editions_for_user(uk_editor) == ["uk"]
    global_editor = django_user_model.objects.create_user("g", password="x" * 12)
    global_editor.groups.add(Group.objects.get(name=EDITOR))
    assert editions_for_user(global_editor) == ["en", "uk"]


def test_one_edition_editor_edits_its_pages_not_the_others(
    client, uk_editor, edition_sections
):
    english, ukrainian = edition_sections
    en_article = make_article(english, title="English", slug="english")
    uk_article = make_article(ukrainian, title="Українська", slug="ukrainska")
    assert client.get(f"/admin/pages/{uk_article.pk}/edit/").status_code == 200
    refused = client.get(f"/admin/pages/{en_article.pk}/edit/")
    # Wagtail's admin answers a refused page with a redirect to the dashboard.
    assert refused.status_code == 302
    assert refused["Location"] == "/admin/"


def test_one_edition_editor_cannot_clear_another_editions_flag(
    client, uk_editor, edition_sections
):
    """A Ukrainian original translated into English: the English is not theirs."""
    _, ukrainian = edition_sections
    source = make_article(ukrainian, title="Оригінал", slug="oryhinal")
    english = translate_page(source, "en", title="Original", slug="original")
    source = ArticlePage.objects.get(pk=source.pk)
    source.title = "Оригінал, оновлено"
    source.save_revision().publish()
    assert TranslationSync.objects.get(translation=english).is_stale
    response = client.post(f"/admin/translations/{english.pk}/up-to-date/")
    assert response.status_code == 403
    assert TranslationSync.objects.get(translation=english).is_stale
    report = BeautifulSoup(client.get("/admin/translations/stale/").content, "html5lib")
    assert report.select(".stale-translations__edition") == []
