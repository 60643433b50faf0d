"""The content language and its spellings (core/language.py, #14)."""

import pytest

from masthead.core.language import bcp47, content_language, og_locale


@pytest.mark.parametrize(
    ("code", "tag"),
    [("en", "en"), ("en-gb", "en-GB"), ("en_US", "en-US"), ("zh-hant", "zh-Hant")],
)
def test_django_codes_are_written_as_bcp47(code, tag):
    assert bcp47(code) == tag


@pytest.mark.parametrize(
    ("tag", "locale"),
    [("en", "en_US"), ("en-GB", "en_GB"), ("uk", "uk_UA"), ("pt-PT", "pt_PT")],
)
def test_og_locale_has_a_territory(tag, locale):
    assert og_locale(tag) == locale


def test_og_locale_is_left_out_for_an_unknown_territory():
    assert og_locale("eo") is None


def test_content_language_follows_the_setting(settings):
    settings.LANGUAGE_CODE = "uk"
    assert content_language() == "uk"
    settings.LANGUAGE_CODE = "en-gb"
    assert content_language() == "en-GB"
