"""Newsroom roles and the review workflow; the embargo release of scheduled work.

Roles and workflow are built on Wagtail's own mechanisms.

Roles are Django groups with Wagtail page, collection and model permissions
(docs/newsroom.md lists them). ``ensure_roles`` is idempotent: it runs after
every ``migrate`` and brings the groups back to this definition.
"""

from datetime import UTC, datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

CONTRIBUTOR, AUTHOR, EDITOR, ADMINISTRATOR = (
    "Contributor",
    "Author",
    "Editor",
    "Administrator",
)
WORKFLOW_NAME = "Edit → Publish"
REVIEW_TASK_NAME = "Editor review"
# Wagtail's starter groups give publish rights on the whole tree; the four
# roles replace them.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")

# Wagtail page permissions, granted on the root so every section inherits.
# "add" lets a user create pages and edit the ones they own; "change" lets
# them edit anyone's; "publish" lets them publish what they can edit.
PAGE_PERMISSIONS = {
    CONTRIBUTOR: ["add"],
    AUTHOR: ["add", "publish"],
    EDITOR: ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
    ADMINISTRATOR: ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
}
# Images and documents: "add" also means editing one's own uploads.
COLLECTION_PERMISSIONS = {
    CONTRIBUTOR: ["wagtailimages.add_image", "wagtailimages.choose_image"],
    AUTHOR: ["wagtailimages.add_image", "wagtailimages.choose_image"],
    EDITOR: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtailimages.delete_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
}
_VIEW_TAXONOMY = ["taxonomy.view_tag", "people.view_author"]
_CRUD = ("add", "change", "delete", "view")
MODEL_PERMISSIONS = {
    CONTRIBUTOR: ["wagtailadmin.access_admin", *_VIEW_TAXONOMY],
    AUTHOR: [
        "wagtailadmin.access_admin",
        *_VIEW_TAXONOMY,
        "feed.add_newsfeeditem",
        "feed.change_newsfeeditem",
        "feed.view_newsfeeditem",
    ],
    EDITOR: [
        "wagtailadmin.access_admin",
        *[
            f"{app}.{action}_{model}"
            for action in _CRUD
            for app, model in (
                ("taxonomy", "tag"),
                ("people", "author"),
                ("feed", "newsfeeditem"),
                ("content", "correction"),
            )
        ],
        "content.change_curationsettings",
        # Newsletters and their issues, and suppressing an address by hand;
        # who subscribes stays with Administrators, as members do (#16).
        *[f"newsletters.{action}_newsletter" for action in _CRUD],
        *[f"newsletters.{action}_issue" for action in _CRUD],
        "newsletters.view_suppression",
        "newsletters.add_suppression",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        # The pages' "Translate" action into another edition (#15).
        "simple_translation.submit_translation",
        # The comments' queue: approve, hide, ban, close an article (#17);
        # who may comment and how, site-wide, stays with Administrators.
        "comments.moderate_comment",
    ],
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(kind: str) -> Permission:
    return Permission.objects.get(
        content_type__app_label="wagtailcore", codename=f"{kind}_page"
    )


@transaction.atomic
def ensure_roles(using: str = "default") -> dict[str, Group]:
    """Create or update the four roles and the review workflow.

    Returns:
        The groups by role name.
    """
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if root_page is None or root_collection is None:
        return {}
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).delete()
    groups = {}
    for role in (CONTRIBUTOR, AUTHOR, EDITOR, ADMINISTRATOR):
        group, _ = Group.objects.get_or_create(name=role)
        groups[role] = group
        if role == ADMINISTRATOR:
            group.permissions.set(Permission.objects.all())
        else:
            group.permissions.set([_permission(p) for p in MODEL_PERMISSIONS[role]])
        GroupPagePermission.objects.filter(group=group).exclude(
            permission__codename__in=[f"{k}_page" for k in PAGE_PERMISSIONS[role]]
        ).delete()
        for kind in PAGE_PERMISSIONS[role]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_page_permission(kind)
            )
        collection_permissions = COLLECTION_PERMISSIONS.get(
            role, COLLECTION_PERMISSIONS[EDITOR]
        )
        for dotted in collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=_permission(dotted),
            )
    ensure_review_workflow(groups[EDITOR], root_page)
    return groups


def ensure_review_workflow(editor_group: Group, root_page: Page) -> Workflow:
    """The default "Edit → Publish" workflow: editors approve, or comment back."""
    Workflow.objects.exclude(name=WORKFLOW_NAME).filter(
        workflow_pages__page=root_page
    ).update(active=False)
    WorkflowPage.objects.filter(page=root_page).exclude(
        workflow__name=WORKFLOW_NAME
    ).delete()
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.set([editor_group])
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(
        page=root_page, defaults={"workflow": workflow}
    )
    return workflow


# --- roles limited to one edition (#15) ----------------------------------------

# The roles an edition can have its own desk of; administrators stay global.
EDITION_ROLES = (CONTRIBUTOR, AUTHOR, EDITOR)


def edition_role_name(role: str, language_code: str) -> str:
    """``Editor (uk)``: the role, limited to one edition's page tree."""
    return f"{role} ({language_code})"


@transaction.atomic
def ensure_edition_roles() -> dict[str, Group]:
    """Create or update each edition's Contributor, Author and Editor roles.

    Each has the model and collection permissions of its newsroom role, but
    its page permissions on the edition's home only: Wagtail's page
    permissions are per subtree, so its members edit that edition's pages
    and no other, and the desks offer that edition only
    (content/edition_access.py). Each edition also gets its own review
    workflow, approved by that edition's editors and the global ones.
    Editions whose home page does not exist yet are skipped: run it again
    (``masthead edition_roles``) once the home is made. Idempotent.

    Returns:
        The groups by name.
    """
    from masthead.content.editions import edition_home
    from masthead.core.editions import default_edition, edition_codes

    root_collection = Collection.get_first_root_node()
    groups: dict[str, Group] = {}
    editors = Group.objects.filter(name=EDITOR).first()
    for code in edition_codes():
        home = edition_home(code)
        if home is None or root_collection is None:
            continue
        for role in EDITION_ROLES:
            group, _ = Group.objects.get_or_create(name=edition_role_name(role, code))
            groups[group.name] = group
            group.permissions.set([_permission(p) for p in MODEL_PERMISSIONS[role]])
            GroupPagePermission.objects.filter(group=group).exclude(
                page=home,
                permission__codename__in=[f"{k}_page" for k in PAGE_PERMISSIONS[role]],
            ).delete()
            for kind in PAGE_PERMISSIONS[role]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=home, permission=_page_permission(kind)
                )
            for dotted in COLLECTION_PERMISSIONS[role]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(dotted),
                )
        edition_editors = groups[edition_role_name(EDITOR, code)]
        if code == default_edition():
            # The default edition's home is the site root: the site-wide
            # workflow covers it; its editors review there too. Every
            # other edition has a workflow of its own, so they review
            # nothing outside their edition.
            task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
            if task is not None:
                task.groups.add(edition_editors)
            continue
        reviewers = [edition_editors]
        if editors is not None:
            reviewers.append(editors)
        _ensure_edition_workflow(code, home, reviewers)
    return groups


def _ensure_edition_workflow(code: str, home: Page, reviewers: list[Group]) -> None:
    """The edition's own "Edit → Publish": its editors approve its pages.

    The site-wide workflow's reviewers would otherwise include no editor of
    a one-edition desk, and a task's approval publishes whatever page it is
    on, whatever the approver's page permissions.
    """
    name = f"{REVIEW_TASK_NAME} ({code})"
    task = GroupApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=name)
    task.groups.set(reviewers)
    workflow, _ = Workflow.objects.get_or_create(
        name=f"{WORKFLOW_NAME} ({code})", defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})


# --- scheduled work ------------------------------------------------------------

EMBARGO_RELEASE_JOB = "release-embargoes"
# Where a database that never released an embargo starts: every embargo that
# ever passed is announced once. Announcing twice is harmless; missing one
# leaves an article out of search and cached listings (#12).
FIRST_RELEASE_SINCE = datetime(1970, 1, 1, tzinfo=UTC)


@transaction.atomic
def release_passed_embargoes(now: datetime) -> list[int]:
    """Announce every article whose embargo passed since the last run.

    The last run's time is kept in the database (``JobWatermark``), not in
    the worker's memory, so an embargo that passed while the worker was
    stopped, however long, is released at its next run.

    Returns:
        The ids of the released articles.
    """
    from masthead.content.services import release_embargoes

    from .models import JobWatermark

    mark = (
        JobWatermark.objects.select_for_update().filter(job=EMBARGO_RELEASE_JOB).first()
    )
    since = mark.reached_at if mark else FIRST_RELEASE_SINCE
    released = release_embargoes(since, now)
    JobWatermark.objects.update_or_create(
        job=EMBARGO_RELEASE_JOB, defaults={"reached_at": now}
    )
    return released
