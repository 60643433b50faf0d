"""The demo has one stale translation (editions.py, #15)."""

import pytest

from masthead.content.models import ArticlePage, TranslationSync
from masthead.demo.build import build_demo
from masthead.demo.editions import PAIRS, STALE_UPDATE

from .test_demo import SMALL, frozen_clock  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def test_demo_has_one_stale_translation_and_a_rerun_keeps_it_so():
    build_demo(**SMALL)
    stale = TranslationSync.objects.stale()
    assert [sync.translation.slug for sync in stale] == [PAIRS[0].ukrainian.slug]
    source = ArticlePage.objects.get(pk=stale.get().source_id)
    assert STALE_UPDATE in source.body_html
    revisions = source.revisions.count()
    build_demo(**SMALL)
    assert ArticlePage.objects.get(pk=source.pk).revisions.count() == revisions
    assert TranslationSync.objects.stale().count() == 1


def test_demo_has_the_ukrainian_editions_own_roles():
    from django.contrib.auth.models import Group

    build_demo(**SMALL)
    assert Group.objects.filter(name="Editor (uk)").exists()
