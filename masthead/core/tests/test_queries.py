"""Prepared queries give what their queryset gives, and refuse frozen values."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.core.queries import Prepared

pytestmark = pytest.mark.django_db


def newest_in_section(section_id):
    return (
        ArticlePage.objects.published()
        .in_section(section_id)
        .newest_first()
        .values_list("pk", flat=True)[:3]
    )


def test_prepared_ids_match_the_queryset_for_every_value():
    sections = [make_section(f"S{i}", f"s{i}") for i in range(3)]
    for index, section in enumerate(sections):
        for _ in range(index + 2):
            make_article(section)
    make_article(sections[0]).unpublish()
    prepared = Prepared(newest_in_section)
    for section in sections:
        assert prepared.ids(section.pk) == list(newest_in_section(section.pk))
    assert prepared.ids(-1) == []


def test_prepared_query_compiles_once():
    section = make_section()
    make_article(section)
    prepared = Prepared(newest_in_section)
    calls = []

    def counting(section_id):
        calls.append(section_id)
        return newest_in_section(section_id)

    prepared.build = counting
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            prepared.ids(section.pk)
        assert len(captured) == 1
    # Built twice when first compiled (two sets of markers), never again.
    assert len(calls) == 2


def test_value_frozen_at_compile_time_is_refused():
    frozen = Prepared(
        lambda section_id: ArticlePage.objects.filter(
            section_id=section_id, published_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    with pytest.raises(ValueError, match="would be fixed"):
        frozen.ids(1)


def test_value_that_never_reaches_the_sql_is_refused():
    unused = Prepared(lambda section_id: ArticlePage.objects.values_list("pk"))
    with pytest.raises(ValueError, match="must reach"):
        unused.ids(1)


def test_prepared_instances_equal_the_orm_ones_field_by_field():
    from masthead.content.models import ARTICLE_BY_URL

    article = make_article(make_section("Prep", "prep"), title="Prepared words")
    [found] = ARTICLE_BY_URL.instances(article.slug, article.url_path)
    fresh = ArticlePage.objects.get(pk=article.pk)
    assert type(found) is ArticlePage
    for field in ArticlePage._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(fresh, field.attname), field
    assert ARTICLE_BY_URL.instances(article.slug, "/elsewhere/") == []


def test_constant_of_the_shape_is_kept():
    # PostgreSQL binds the literal of ``live = TRUE`` as a parameter.
    with_constant = Prepared(
        lambda section_id: ArticlePage.objects.filter(
            section_id=section_id, live=True
        ).values_list("pk", flat=True)
    )
    article = make_article()
    assert with_constant.ids(article.section_id) == [article.pk]


def test_prepared_instances_are_saved_rows_of_their_database():
    from masthead.content.models import ARTICLE_BY_URL

    article = make_article()
    [found] = ARTICLE_BY_URL.instances(article.slug, article.url_path)
    assert found._state.adding is False
    assert found._state.db == "default"
    assert found.section == article.section


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: ArticlePage.objects.filter(pk=pk).values("pk", "title"),
        lambda pk: ArticlePage.objects.filter(pk=pk).only("pk", "title"),
        lambda pk: ArticlePage.objects.filter(pk=pk).select_related("section"),
    ],
    ids=["values", "deferred", "select_related"],
)
def test_instances_refuse_shapes_that_are_not_whole_rows(build):
    article = make_article()
    with pytest.raises(TypeError, match="whole model rows"):
        Prepared(build).instances(article.pk)
    # Their rows are still there to read.
    assert Prepared(build).rows(article.pk)


def published_between(start, end):
    return (
        ArticlePage.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .newest_first()
        .values_list("published_at", "pk")
    )


def test_datetime_values_match_the_queryset_and_come_back_converted():
    section = make_section()
    now = timezone.now().replace(microsecond=0)
    times = [now - timedelta(hours=hours) for hours in (1, 5, 30, 80)]
    for moment in times:
        make_article(section, published_at=moment)
    prepared = Prepared(published_between)
    windows = [
        (now - timedelta(hours=6), now),
        (now - timedelta(days=2), now - timedelta(hours=6)),
        # An aware time in another zone is the same instant.
        (
            (now - timedelta(days=4)).astimezone(ZoneInfo("Europe/Kyiv")),
            now - timedelta(days=2),
        ),
        (now + timedelta(days=1), now + timedelta(days=2)),
    ]
    for start, end in windows:
        expected = list(published_between(start, end))
        assert prepared.values(start, end) == expected
    # Converted as the ORM converts: aware datetimes, equal to what was saved.
    assert [row[0] for row in prepared.values(*windows[0])] == times[:2]
    assert all(row[0].tzinfo is not None for row in prepared.values(*windows[0]))
