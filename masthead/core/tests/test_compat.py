"""The private Django and Wagtail parts in core/compat.py still behave (#12).

An upgrade that renames or reshapes one fails here, not on a page.
"""

import inspect

import pytest
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test import RequestFactory
from wagtail.models import Page, Site

from masthead.cache.pages import PublicPageMixin, site_for_request
from masthead.core import compat


def test_private_names_and_signatures_are_as_masthead_uses_them():
    assert list(inspect.signature(Site._find_for_request).parameters) == ["request"]
    method = getattr(Page, compat.SITE_ROOT_PATHS_METHOD)
    assert list(inspect.signature(method).parameters) == [
        "self",
        "cache_object",
        "kwargs",
    ]
    assert compat.SITE_ROOT_PATHS_METHOD in vars(PublicPageMixin)
    assert list(inspect.signature(SQLCompiler.get_converters).parameters) == [
        "self",
        "expressions",
    ]
    assert list(inspect.signature(Paginator._get_page).parameters) == [
        "self",
        "args",
        "kwargs",
    ]


@pytest.mark.django_db
def test_wagtail_reads_the_site_masthead_remembers_on_the_request():
    site = Site.objects.get(is_default_site=True)
    request = RequestFactory().get("/", HTTP_HOST=site.hostname)
    assert compat.find_site(request) == site
    assert compat.remembered_site(request) == (False, None)
    assert site_for_request(request) == site
    assert compat.remembered_site(request) == (True, site)
    # Wagtail's own lookup takes the remembered one without a query.
    sentinel = Site(hostname="remembered.example", root_page=site.root_page)
    compat.remember_site(request, sentinel, Site.get_site_root_paths())
    assert Site.find_for_request(request) is sentinel


@pytest.mark.django_db
def test_wagtail_builds_urls_from_the_remembered_root_paths():
    site = Site.objects.get(is_default_site=True)
    request = RequestFactory().get("/", HTTP_HOST=site.hostname)
    paths = [
        path._replace(root_url="http://elsewhere.example")
        for path in Site.get_site_root_paths()
    ]
    compat.remember_site(request, site, paths)
    root = site.root_page.specific
    assert root.get_url_parts(request)[1] == "http://elsewhere.example"


@pytest.mark.django_db
def test_converters_and_pages_come_back_in_the_shapes_used():
    queryset = Site.objects.all()
    compiler = queryset.query.get_compiler(connection=connection)
    compiler.setup_query()
    columns = [column for column, _, _ in compiler.select]
    assert isinstance(compat.converters(compiler, columns), dict)
    paginator = Paginator(list(range(5)), 2)
    page = compat.make_page(paginator, [2, 3], 2)
    assert isinstance(page, PaginatorPage)
    assert list(page) == [2, 3]
    assert page.number == 2
