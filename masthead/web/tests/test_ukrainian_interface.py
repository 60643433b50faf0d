"""The reader's interface in Ukrainian: labels, plurals and dates (#15).

Pages are requested under ``/uk/``, where the edition's middleware makes
Ukrainian the active language for the whole request (core/editions.py).
"""

import ast
import datetime
import gettext
import re
from pathlib import Path

import django
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import translation

import masthead.core
from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models import ArticlePage, Genre
from masthead.feed.factories import NewsFeedItemFactory
from masthead.search.backends import reset_backends

CATALOGUE = Path(masthead.core.__file__).parent / "locale/uk/LC_MESSAGES/django.po"
DJANGO_UK = Path(django.__file__).parent / "conf/locale/uk/LC_MESSAGES/django.po"
KYIV = datetime.timezone(datetime.timedelta(hours=2))
# Thursday 3 December 2026, 14:05 in Kyiv.
THURSDAY = datetime.datetime(2026, 12, 3, 14, 5, tzinfo=KYIV)

# Interface labels that must not survive in a Ukrainian page, as whole texts
# of an element or an attribute.
ENGLISH_LABELS = {
    "Skip to content",
    "News Feed",
    "Most Popular",
    "Editors' Picks",
    "Show More",
    "Older stories",
    "Newest stories",
    "Archive by date",
    "All tags",
    "All authors",
    "Search",
    "Search articles",
    "Site search",
    "Top stories",
    "Latest",
    "More stories",
    "Last 24 hours",
    "Last 7 days",
    "Nothing to rank yet.",
    "No picks yet.",
    "No posts yet.",
    "Related articles",
    "Tags",
    "Main",
    "Sections",
    "Footer",
    "Page not found",
    "Words to find",
    "Analysis",
}
LABEL_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


def read_po(path: Path) -> tuple[dict[str, str], dict[tuple, list[str]]]:
    """The header and ``(context, msgid, plural) -> msgstrs`` of a .po file.

    Enough of the format for catalogues that makemessages writes: no
    obsolete entries, strings in C escapes.
    """
    entries: dict[tuple, list[str]] = {}
    header: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(
                r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (.*)$", line
            )
            if match:
                key, line = match.groups()
            fields[key] = fields.get(key, "") + ast.literal_eval(line)
        if fields.get("msgid") == "":
            header = dict(
                line.split(": ", 1) for line in fields["msgstr"].splitlines() if line
            )
            continue
        forms = [
            value for name, value in sorted(fields.items()) if name.startswith("msgstr")
        ]
        entries[
            (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
        ] = forms
    return header, entries


@pytest.fixture
def uk_home():
    """The Ukrainian edition's home page, translated from the English one."""
    return home_page("uk")


@pytest.fixture
def uk_section(uk_home):
    return make_section("Світ", "svit", home=uk_home)


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def text(node) -> str:
    return node.get_text(" ", strip=True)


def english_leftovers(soup: BeautifulSoup) -> set[str]:
    """The ``ENGLISH_LABELS`` a page still shows or reads out."""
    found = set()
    for element in soup.find_all(True):
        if element.name in {"script", "style"}:
            continue
        own = element.get_text(strip=True)
        if own in ENGLISH_LABELS:
            found.add(own)
        for attribute in LABEL_ATTRIBUTES:
            value = element.get(attribute)
            if isinstance(value, str) and value.strip() in ENGLISH_LABELS:
                found.add(value.strip())
    return found


# The catalogue ---------------------------------------------------------------


def test_compiled_catalogue_matches_its_source():
    """A .po edited without compilemessages fails here, not in production."""
    _, entries = read_po(CATALOGUE)
    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    assert len(entries) > 100
    for (context, msgid, plural), forms in entries.items():
        assert all(forms), f"untranslated: {msgid!r}"
        if plural is None:
            if context is None:
                assert compiled.gettext(msgid) == forms[0], msgid
            else:
                assert compiled.pgettext(context, msgid) == forms[0], msgid
        else:
            # A number for each form that counts can take: 1, 2 and 5 (the
            # fourth is for fractions, which no count here is).
            for n, form in zip((1, 2, 5), forms, strict=False):
                got = (
                    compiled.ngettext(msgid, plural, n)
                    if context is None
                    else compiled.npgettext(context, msgid, plural, n)
                )
                assert got == form, (msgid, n)


def test_catalogue_uses_djangos_ukrainian_plural_rule():
    header, _ = read_po(CATALOGUE)
    django_header, _ = read_po(DJANGO_UK)

    assert header["Language"] == "uk"
    assert header["Plural-Forms"] == django_header["Plural-Forms"]


def test_date_formats_stay_as_they_were_in_english():
    """English has no catalogue: each format falls back to its msgid."""
    _, entries = read_po(CATALOGUE)
    formats = [
        msgid for (context, msgid, _), _ in entries.items() if context == "date format"
    ]

    assert "l, F j" in formats
    with translation.override("en"):
        for msgid in formats:
            assert translation.pgettext("date format", msgid) == msgid


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 результат"),
        (2, "2 результати"),
        (4, "4 результати"),
        (5, "5 результатів"),
        (11, "11 результатів"),
        (14, "14 результатів"),
        (21, "21 результат"),
        (22, "22 результати"),
        (25, "25 результатів"),
    ],
)
def test_counts_take_the_three_ukrainian_plural_forms(count, expected):
    with translation.override("uk"):
        got = translation.ngettext("%(shown)s result", "%(shown)s results", count)
    assert got % {"shown": count} == expected


# Pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_reads_in_ukrainian(client, uk_section):
    for _ in range(3):
        make_article(uk_section, published_at=THURSDAY)
    NewsFeedItemFactory(published_at=THURSDAY, locale=uk_section.locale)

    with time_machine.travel(THURSDAY + datetime.timedelta(hours=1), tick=False):
        soup = page(client.get("/uk/"))

    assert text(soup.select_one(".skip-link")) == "Перейти до змісту"
    assert text(soup.select_one(".site-nav__feed")) == "Стрічка новин"
    assert text(soup.select_one("#most-popular-heading")) == "Найпопулярніше"
    assert text(soup.select_one("#editors-picks-heading")) == "Вибір редакції"
    assert text(soup.select_one(".search-small__button")) == "Шукати"
    assert soup.select_one(".search-small__input")["placeholder"] == "Пошук"
    footer_links = [text(a) for a in soup.select(".site-footer a")]
    assert {"Архів за датами", "Усі теги", "Усі автори"} <= set(footer_links)
    feed_box = soup.select_one(".feed-box")
    assert text(feed_box.select_one(".feed-day time")) == "четвер, 3 грудня"
    assert text(feed_box.select_one(".feed-box__more a")) == "Показати більше"
    assert text(soup.select_one(".teaser__meta time")) == "3 грудня 2026"
    assert english_leftovers(soup) == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (1, "1 хв читання"),
        (2, "2 хв читання"),
        (5, "5 хв читання"),
        (21, "21 хв читання"),
    ],
)
def test_article_read_time_in_ukrainian(client, uk_section, minutes, expected):
    article = make_article(uk_section)
    ArticlePage.objects.filter(pk=article.pk).update(read_time_minutes=minutes)

    soup = page(client.get(article.url))

    assert text(soup.select_one(".article__read-time")) == expected


@pytest.mark.django_db
def test_article_page_reads_in_ukrainian(client, uk_section):
    article = make_article(uk_section, genre=Genre.ANALYSIS, published_at=THURSDAY)

    soup = page(client.get(article.url))

    header = soup.select_one(".article__header")
    assert text(header.select_one(".genre-label")) == "Аналітика"
    assert text(header.select_one(".byline__names")).startswith("Текст: ")
    assert text(header.select_one(".article__dates time")) == "3 грудня 2026, 14:05"
    assert text(soup.select_one(".author-box__more")).startswith("Більше матеріалів")
    assert english_leftovers(soup) == set()


@pytest.mark.django_db
def test_news_feed_day_headings_in_ukrainian(client, uk_home):
    with time_machine.travel(THURSDAY + datetime.timedelta(hours=1), tick=False):
        NewsFeedItemFactory(
            headline="Світло повернулося",
            published_at=THURSDAY,
            locale=uk_home.locale,
        )
        soup = page(client.get("/uk/news-feed/"))

    assert text(soup.select_one("main h1")) == "Стрічка новин"
    day = soup.select_one(".news-feed__day .feed-day time")
    assert day["datetime"] == "2026-12-03"
    # Weekday and day, the month in the genitive, as Ukrainian writes a date.
    assert text(day) == "четвер, 3 грудня"
    assert text(soup.select_one(".feed-post .feed-item__time")) == "14:05"
    assert english_leftovers(soup) == set()


@pytest.mark.django_db
def test_search_page_reads_in_ukrainian(client, uk_home):
    soup = page(client.get("/uk/search/"))

    assert text(soup.select_one("main h1")) == "Пошук"
    assert text(soup.select_one("label[for=search-q]")) == "Що шукати"
    assert text(soup.select_one(".search-form__filters legend")) == "Уточнити пошук"
    assert text(soup.select_one("label[for=search-section]")) == "Рубрика"
    assert text(soup.select_one("#search-section option")) == "Усі рубрики"
    assert soup.title.get_text().startswith("Пошук | ")
    summary = text(soup.select_one("#search-summary"))
    assert summary in {
        "Шукайте серед усіх опублікованих статей за заголовком, текстом, "
        "тегами чи авторами.",
        "Пошук зараз недоступний. Спробуйте ще раз за кілька хвилин.",
    }
    assert english_leftovers(soup) == set()


@pytest.mark.django_db
def test_not_found_page_reads_in_ukrainian(client, uk_home):
    response = client.get("/uk/no/such/page/")

    assert response.status_code == 404
    soup = page(response)
    assert text(soup.select_one("main h1")) == "Сторінку не знайдено"
    assert soup.title.get_text().startswith("Сторінку не знайдено | ")
    links = [text(a) for a in soup.select(".error-page a")]
    assert links == ["Перейдіть на головну", "читайте стрічку новин"]
    assert english_leftovers(soup) == set()


@pytest.mark.django_db
def test_english_interface_is_unchanged(client):
    article = make_article(genre=Genre.ANALYSIS, published_at=THURSDAY)
    ArticlePage.objects.filter(pk=article.pk).update(read_time_minutes=1)

    soup = page(client.get(article.url))

    header = soup.select_one(".article__header")
    assert text(header.select_one(".genre-label")) == "Analysis"
    assert text(header.select_one(".article__read-time")) == "1 min read"
    assert text(header.select_one(".byline__names")).startswith("by ")
    assert text(header.select_one(".article__dates time")) == "December 3, 2026 2:05 PM"
    assert text(soup.select_one("#most-popular-heading")) == "Most Popular"


@pytest.mark.django_db
def test_search_results_are_counted_in_ukrainian(
    client, settings, tmp_path, uk_section, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_SEARCH_BACKEND = "masthead.search.backends.tantivy.TantivyBackend"
    settings.MASTHEAD_SEARCH_INDEX_DIR = tmp_path / "search-index"
    reset_backends()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_article(uk_section, title="Zebra у Львові", published_at=THURSDAY)
            make_article(uk_section, title="Zebra у Києві", published_at=THURSDAY)
        soup = page(client.get("/uk/search/", {"q": "zebra"}))
    finally:
        reset_backends()

    assert text(soup.select_one(".search-count")) == "2 результати за запитом zebra"
    dates = {text(time) for time in soup.select(".search-result time")}
    assert dates == {"3 грудня 2026"}
    assert english_leftovers(soup) == set()


@pytest.mark.django_db
def test_stored_body_is_rendered_in_the_articles_edition(uk_section):
    """The body's HTML is made once at save, in the page's language, not the
    language of whoever saved it."""
    timeline = {
        "title": "Як прийшла повінь",
        "entries": [{"date": "2026-03-02", "time": "14:30", "title": "Дамба"}],
    }

    with translation.override("en"):
        article = make_article(uk_section, body=[("timeline", timeline)])

    stored = ArticlePage.objects.get(pk=article.pk).body_html
    when = BeautifulSoup(stored, "html5lib").select_one(".timeline__when")
    assert text(when) == "2 березня 2026, 14:30"
