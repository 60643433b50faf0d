"""Ukrainian names of the demo's shared authors and tags (#15, docs/editions.md).

Authors and tags are the same in both editions; here they get their words
in Ukrainian through the services editors' translations go through. The
authors' names are spelt word by word (every demo name is drawn from the
word banks in data/words.toml), topics and places have their Ukrainian
names, and what has no Ukrainian name here (the invented organisations)
keeps its English one. An author or tag that has a Ukrainian translation
already is left as it is, so a second run changes nothing.
"""

from wagtail.models import Locale

from masthead.content.models import (
    ArticlePage,
    CurationSettings,
    EditorsPick,
    HomePage,
)
from masthead.people.models import Author
from masthead.people.services import translate_author
from masthead.taxonomy.models import Tag
from masthead.taxonomy.services import translate_tag

from .text import PUBLICATION_NAME

EDITION = "uk"
UKRAINIAN_PICKS = 3

# Every word of the demo's authors' names and of its Ukrainian people.
NAME_WORDS = {
    "Olena": "Олена",
    "Taras": "Тарас",
    "Iryna": "Ірина",
    "Mykola": "Микола",
    "Oksana": "Оксана",
    "Yurii": "Юрій",
    "Halyna": "Галина",
    "Dmytro": "Дмитро",
    "Marta": "Марта",
    "Serhii": "Сергій",
    "Kateryna": "Катерина",
    "Andrii": "Андрій",
    "Sofia": "Софія",
    "Lukas": "Лукас",
    "Ines": "Інес",
    "Pieter": "Пітер",
    "Agnieszka": "Агнешка",
    "Tomasz": "Томаш",
    "Clara": "Клара",
    "Mateo": "Матео",
    "Amara": "Амара",
    "Kenji": "Кендзі",
    "Priya": "Прія",
    "Leila": "Лейла",
    "Samuel": "Семюел",
    "Nino": "Ніно",
    "Emre": "Емре",
    "Ruta": "Рута",
    "Melnychuk": "Мельничук",
    "Savchenko": "Савченко",
    "Horbach": "Горбач",
    "Levchuk": "Левчук",
    "Demianenko": "Дем'яненко",
    "Rudenko": "Руденко",
    "Ostapenko": "Остапенко",
    "Lysenko": "Лисенко",
    "Koval": "Коваль",
    "Sydorenko": "Сидоренко",
    "Marchetti": "Маркетті",
    "Van": "Ван",
    "der": "дер",
    "Berg": "Берг",
    "Nowicka": "Новіцька",
    "Brandt": "Брандт",
    "Okoye": "Окойє",
    "Haddad": "Хаддад",
    "Sato": "Сато",
    "Iyer": "Аєр",
    "Novak": "Новак",
    "Beridze": "Берідзе",
    "Kaya": "Кая",
    "Jankauskas": "Янкаускас",
    "Whitfield": "Вітфілд",
    "Moreau": "Моро",
    "Ostap": "Остап",
    "Verbytsky": "Вербицький",
    "Solomiia": "Соломія",
    "Hrytsenko": "Гриценко",
    "Anton": "Антон",
    "Berezhnyi": "Бережний",
    "Yaroslava": "Ярослава",
    "Tkachuk": "Ткачук",
    "Bohdan": "Богдан",
    "Kravets": "Кравець",
    "Petro": "Петро",
    "Zahorodnii": "Загородній",
}

JOB_TITLES = {
    "Ukraine correspondent": "Кореспондент в Україні",
    "Kyiv bureau chief": "Керівник київського бюро",
    "Regional reporter": "Регіональний репортер",
    "Europe editor": "Редактор європейських новин",
    "Brussels correspondent": "Кореспондент у Брюсселі",
    "Central Europe reporter": "Репортер із Центральної Європи",
    "World affairs reporter": "Оглядач міжнародних подій",
    "Foreign editor": "Редактор міжнародного відділу",
    "Business reporter": "Репортер з економіки",
    "Economics editor": "Економічний редактор",
    "Markets reporter": "Репортер фінансових ринків",
    "Columnist": "Колумніст",
    "Opinion editor": "Редактор розділу думок",
    "Contributing writer": "Позаштатний автор",
    "Culture writer": "Оглядач культури",
    "Film critic": "Кінокритик",
    "Books editor": "Книжковий редактор",
}

# Tag name -> Ukrainian name and description.
TAGS = {
    "Energy": ("Енергетика", "Електрика, тепло та енергомережа."),
    "Reconstruction": ("Відбудова", "Відновлення житла, мостів і громадських споруд."),
    "Agriculture": ("Сільське господарство", "Поля, врожаї, фермери та експорт зерна."),
    "Transport": ("Транспорт", "Дороги, залізниця, пороми та міський транспорт."),
    "Climate": ("Клімат", "Погода, посухи, повені та зміни клімату."),
    "Elections": ("Вибори", "Кампанії, голосування та їхні результати."),
    "Technology": ("Технології", "Цифрові послуги, стартапи та зв'язок."),
    "Trade": ("Торгівля", "Експорт, імпорт, кордони та митниця."),
    "Housing": ("Житло", "Оренда, будівництво та ціни на квартири."),
    "Education": ("Освіта", "Школи, університети, вчителі та учні."),
    "Health": ("Здоров'я", "Лікарні, лікарі та громадське здоров'я."),
    "Books": ("Книжки", "Нові видання, автори та книжкові фестивалі."),
    "Film": ("Кіно", "Фільми, фестивалі та кінотеатри."),
    "Music": ("Музика", "Концерти, альбоми та музиканти."),
    "Kyiv": ("Київ", ""),
    "Lviv": ("Львів", ""),
    "Kharkiv": ("Харків", ""),
    "Odesa": ("Одеса", ""),
    "Dnipro": ("Дніпро", ""),
    "Chernihiv": ("Чернігів", ""),
    "Mykolaiv": ("Миколаїв", ""),
    "Poltava": ("Полтава", ""),
    "Warsaw": ("Варшава", ""),
    "Berlin": ("Берлін", ""),
    "Brussels": ("Брюссель", ""),
    "Vilnius": ("Вільнюс", ""),
    "Bucharest": ("Бухарест", ""),
    "Chișinău": ("Кишинів", ""),
    "Prague": ("Прага", ""),
    "Tbilisi": ("Тбілісі", ""),
    "Istanbul": ("Стамбул", ""),
    "Nairobi": ("Найробі", ""),
}


def ukrainian_name(name: str) -> str | None:
    """``name`` spelt in Ukrainian word by word; None if a word is unknown."""
    words = name.replace("-", " - ").split()
    if not all(word in NAME_WORDS or word == "-" for word in words):
        return None
    return " ".join(NAME_WORDS.get(word, word) for word in words).replace(" - ", "-")


def translate_shared_names(people: dict[str, Author], labels: dict[str, Tag]) -> int:
    """Give the demo's authors and tags their Ukrainian words; return how many."""
    translated = 0
    for author in people.values():
        if EDITION in author.translations:
            continue
        name = ukrainian_name(author.name) or author.name
        job_title = JOB_TITLES.get(author.job_title, "")
        role = job_title[:1].lower() + job_title[1:] if job_title else "автор"
        bio = f"{name} — {role} видання {PUBLICATION_NAME}."
        translate_author(author, EDITION, name=name, job_title=job_title, bio=bio)
        translated += 1
    for tag in labels.values():
        if EDITION in tag.translations:
            continue
        if tag.name in TAGS:
            name, description = TAGS[tag.name]
        elif (person := ukrainian_name(tag.name)) is not None:
            name, description = person, ""
        else:
            # Case: an invented organisation: its English name in both.
            continue
        translate_tag(tag, EDITION, name=name, description=description)
        translated += 1
    return translated


def ensure_ukrainian_picks(home: HomePage, locale: Locale) -> int:
    """Add the newest Ukrainian stories to Editors' Picks when none is there.

    One list serves both editions; each shows the picks that are its
    articles (docs/editions.md). Returns how many picks were added.
    """
    site = home.get_site()
    if site is None:
        return 0
    curation = CurationSettings.for_site(site)
    picks = EditorsPick.objects.filter(settings=curation)
    if picks.filter(article__locale=locale).exists():
        return 0
    after = picks.order_by("-sort_order").values_list("sort_order", flat=True).first()
    start = 0 if after is None else after + 1
    newest = (
        ArticlePage.objects.published()
        .filter(locale=locale)
        .newest_first()[:UKRAINIAN_PICKS]
    )
    rows = [
        EditorsPick(settings=curation, article=article, sort_order=start + order)
        for order, article in enumerate(newest)
    ]
    EditorsPick.objects.bulk_create(rows)
    return len(rows)
