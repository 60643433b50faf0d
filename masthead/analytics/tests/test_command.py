from io import StringIO

import pytest
from django.core.management import call_command

from masthead.analytics.models import PopularArticle
from masthead.analytics.services import record_view
from masthead.content.factories import make_article

pytestmark = pytest.mark.django_db


def test_refresh_popular_command_writes_both_windows():
    article = make_article()
    record_view(article.pk, "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")
    out = StringIO()
    call_command("refresh_popular", stdout=out)
    assert set(PopularArticle.objects.values_list("window_days", "article")) == {
        (1, article.pk),
        (7, article.pk),
    }
    assert "7 day(s): 1 articles" in out.getvalue()
