"""The demo writer's data files: well formed, consistent, and fully filled in."""

import dataclasses
import string

import pytest

from masthead.demo import text
from masthead.demo.plan import plan_demo

STYLES = {"news", "business", "opinion", "culture"}


def _templates() -> list[str]:
    """Every template a story or News Feed post is written from."""
    found = [*text.HEADINGS, *text.CAPTIONS, *text.FEED_CLOSERS]
    found += text.FEED_LINKED_BODIES
    for by_style in (text.HEADLINES, text.STANDFIRSTS, text.SENTENCES, text.QUOTES):
        found += [template for templates in by_style.values() for template in templates]
    for headline, sentences in text.FEED_POSTS:
        found += [headline, *sentences]
    return found


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _is_strings(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(v, str) for v in value)


@pytest.mark.parametrize(
    "name",
    [
        "FIRST_NAMES",
        "LAST_NAMES",
        "OCCUPATIONS",
        "WEEKDAYS",
        "MONTHS",
        "ORDINALS",
        "WORK_ADJECTIVES",
        "WORK_NOUNS",
        "EVENTS",
        "SETTINGS",
        "UKRAINE_CITIES",
        "EUROPE_CITIES",
        "STUDIES",
        "WORK_TITLES",
        "HEADINGS",
        "CAPTIONS",
        "FEED_CLOSERS",
        "FEED_LINKED_BODIES",
        "BIO_SENTENCES",
    ],
)
def test_each_word_bank_is_a_list_of_strings(name):
    bank = getattr(text, name)

    assert _is_strings(bank)
    assert len(bank) >= 2


def test_entities_topics_and_sections_are_fully_described():
    for record in (*text.PEOPLE, *text.ORGANISATIONS, *text.PLACES, *text.TOPICS):
        for item in dataclasses.fields(record):
            value = getattr(record, item.name)
            if item.type == tuple[str, ...]:
                assert _is_strings(value), (record.name, item.name)
            else:
                assert isinstance(value, item.type), (record.name, item.name)
    for section in text.SECTIONS:
        assert section.kind in STYLES
        assert _is_strings(section.topics)
        assert _is_strings(section.places)
        assert _is_strings(section.job_titles)
    assert all(
        _is_strings(pair) and len(pair) == 2 for pair in text.EXTERNAL_PUBLISHERS
    )


def test_data_files_name_only_known_topics_and_places():
    topics = {topic.name for topic in text.TOPICS}
    places = {place.name for place in text.PLACES}

    for entity in (*text.PEOPLE, *text.ORGANISATIONS):
        assert set(entity.topics) <= topics, entity.name
    for section in text.SECTIONS:
        assert set(section.topics) <= topics, section.slug
        assert set(section.places) <= places, section.slug
    assert set(text.UKRAINE_CITIES + text.EUROPE_CITIES) <= places


def test_every_style_has_headlines_standfirsts_sentences_and_quotes():
    for by_style in (text.HEADLINES, text.STANDFIRSTS, text.SENTENCES, text.QUOTES):
        assert set(by_style) == STYLES
    assert set(text.SENTENCES["news"][: text.BUSINESS_BORROWS_NEWS]) <= set(
        text.SENTENCES["business"]
    )


def test_every_template_placeholder_is_one_the_writer_fills():
    # _Context leaves an unknown "{name}" in the text, so a typo in a data
    # file would otherwise reach the demo site.
    context = text.Writer(seed=1)._context(
        topic=text.TOPICS[0],
        place=text.PLACES[0],
        place2=text.PLACES[1],
        person=text.PEOPLE[0],
        org=text.ORGANISATIONS[0],
        org2=text.ORGANISATIONS[1],
    )

    unknown = {
        (template, name)
        for template in _templates()
        for name in _placeholders(template)
        if name not in context
    }

    assert unknown == set()
    assert set().union(*map(_placeholders, text.WORK_TITLES)) == {"a", "n"}


def test_a_written_plan_leaves_no_placeholder_unfilled():
    plan = plan_demo(articles=60, authors=20, tags=30, feed_items=60)

    texts = [a.text.bio for a in plan.authors]
    for article in plan.articles:
        texts += [article.title, article.standfirst, article.caption]
        for kind, value in article.blocks:
            if kind in ("paragraph", "heading"):
                texts.append(value)
            elif kind == "quote":
                texts += value
            elif kind == "external":
                texts += [value["title"], value["description"]]
    texts += [t for post in plan.feed for t in (post.headline, *post.paragraphs)]

    assert [t for t in texts if "{" in t or "}" in t] == []
