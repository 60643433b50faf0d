"""The WordPress sample through the writer: the parser's records fit it (#18).

The one database test of the parser; the mapping itself is tested without a
database in test_wordpress*.py.
"""

import pytest

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage, StandardPage
from masthead.importers import wordpress
from masthead.importers.tests.test_wordpress import EXPORT
from masthead.importers.writer import write

pytestmark = pytest.mark.django_db


def test_sample_export_is_written_and_nothing_hidden_goes_public():
    local = make_section("Local", "local")
    report = write(wordpress.parse(EXPORT))
    assert report.error == ""
    park = ArticlePage.objects.get(slug="park-reopens")
    assert park.live
    assert park.section_id == local.pk
    kinds = {child.block_type for child in park.body}
    assert {"paragraph", "heading", "embed", "quote", "image"} <= kinds
    # Images come from wp-content/uploads/ next to the export file.
    assert not [p for p in report.problems if "not found" in p.message]
    assert StandardPage.objects.get(slug="about").live
    # Never public: the draft, the scheduled post, the private one, the
    # password-protected one (a draft), and the trash (never written).
    assert not ArticlePage.objects.get(slug="library-hours-draft").live
    assert not ArticlePage.objects.get(slug="festival-programme").live
    assert not ArticlePage.objects.filter(slug="staff-rota").exists()
    protected = ArticlePage.objects.get(slug="members-preview")
    assert not protected.live
    assert not ArticlePage.objects.published().filter(pk=protected.pk).exists()
    assert not ArticlePage.objects.filter(slug__startswith="old-parking").exists()
