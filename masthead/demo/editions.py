"""The demo's Ukrainian edition at ``/uk/`` (issue #15, docs/editions.md).

The Ukrainian home page is a translation of the English one; four sections
are translations of English sections; two stories exist in both editions
(written here in English and in Ukrainian, linked as translations, their
pictures captioned and described in each language), three are Ukrainian
only; and the Ukrainian News Feed has posts of its own. The
text is original, and like the rest of the demo the people, places and
events are invented. Everything is found by slug or headline, so a second
run changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from wagtail.models import Locale

from masthead.content.editions import translate_page
from masthead.content.models import (
    ArticlePage,
    HomePage,
    SectionPage,
)
from masthead.content.services import create_article
from masthead.feed.models import NewsFeedItem
from masthead.newsroom.services import ensure_edition_roles
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from .articles import credit_rows
from .edition_names import ensure_ukrainian_picks, translate_shared_names
from .ukrainian_pictures import describe

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from masthead.core.models import LibraryImage

    from .library import Library

EDITION = "uk"
HOME_TITLE = "Головна"

# English section slug -> (Ukrainian title, slug, intro).
SECTIONS = {
    "ukraine": ("Україна", "ukraina", "Новини з усіх областей країни."),
    "europe": ("Європа", "yevropa", "Події в сусідніх країнах і в ЄС."),
    "business": ("Економіка", "ekonomika", "Гроші, робота, ціни та підприємства."),
    "culture": ("Культура", "kultura", "Книжки, театр, музика та кіно."),
}


@dataclass(frozen=True)
class Story:
    title: str
    slug: str
    standfirst: str
    paragraphs: tuple[str, ...]
    hero_caption: str = ""
    picture_caption: str = ""


@dataclass(frozen=True)
class Pair:
    """A story published in both editions: the English one and its translation.

    ``hero`` and ``picture`` pick the demo landscapes (by index) shown as
    its hero and, after the first paragraph, in its body; the English story
    uses the library's alt text, the Ukrainian one its own (#15).
    """

    section_slug: str
    minutes_ago: int
    english: Story
    ukrainian: Story
    hero: int = 0
    picture: int | None = None


PAIRS = (
    Pair(
        "ukraine",
        50,
        Story(
            "River ferry returns to Zelenyi Mys after two winters",
            "river-ferry-returns-to-zelenyi-mys",
            "The crossing cuts the trip to the district hospital from ninety "
            "minutes to twenty.",
            (
                "The small ferry that once carried farmers, pupils and "
                "patients across the river started running again on Monday, "
                "after the village council raised the money for a new engine.",
                "Until now residents of the left bank drove round by the "
                "bridge in the district town. In winter that road is often "
                "closed for hours.",
                "The ferry runs every hour from seven in the morning to seven "
                "in the evening; pupils and pensioners cross for free.",
            ),
            hero_caption="The left bank at Zelenyi Mys (an illustration).",
            picture_caption="The long way round, by the district bridge "
            "(an illustration).",
        ),
        Story(
            "Пором до Зеленого Мису знову курсує після двох зим перерви",
            "porom-do-zelenoho-mysu",
            "Переправа скорочує дорогу до районної лікарні з півтори години "
            "до двадцяти хвилин.",
            (
                "Невеликий пором, яким колись переправлялися фермери, школярі "
                "й пацієнти, у понеділок знову вийшов на річку: сільська рада "
                "зібрала гроші на новий двигун.",
                "Досі мешканці лівого берега їздили в обхід, через міст у "
                "районному центрі. Узимку цю дорогу часто перекривають на "
                "кілька годин.",
                "Пором ходить щогодини з сьомої ранку до сьомої вечора; "
                "школярі та пенсіонери переправляються безкоштовно.",
            ),
            hero_caption="Лівий берег біля Зеленого Мису (ілюстрація).",
            picture_caption="Довга дорога в обхід, через міст у райцентрі "
            "(ілюстрація).",
        ),
        hero=0,
        picture=1,
    ),
    Pair(
        "culture",
        170,
        Story(
            "A village library opens its doors at night for exam season",
            "village-library-opens-at-night",
            "Volunteers keep the reading room warm and lit until midnight.",
            (
                "For the next six weeks the library in Dubove stays open "
                "until midnight, so that pupils preparing for their exams "
                "have somewhere warm and quiet to work.",
                "Parents take turns on duty; a bakery on the square brings "
                "bread and tea every evening.",
            ),
            hero_caption="Evening falls over Dubove (an illustration).",
        ),
        Story(
            "Сільська бібліотека працює вночі, поки триває сесія",
            "biblioteka-pratsiuie-vnochi",
            "Волонтери підтримують тепло й світло в читальній залі до опівночі.",
            (
                "Наступні шість тижнів бібліотека в Дубовому відчинена до "
                "опівночі, щоб школярі, які готуються до іспитів, мали тепле й "
                "тихе місце для навчання.",
                "Батьки чергують по черзі, а пекарня на площі щовечора "
                "приносить хліб і чай.",
            ),
            hero_caption="Вечір над Дубовим (ілюстрація).",
        ),
        hero=2,
    ),
)

# Stories only the Ukrainian edition publishes: (section slug in English,
# minutes ago, story).
UKRAINIAN_ONLY = (
    (
        "ukraine",
        20,
        Story(
            "У Сосновці відкрили укриття в кожній школі",
            "u-sosnovtsi-ukryttia-v-shkolakh",
            "Останнє з п'яти укриттів здали на тиждень раніше за графік.",
            (
                "Усі п'ять шкіл міста тепер мають облаштовані укриття з "
                "вентиляцією, водою та запасним живленням.",
                "Директорка ліцею номер два каже, що вперше за три роки "
                "уроки під час тривоги не доведеться переривати надовго.",
            ),
        ),
    ),
    (
        "business",
        90,
        Story(
            "Сироварня з Полісся вийшла на ринок Польщі",
            "syrovarnia-z-polissia-v-polshchi",
            "Перша партія — дві тонни твердого сиру для мережі крамниць у Любліні.",
            (
                "Невелика родинна сироварня, що почала роботу в гаражі сім "
                "років тому, підписала перший експортний контракт.",
                "Власник каже, що найважче було не знайти покупця, а пройти "
                "перевірки лабораторії: на них пішло пів року.",
                "Тепер на підприємстві працюють двадцять людей, і його "
                "розширюють удвічі.",
            ),
        ),
    ),
    (
        "culture",
        240,
        Story(
            "Театр ляльок везе нову виставу селами області",
            "teatr-lialok-veze-vystavu",
            "За місяць актори планують показати казку в сорока громадах.",
            (
                "Вистава про лисичку й зимовий ліс розрахована на "
                "найменших глядачів; сцену актори складають за пів години.",
                "Квитків немає: громади лише домовляються про зал і чай для трупи.",
            ),
        ),
    ),
)

# (minutes ago, headline, text)
FEED_ITEMS = (
    (5, "Повітряна тривога в трьох областях", "Просимо читачів перейти в укриття."),
    (40, "Відбій тривоги", "У всіх областях тривогу скасовано."),
    (
        75,
        "У Сосновці відновили водопостачання",
        "Вода знову є в усіх будинках лівобережжя, повідомляє водоканал.",
    ),
    (
        130,
        "Пором до Зеленого Мису: розклад на вихідні",
        "У суботу й неділю перший рейс о восьмій ранку.",
    ),
)


def ensure_ukrainian_edition(
    home: HomePage,
    sections: dict[str, SectionPage],
    people: dict[str, Author],
    labels: dict[str, Tag],
    editor: "User",
    now: datetime,
    library: "Library | None" = None,
) -> int:
    """Add whatever of the Ukrainian edition is missing; return how many objects.

    Args:
        home: the English home page (the default edition's).
        sections: the English sections by slug.
        people, labels: the demo's authors and tags by slug; the first of
            each signs and files the stories.
        library: the demo's images, for the pictures of the stories in
            both editions; None for stories without pictures.
    """
    locale, new_locale = Locale.objects.get_or_create(language_code=EDITION)
    created = int(new_locale)
    uk_home = home.get_translation_or_none(locale)
    if uk_home is None:
        translate_page(home, EDITION, title=HOME_TITLE)
        created += 1
    uk_sections: dict[str, SectionPage] = {}
    for slug, (title, uk_slug, intro) in SECTIONS.items():
        if slug not in sections:
            continue
        created += int(not sections[slug].has_translation(locale))
        uk_sections[slug] = translate_page(
            sections[slug], EDITION, title=title, slug=uk_slug, intro=intro
        )
    # The edition's own desk: "Editor (uk)" and the other one-edition roles
    # need its home page (docs/editions.md, "Desks per edition").
    ensure_edition_roles()
    # Shared authors and tags, named in Ukrainian (#15).
    created += translate_shared_names(people, labels)
    byline = [people[slug] for slug in sorted(people)[:1]]
    tags = [labels[slug] for slug in sorted(labels)[:1]]
    for pair in PAIRS:
        if pair.section_slug not in sections or pair.section_slug not in uk_sections:
            continue
        english = ArticlePage.objects.filter(
            slug=pair.english.slug, section=sections[pair.section_slug]
        ).first()
        if english is None:
            english = _create(
                sections[pair.section_slug],
                pair.english,
                byline,
                tags,
                editor,
                now,
                pair.minutes_ago,
                **_pictured(pair, pair.english, library),
            )
            created += 1
        if not english.has_translation(locale):
            created += 1
        translate_page(
            english,
            EDITION,
            title=pair.ukrainian.title,
            slug=pair.ukrainian.slug,
            standfirst=pair.ukrainian.standfirst,
            # Pictured as the English story is (one made before pictures: none).
            **_pictured(
                pair, pair.ukrainian, library if english.hero_image_id else None
            ),
        )
        if pair is PAIRS[0]:
            created += _update_after_translation(english, editor)
    for section_slug, minutes_ago, story in UKRAINIAN_ONLY:
        section = uk_sections.get(section_slug)
        if section is None:
            continue
        if ArticlePage.objects.filter(slug=story.slug, section=section).exists():
            continue
        _create(section, story, byline, tags, editor, now, minutes_ago)
        created += 1
    created += ensure_ukrainian_picks(home, locale)
    return created + _ensure_feed(locale, now)


# The demo's one stale translation (#15): the English ferry story gained a
# paragraph after its Ukrainian translation was published, so the
# translation is flagged "source changed" (Reports → Stale translations).
STALE_UPDATE = (
    "Update: the council said on Tuesday that a second, larger ferry will "
    "join the crossing in May."
)


def _update_after_translation(english: ArticlePage, editor: "User") -> int:
    """Publish the English story again with one more paragraph, once."""
    english = ArticlePage.objects.get(pk=english.pk)
    if STALE_UPDATE in english.body_html:
        return 0
    english.body.append(("paragraph", f"<p>{STALE_UPDATE}</p>"))
    english.save_revision(user=editor).publish(user=editor)
    return 1


def _body(
    story: Story, picture: tuple[str, dict[str, Any]] | None = None
) -> list[tuple[str, Any]]:
    """The story's paragraphs, with ``picture`` (an image block) after the first."""
    body: list[tuple[str, Any]] = [
        ("paragraph", f"<p>{text}</p>") for text in story.paragraphs
    ]
    if picture is not None:
        body.insert(1, picture)
    return body


def _landscape(library: "Library", index: int) -> tuple["LibraryImage", str]:
    """Demo landscape ``index`` (wrapping round the plan's) and its Ukrainian alt."""
    index %= len(library.plan.scenes)
    return library.hero(index), describe(library.plan.scenes[index])


def _pictured(pair: Pair, story: Story, library: "Library | None") -> dict[str, Any]:
    """The fields of one edition's story, pictures included when ``library``.

    The Ukrainian story describes its pictures in Ukrainian (#15); the
    English one leaves the alt text to the library's English description.
    """
    if library is None or not library.plan.scenes:
        return {"body": _body(story)}
    in_ukrainian = story is pair.ukrainian
    hero, hero_alt = _landscape(library, pair.hero)
    picture = None
    if pair.picture is not None:
        image, alt = _landscape(library, pair.picture)
        picture = (
            "image",
            {
                "image": image,
                "caption": story.picture_caption,
                "alt_text": alt if in_ukrainian else "",
                "credit": "",
            },
        )
    return {
        "hero_image": hero,
        "hero_caption": story.hero_caption,
        "hero_alt_text": hero_alt if in_ukrainian else "",
        "body": _body(story, picture),
    }


def _create(
    section: SectionPage,
    story: Story,
    byline: list[Author],
    tags: list[Tag],
    editor: "User",
    now: datetime,
    minutes_ago: int,
    **fields: Any,
) -> ArticlePage:
    published_at = now - timedelta(minutes=minutes_ago)
    page = ArticlePage(
        title=story.title,
        slug=story.slug,
        standfirst=story.standfirst,
        **{"body": _body(story), **fields},
        published_at=published_at,
        first_published_at=published_at,
        **credit_rows(list(byline), list(tags)),
    )
    return create_article(section, page, user=editor)


def _ensure_feed(locale: Locale, now: datetime) -> int:
    existing = set(
        NewsFeedItem.objects.filter(
            locale=locale, headline__in=[headline for _, headline, _ in FEED_ITEMS]
        ).values_list("headline", flat=True)
    )
    new = 0
    for minutes_ago, headline, text in FEED_ITEMS:
        if headline in existing:
            continue
        NewsFeedItem(
            headline=headline,
            body=f"<p>{text}</p>",
            published_at=now - timedelta(minutes=minutes_ago),
            locale=locale,
        ).save()
        new += 1
    return new
