"""The "Import" admin screens and ``masthead import`` (#18)."""

import io
import re
from importlib import import_module

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage
from masthead.importers.models import ImportRun, RunState

from .helpers import GHOST_EXPORT

progress_bar = import_module(
    "masthead.importers.management.commands.import"
).progress_bar

pytestmark = pytest.mark.django_db
INDEX = "/admin/import/"


def upload():
    return SimpleUploadedFile(
        "ghost-export.json", GHOST_EXPORT.read_bytes(), "application/json"
    )


@pytest.fixture
def importer(client, django_user_model, settings, tmp_path):
    """Staff with the admin and importers.add_importrun, nothing more."""
    settings.MASTHEAD_PRIVATE_UPLOADS_ROOT = tmp_path
    user = django_user_model.objects.create_user("imp", password="x")
    group = Group.objects.create(name="Importers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="add_importrun"),
    )
    user.groups.add(group)
    client.force_login(user)
    return client


def test_staff_without_the_permission_are_refused(client, django_user_model):
    user = django_user_model.objects.create_user("ed", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    # Wagtail's admin answers PermissionDenied by sending staff home.
    for response in (client.get(INDEX), client.post(INDEX, {"source": "ghost"})):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not ImportRun.objects.exists()


def test_dry_run_then_import_from_the_admin(importer):
    make_section("News", "news")
    menu = BeautifulSoup(importer.get(INDEX).content, "html5lib")
    assert menu.find("form", enctype="multipart/form-data") is not None

    response = importer.post(INDEX, {"source": "ghost", "file": upload()})
    assert response.status_code == 302
    dry = ImportRun.objects.get()
    assert dry.error == ""
    assert dry.dry_run and dry.state == RunState.DONE
    assert not ArticlePage.objects.filter(slug="ferry-timetable").exists()
    page = BeautifulSoup(importer.get(response["Location"]).content, "html5lib")
    rows = [td.get_text(" ", strip=True) for td in page.select(".import-counts td")]
    assert "article: created" in rows
    problems = [
        li.get_text(" ", strip=True) for li in page.select(".import-problems li")
    ]
    assert any(p.startswith("post 6650c0000000000000000001") for p in problems)
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is None
    confirm = page.find("form", action=re.compile(r"/import/$"))

    response = importer.post(confirm["action"])
    assert response.status_code == 302
    real = ImportRun.objects.get(dry_run=False)
    assert real.state == RunState.DONE
    assert real.counts["article"]["created"] == 5
    assert ArticlePage.objects.filter(slug="ferry-timetable", live=True).exists()
    # The file is gone once imported; the dry run cannot be imported twice.
    assert importer.post(confirm["action"]).status_code == 404


def test_a_running_import_page_reloads_itself_and_shows_progress(importer):
    from masthead.importers.services import write_progress

    run = ImportRun.objects.create(
        source="ghost", file_name="big.zip", state=RunState.RUNNING
    )
    write_progress(run, 150, 600)
    page = BeautifulSoup(importer.get(f"{INDEX}{run.pk}/").content, "html5lib")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "3"
    assert page.find("progress")["value"] == "25"
    assert "150 of 600 posts" in page.find("progress").parent.get_text(" ")


def test_wrong_file_type_and_missing_run(importer):
    bad = SimpleUploadedFile("export.exe", b"MZ")
    response = importer.post(INDEX, {"source": "ghost", "file": bad})
    assert response.status_code == 200
    assert not ImportRun.objects.exists()
    assert importer.get(f"{INDEX}999999/").status_code == 404
    assert importer.post(f"{INDEX}999999/import/").status_code == 404


def test_command_imports_and_prints_a_summary():
    make_section("News", "news")
    out = io.StringIO()
    call_command("import", "ghost", str(GHOST_EXPORT), "--no-progress", stdout=out)
    lines = out.getvalue().splitlines()
    assert "articles: 5 created" in lines
    assert ImportRun.objects.get().state == RunState.DONE


def test_command_dry_run_writes_nothing():
    out = io.StringIO()
    call_command(
        "import", "ghost", str(GHOST_EXPORT), "--dry-run", "--no-progress", stdout=out
    )
    assert "articles: 5 created" in out.getvalue().splitlines()
    assert not ArticlePage.objects.filter(slug="ferry-timetable").exists()


def test_command_fails_on_a_file_that_is_no_export(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("[]")
    with pytest.raises(CommandError, match="does not look like a ghost export"):
        call_command(
            "import", "ghost", str(path), "--no-progress", stdout=io.StringIO()
        )


def test_progress_bar_draws_on_one_line():
    stream = io.StringIO()
    draw = progress_bar(stream)
    draw(1, 4, "posts")
    draw(4, 4, "posts")
    assert stream.getvalue() == (
        "\r[#######.......................] 1/4 posts"
        "\r[##############################] 4/4 posts\n"
    )


def test_a_file_that_is_no_export_fails_the_run_not_the_page(importer):
    notes = SimpleUploadedFile("notes.json", b'{"hello": "world"}')
    response = importer.post(INDEX, {"source": "ghost", "file": notes})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.state == RunState.FAILED
    page = BeautifulSoup(importer.get(response["Location"]).content, "html5lib")
    assert "does not look like a ghost export" in page.select_one(".help-critical").text
    assert page.find("form", action=re.compile(r"/import/$")) is None


def test_large_upload_runs_as_a_background_task(
    importer, monkeypatch, django_capture_on_commit_callbacks
):
    from masthead.importers import views

    make_section("News", "news")
    monkeypatch.setattr(views, "INLINE_MAX_BYTES", 0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = importer.post(INDEX, {"source": "ghost", "file": upload()})
    assert len(callbacks) == 1  # queued, not run in the request
    dry = ImportRun.objects.get()
    assert dry.state == RunState.DONE and dry.total_count == 6
    with django_capture_on_commit_callbacks(execute=True):
        importer.post(f"{response['Location']}import/")
    real = ImportRun.objects.get(dry_run=False)
    assert (real.state, real.stored_path) == (RunState.DONE, "")
    assert ArticlePage.objects.filter(slug="ferry-timetable", live=True).exists()
