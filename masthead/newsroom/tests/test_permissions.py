"""The whole permission matrix, walked through the real admin views (issue #4)."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site, WorkflowState

from masthead.content.factories import (
    edit_form_data,
    home_page,
    make_article,
    make_section,
)
from masthead.content.models import ArticlePage
from masthead.newsroom.services import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR

pytestmark = pytest.mark.django_db

ROLES = (CONTRIBUTOR, AUTHOR, EDITOR, ADMINISTRATOR)
Y, N = True, False
# role:            Contributor, Author, Editor, Administrator
MATRIX = {
    "create article": (Y, Y, Y, Y),
    "edit own draft": (Y, Y, Y, Y),
    "edit others' article": (N, N, Y, Y),
    "submit for review": (Y, Y, Y, Y),
    "publish own article": (N, Y, Y, Y),
    "publish others' article": (N, N, Y, Y),
    "post News Feed item": (N, Y, Y, Y),
    "manage Editors' Picks": (N, N, Y, Y),
    "edit home page": (N, N, Y, Y),
    "manage tags": (N, N, Y, Y),
    "manage authors": (N, N, Y, Y),
    "issue correction": (N, N, Y, Y),
    "write newsletter issue": (N, N, Y, Y),
    "see newsletter subscribers": (N, N, N, Y),
    "manage users": (N, N, N, Y),
    "edit site settings": (N, N, N, Y),
    "moderate comments": (N, N, Y, Y),
    "set who may comment": (N, N, N, Y),
}


def allowed(response) -> bool:
    """200 is allowed; 403 or Wagtail's redirect to the dashboard is refused."""
    if response.status_code == 200:
        return True
    if response.status_code == 403:
        return False
    if response.status_code == 302 and "/login/" not in response["Location"]:
        return False
    raise AssertionError(
        f"unexpected {response.status_code} {response.get('Location')}"
    )


@pytest.fixture
def world(django_user_model):
    section = make_section("News", "news")
    users = {}
    for role in ROLES:
        user = django_user_model.objects.create_user(
            role.lower(), password="a-long-pass-phrase"
        )
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    return section, users


def draft_owned_by(section, user, name):
    article = make_article(section, publish=False, title=name, owner=user)
    return article


def check(client, action, section, user):
    """Perform ``action`` as the logged-in user; True when it was allowed."""
    site = Site.objects.get(is_default_site=True)
    own = draft_owned_by(section, user, f"Own draft of {user}")
    other = draft_owned_by(section, None, "Someone else's draft")
    get_urls = {
        "create article": f"/admin/pages/add/content/articlepage/{section.pk}/",
        "edit own draft": f"/admin/pages/{own.pk}/edit/",
        "edit others' article": f"/admin/pages/{other.pk}/edit/",
        "post News Feed item": "/admin/snippets/feed/newsfeeditem/add/",
        "manage Editors' Picks": f"/admin/settings/content/curationsettings/{site.pk}/",
        "edit home page": f"/admin/pages/{home_page().pk}/edit/",
        "manage tags": "/admin/snippets/taxonomy/tag/add/",
        "manage authors": "/admin/snippets/people/author/add/",
        "issue correction": "/admin/snippets/content/correction/add/",
        "write newsletter issue": "/admin/newsletters/issues/add/",
        "see newsletter subscribers": "/admin/snippets/newsletters/subscription/",
        "manage users": "/admin/users/",
        "edit site settings": f"/admin/settings/core/sitesettings/{site.pk}/",
        "moderate comments": "/admin/comments/",
        "set who may comment": f"/admin/settings/comments/commentsettings/{site.pk}/",
    }
    if action in get_urls:
        return allowed(client.get(get_urls[action]))
    target = other if action == "publish others' article" else own
    verb = "action-submit" if action == "submit for review" else "action-publish"
    # A refused user still posts the whole form, as a crafted request would.
    response = client.post(
        f"/admin/pages/{target.pk}/edit/", edit_form_data(target, verb)
    )
    assert response.status_code in (200, 302, 403), response.status_code
    if action == "submit for review":
        return WorkflowState.objects.filter(object_id=str(target.pk)).exists()
    return ArticlePage.objects.get(pk=target.pk).live


@pytest.mark.parametrize("action", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, action, role, settings):
    # Roles only: two-factor sign-in has its own tests (test_two_factor.py).
    settings.MASTHEAD_2FA_ENABLED = False
    section, users = world
    client.force_login(users[role])
    expected = MATRIX[action][ROLES.index(role)]
    assert check(client, action, section, users[role]) is expected


def test_review_workflow_is_edit_then_publish_by_editors():
    from wagtail.models import Page

    workflow = Page.get_first_root_node().get_workflow()
    assert workflow.name == "Edit → Publish"
    task = workflow.tasks.get().specific
    # And the default edition's own editors (#15, test_edition_roles.py).
    assert {g.name for g in task.groups.all()} == {EDITOR, f"{EDITOR} (en)"}


def test_roles_are_restored_by_ensure_roles():
    from masthead.newsroom.services import ensure_roles

    Group.objects.get(name=AUTHOR).permissions.clear()
    ensure_roles()
    codenames = set(
        Group.objects.get(name=AUTHOR).permissions.values_list("codename", flat=True)
    )
    assert {"access_admin", "add_newsfeeditem"} <= codenames


def test_editor_sends_a_draft_back_with_a_comment_the_writer_sees(
    client, world, settings
):
    from django.test import Client
    from wagtail.models import TaskState

    settings.MASTHEAD_2FA_ENABLED = False
    section, users = world
    writer, editor = users[CONTRIBUTOR], users[EDITOR]
    draft = draft_owned_by(section, writer, "Draft for review")
    client.force_login(writer)
    client.post(
        f"/admin/pages/{draft.pk}/edit/", edit_form_data(draft, "action-submit")
    )
    task_state = TaskState.objects.get(workflow_state__object_id=str(draft.pk))

    editor_client = Client()
    editor_client.force_login(editor)
    response = editor_client.post(
        f"/admin/pages/workflow/action/{draft.pk}/reject/{task_state.pk}/",
        {"comment": "Please add a second source for the figures."},
    )
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Please add a second source for the figures."
    assert not ArticlePage.objects.get(pk=draft.pk).live
    # The writer sees the request on their page's editor.
    page = client.get(f"/admin/pages/{draft.pk}/edit/")
    assert "Please add a second source for the figures." in page.content.decode()
