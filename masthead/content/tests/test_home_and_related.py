from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models import ArticlePage, HomeStory
from masthead.content.services import refresh_related, related_scores
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db


def titles(soup, selector):
    return [a.get_text(strip=True) for a in soup.select(selector)]


def front_page(client):
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_front_page_leads_with_the_latest_article_by_default(client):
    section = make_section()
    make_article(section, title="Older story")
    make_article(section, title="Newest story")
    soup = front_page(client)
    assert titles(soup, ".lead-story__title a") == ["Newest story"]
    assert "Older story" in titles(soup, ".home-secondary .teaser__title a")


def test_editors_choose_lead_and_secondary_stories(client):
    section = make_section()
    chosen_lead = make_article(section, title="Chosen lead")
    chosen_second = make_article(section, title="Chosen second")
    make_article(section, title="Latest filler")
    home = home_page()
    home.lead_article = chosen_lead
    home.save()
    HomeStory.objects.create(home=home, article=chosen_second, sort_order=0)

    soup = front_page(client)

    assert titles(soup, ".lead-story__title a") == ["Chosen lead"]
    secondary = titles(soup, ".home-secondary .teaser__title a")
    assert secondary[0] == "Chosen second"
    assert "Chosen lead" not in secondary
    assert "Latest filler" in secondary


def test_unpublished_choice_falls_back_to_latest(client):
    section = make_section()
    withdrawn = make_article(section, title="Withdrawn lead")
    make_article(section, title="Latest story")
    home = home_page()
    home.lead_article = withdrawn
    home.save()
    withdrawn.unpublish()
    soup = front_page(client)
    assert titles(soup, ".lead-story__title a") == ["Latest story"]
    assert "Withdrawn lead" not in soup.get_text()


def test_front_page_lists_each_sections_newest(client):
    europe, world = make_section("Europe", "europe"), make_section("World", "world")
    make_article(europe, title="Europe story")
    make_article(world, title="World story")
    soup = front_page(client)
    blocks = {
        block.h2.get_text(strip=True): titles(block, ".teaser__title a")
        for block in soup.select(".section-block")
    }
    assert blocks == {"Europe": ["Europe story"], "World": ["World story"]}


def test_related_prefers_rarer_shared_tags_and_skips_itself_and_drafts():
    section = make_section()
    common = TagFactory(name="War")
    rare = TagFactory(name="Kherson dam")
    for _ in range(5):
        make_article(section, tags=[common])
    shares_rare = make_article(section, tags=[rare], title="Shares the rare tag")
    shares_common = make_article(section, tags=[common], title="Shares the common tag")
    draft = make_article(section, tags=[rare, common], publish=False)
    article = make_article(section, tags=[common, rare])

    related = refresh_related(article)

    assert related[0] == shares_rare.pk
    assert shares_common.pk in related
    assert article.pk not in related
    assert draft.pk not in related
    assert ArticlePage.objects.get(pk=article.pk).related_ids == related


def test_related_scores_favour_recent_and_same_section():
    now = timezone.now()
    article = ArticlePage(pk=1, section_id=10, published_at=now)
    candidates = {
        2: {"tags": {7}, "section_id": 10, "published_at": now - timedelta(days=2)},
        3: {"tags": {7}, "section_id": 99, "published_at": now - timedelta(days=2)},
        4: {"tags": {7}, "section_id": 10, "published_at": now - timedelta(days=300)},
        1: {"tags": {7}, "section_id": 10, "published_at": now},
    }
    assert related_scores(article, candidates, {7: 3}, 100) == [2, 3, 4]


def test_related_articles_show_under_the_article(client):
    section = make_section()
    tag = TagFactory()
    other = make_article(section, tags=[tag], title="The other one")
    article = make_article(section, tags=[tag])
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert titles(soup, ".related-articles .teaser__title a") == [other.title]


def test_related_article_withdrawn_later_disappears(client):
    section = make_section()
    tag = TagFactory()
    other = make_article(section, tags=[tag])
    article = make_article(section, tags=[tag])
    other.unpublish()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert not soup.select(".related-articles")
