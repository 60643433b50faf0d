"""Wagtail's apps run without their API (core/wagtail_apps.py, #5)."""

import ast
import inspect
import textwrap

import pytest
from django.apps import apps
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig

from masthead.core import wagtail_apps
from masthead.core.tests.processes import run_fresh_python

PAIRS = [
    ("wagtailimages", wagtail_apps.ImagesConfig, WagtailImagesAppConfig),
    ("wagtaildocs", wagtail_apps.DocumentsConfig, WagtailDocsAppConfig),
    ("wagtailsnippets", wagtail_apps.SnippetsConfig, WagtailSnippetsAppConfig),
    ("wagtailredirects", wagtail_apps.RedirectsConfig, WagtailRedirectsAppConfig),
]
# What Wagtail's ready() calls to register its v3 API.
API_NAMES = {"api", "register_content_types"}


def calls(config) -> list[str]:
    """The statements of ``config.ready`` other than imports, as AST dumps."""
    source = textwrap.dedent(inspect.getsource(config.ready))
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    body = function.body
    return [
        ast.dump(statement)
        for statement in body
        if not isinstance(statement, ast.Import | ast.ImportFrom)
    ]


def uses_api(dump: str) -> bool:
    return any(f"Name(id='{name}'" in dump for name in API_NAMES)


@pytest.mark.parametrize(("label", "ours", "wagtails"), PAIRS)
def test_app_uses_the_config_without_the_api(label, ours, wagtails):
    config = apps.get_app_config(label)
    assert type(config) is ours
    assert isinstance(config, wagtails)


@pytest.mark.parametrize(("label", "ours", "wagtails"), PAIRS)
def test_ready_does_what_wagtails_does_less_the_api(label, ours, wagtails):
    # Fails when a Wagtail upgrade changes its ready(): bring the change over.
    upstream = calls(wagtails)
    assert any(uses_api(statement) for statement in upstream), (
        f"{wagtails.__name__}.ready() no longer registers the v3 API: "
        f"Wagtail's own config may do again for {label}"
    )
    assert calls(ours) == [s for s in upstream if not uses_api(s)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/feed/newsfeeditem/",
        "/admin/redirects/",
        "/admin/pages/",
        # The admin's own API (REST framework) runs without psycopg on SQLite.
        "/admin/api/main/pages/?child_of=root",
    ],
)
def test_admin_of_each_changed_app_still_answers(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_setup_imports_neither_the_api_nor_psycopg_on_sqlite(tmp_path):
    script = """
        import sys
        import django
        django.setup()
        heavy = ("ninja", "pydantic", "rest_framework", "wagtail.api.v3.api")
        print(",".join(name for name in heavy if sys.modules.get(name)))
        from wagtail import hooks
        hooks.search_for_hooks()  # What serving the first page does.
        print(",".join(n for n in ("ninja", "psycopg") if sys.modules.get(n)))
        """
    output = run_fresh_python(
        script, DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    )
    after_setup, after_hooks = output.splitlines()
    assert after_setup == ""
    assert after_hooks == ""
