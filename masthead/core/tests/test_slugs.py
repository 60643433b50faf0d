"""Slugs from headlines: Ukrainian in Latin letters by the official system (#15)."""

import pytest

from masthead.core.slugs import is_synced_from, latin, slug_from_text

# Ukraine's official transliteration (Cabinet of Ministers resolution No. 55,
# 2010): its own examples, with the rules that depend on a letter's place
# (є, ї, й, ю, я at the start of a word) and «зг» written "zgh".
OFFICIAL = {
    "Згорани": "Zghorany",
    "Київ": "Kyiv",
    "Юрій": "Yurii",
    "Щербухи": "Shcherbukhy",
    "Згурський": "Zghurskyi",
    "Яготин": "Yahotyn",
    "Знам'янка": "Znamianka",
    "Єнакієве": "Yenakiieve",
    "Гаївка": "Haivka",
    "Короп'є": "Koropie",
    "Ізмаїл": "Izmail",
    "Їжакевич": "Yizhakevych",
    "Розгон": "Rozghon",
    "Олексій Єрмолаєнко": "Oleksii Yermolaienko",
}


@pytest.mark.parametrize(("cyrillic", "expected"), OFFICIAL.items())
def test_ukrainian_follows_the_official_transliteration(cyrillic, expected):
    assert latin(cyrillic) == expected


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("Юрій Згурський — мер Яготина", "yurii-zghurskyi-mer-yahotyna"),
        # The typographic apostrophe is dropped, as the system says.
        ("Знам’янка: як живе місто", "znamianka-yak-zhyve-misto"),
        (
            "Євросоюз і Україна: «вікно можливостей»",
            "yevrosoiuz-i-ukraina-vikno-mozhlyvostei",
        ),
        # Latin text is untouched but for folded accents.
        ("Café owners in Lviv reopen", "cafe-owners-in-lviv-reopen"),
        ("ЗСУ звільнили 3 села", "zsu-zvilnyly-3-sela"),
        # Another script keeps its letters rather than becoming empty.
        ("Αθήνα σήμερα", "αθήνα-σήμερα"),
        ("— «» —", ""),
    ],
)
def test_a_headline_gives_a_latin_slug(headline, slug):
    assert slug_from_text(headline) == slug


def test_a_long_ukrainian_headline_is_cut_at_a_word():
    slug = slug_from_text("Президент підписав закон про " + "відновлення " * 12)
    assert len(slug) <= 80
    assert slug.endswith("vidnovlennia")


def test_only_the_editors_own_copy_of_the_headline_counts_as_synced():
    title = "Мер Яготина"
    assert is_synced_from("мер-яготина", title)
    # Typed by hand, or already Latin: the editor's choice is kept.
    assert not is_synced_from("yahotyn", title)
    assert not is_synced_from("мер", title)
    assert not is_synced_from("mer-iahotyna", "Mer Iahotyna")
