import pytest
from wagtail.models import Page

from masthead.core.expressions import TrueLiteral


def test_true_literal_is_written_into_sqlite_sql_and_bound_elsewhere():
    assert TrueLiteral().as_sqlite(None, None) == ("1", [])
    assert TrueLiteral().as_sql(None, None) == ("%s", [True])


@pytest.mark.django_db
def test_true_literal_selects_what_true_selects():
    Page.objects.filter(depth=2).update(live=False)

    def pks(value):
        return list(
            Page.objects.filter(live=value).order_by("pk").values_list("pk", flat=True)
        )

    assert pks(TrueLiteral()) == pks(True)
    assert pks(TrueLiteral()) and pks(False)
