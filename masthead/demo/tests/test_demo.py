"""The ``masthead demo`` content: planned from a seed, built once, rerun safely."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image
from wagtail.models import Site

from masthead.analytics.models import DailyArticleViews, PopularArticle
from masthead.comments.models import Comment
from masthead.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    EditorsPick,
    HomeStory,
    SectionPage,
)
from masthead.content.models.live import LiveStatus
from masthead.content.visibility import Access
from masthead.core.models import LibraryImage, SiteSettings
from masthead.demo import images
from masthead.demo.build import build_demo
from masthead.demo.comments import EDITOR_EMAIL, READERS
from masthead.demo.editions import PAIRS
from masthead.demo.feed_items import PHOTO_HEADLINE, RICH_ITEMS
from masthead.demo.formats import FORMATS_SLUG
from masthead.demo.gated import GATED_SLUG
from masthead.demo.plan import plan_demo
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author, SocialLink
from masthead.taxonomy.models import Tag, TagType

SMALL = {
    "articles": 12,
    "authors": 3,
    "tags": 8,
    "feed_items": 10,
    "hero_images": 4,
}
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock():
    # Ticking keeps timestamps distinct; starting at noon keeps both runs of a
    # test on the same day, so no new day of view counts appears between them.
    with time_machine.travel(NOW, tick=True):
        yield


def _counts() -> dict[str, int]:
    models = (
        SectionPage,
        ArticlePage,
        ArticleAuthor,
        ArticleTag,
        Author,
        SocialLink,
        Tag,
        LibraryImage,
        NewsFeedItem,
        EditorsPick,
        DailyArticleViews,
        PopularArticle,
        SiteSettings,
        get_user_model(),
    )
    return {model.__name__: model.objects.count() for model in models}


def test_plan_is_the_same_for_the_same_seed():
    first, second = plan_demo(**SMALL), plan_demo(**SMALL)

    assert [a.title for a in first.articles] == [a.title for a in second.articles]
    assert [f.headline for f in first.feed] == [f.headline for f in second.feed]
    assert [a.text.bio for a in first.authors] == [a.text.bio for a in second.authors]
    other = plan_demo(seed=7, **SMALL)
    assert [a.title for a in other.articles] != [a.title for a in first.articles]


def test_small_plan_still_covers_every_tag_type_and_byline_rule():
    plan = plan_demo(**SMALL)

    assert {tag.tag_type for tag in plan.tags} == set(TagType.values)
    assert len({article.slug for article in plan.articles}) == 12
    for article in plan.articles:
        assert 1 <= len(article.author_slugs) <= 2
        assert 2 <= len(article.tag_slugs) <= 6
        paragraphs = [b for b in article.blocks if b[0] == "paragraph"]
        assert 4 <= len(paragraphs) <= 9
    ages = [article.age for article in plan.articles]
    assert min(ages) < timedelta(days=1)
    assert max(ages) <= timedelta(days=60)
    assert len({item.headline for item in plan.feed}) == len(plan.feed) == 10


def test_full_plan_has_the_documented_sizes():
    plan = plan_demo()

    assert len(plan.sections) == 6
    assert len(plan.authors) == 20
    assert len(plan.tags) == 60
    assert len(plan.articles) == 200
    assert len(plan.feed) == 150
    assert len(plan.picks) == 6
    assert len(plan.scenes) == 30
    related = [a for a in plan.articles if any(b[0] == "related" for b in a.blocks)]
    external = [a for a in plan.articles if any(b[0] == "external" for b in a.blocks)]
    assert len(related) > 50
    assert external


@pytest.mark.parametrize(
    ("generated", "size", "image_format"),
    [
        (
            lambda: images.render_landscape(images.landscape_scene(1, 1)),
            (1600, 900),
            "JPEG",
        ),
        (lambda: images.avatar("Ada Example", "ada.jpg"), (400, 400), "JPEG"),
        (images.logo, (480, 96), "PNG"),
        (images.short_logo, (96, 96), "PNG"),
    ],
)
def test_generated_images_have_the_promised_size_and_format(
    generated, size, image_format
):
    drawn = generated()

    picture = Image.open(BytesIO(drawn.data))
    assert picture.size == size
    assert picture.format == image_format
    assert drawn.description
    assert len(drawn.data) < 250_000


@pytest.mark.django_db
def test_build_demo_creates_a_small_published_site(frozen_clock):
    result = build_demo(password="demo-secret", **SMALL)

    site = Site.objects.get(is_default_site=True)
    sections = SectionPage.objects.child_of(site.root_page).live()
    assert sections.count() == result["sections"] == 6
    assert result["authors"] == Author.objects.count() == 3
    assert result["tags"] == 8
    assert set(Tag.objects.values_list("tag_type", flat=True)) == set(TagType.values)

    # The story-formats explainer (formats.py), the gated article (gated.py)
    # and the live page (live.py) come on top of the plan.
    # So do the stories of the Ukrainian edition (editions.py, #15):
    # test_editions_demo.py.
    articles = list(
        ArticlePage.objects.published()
        .newest_first()
        .exclude(slug__in=[FORMATS_SLUG, GATED_SLUG])
        .exclude(slug__in=[pair.english.slug for pair in PAIRS])
        .filter(live_status=LiveStatus.NONE, locale__language_code="en")
    )
    assert len(articles) == result["articles"] == 12
    assert NOW - articles[0].published_at < timedelta(days=1)
    assert articles[-1].published_at >= NOW - timedelta(days=61)
    for article in articles:
        assert article.section is not None
        assert article.first_published_at == article.published_at
        assert article.last_published_at >= article.published_at
        assert article.hero_image.description
        assert article.hero_image.credit.endswith("/ Masthead Daily")
        assert article.body_html
        assert 1 <= article.article_authors.count() <= 2
        assert 2 <= article.article_tags.count() <= 6
    assert sum(a.display_updated_at is None for a in articles) > 6

    # The gated article (#17): for paid members, first of the front page's
    # secondary stories, its rest kept apart from the free part.
    gated = ArticlePage.objects.published().get(slug=GATED_SLUG)
    assert gated.access == Access.PAID
    assert gated.body_html and gated.gated_html
    stories = HomeStory.objects.filter(home=site.root_page).order_by("sort_order")
    assert stories.first().article_id == gated.pk

    # A comment thread under the newest open story, one reply the desk's.
    thread = Comment.objects.filter(member__email__in=[e for e, _ in READERS])
    assert thread.filter(parent=None).count() == 2
    assert Comment.objects.filter(member__email=EDITOR_EMAIL).get().parent_id
    assert thread.values("article").distinct().count() == 1

    for author in Author.objects.select_related("avatar"):
        assert author.avatar.description == author.name
        assert author.bio
        assert author.social_links.exists()

    # The rich posts (feed_items.py) come on top of the plan, one with a photo.
    rich = NewsFeedItem.objects.filter(headline__in=[h for _, h, _ in RICH_ITEMS])
    assert rich.count() == len(RICH_ITEMS)
    assert rich.exclude(image=None).get().headline == PHOTO_HEADLINE
    assert rich.filter(body_html__contains="<b>").count() == len(RICH_ITEMS)
    # So do the live page's updates (live.py).
    planned = NewsFeedItem.objects.exclude(pk__in=rich).filter(
        live_page=None, locale__language_code="en"
    )
    assert planned.count() == result["feed_items"] == 10
    assert planned.published().count() == 10
    # Six English picks; the shared list also holds the Ukrainian edition's.
    picks = EditorsPick.objects.filter(settings__site=site)
    assert picks.filter(article__locale__language_code="en").count() == 6
    assert picks.filter(article__locale__language_code="uk").exists()
    assert PopularArticle.objects.for_window(7).exists()
    assert PopularArticle.objects.for_window(1).exists()

    site_settings = SiteSettings.for_site(site)
    assert site_settings.publication_name == "Masthead Daily"
    assert site_settings.logo.width == 480
    assert site_settings.short_logo.width == 96
    assert len(site_settings.footer_links) >= 3
    assert site_settings.copyright_notice
    assert site_settings.footer_links_in("uk")[0]["label"] == "Розсилки"
    assert "вигадані" in site_settings.copyright_notice_in("uk")

    # The accounts themselves: masthead/demo/tests/test_accounts.py.
    assert [a.password for a in result["accounts"]] == ["demo-secret"] * 2


@pytest.mark.django_db
def test_second_run_adds_nothing_and_keeps_the_password(frozen_clock, monkeypatch):
    build_demo(password="first-secret", **SMALL)
    before = _counts()

    monkeypatch.setenv("MASTHEAD_DEMO_PASSWORD", "from-the-environment")
    second = build_demo(**SMALL)

    assert _counts() == before
    assert second["created"] == 0
    assert second["daily_views_created"] == 0
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password("first-secret")


@pytest.mark.django_db
def test_rerun_keeps_an_editors_site_settings(frozen_clock):
    build_demo(**SMALL)
    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.filter(site=site).update(tagline="Chosen by an editor")

    build_demo(**SMALL)

    assert SiteSettings.for_site(site).tagline == "Chosen by an editor"


# The command's output: masthead/demo/tests/test_accounts.py.


def test_command_refuses_absurd_sizes():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="between 1 and 100000"):
        call_command("demo", "--articles", "0")


def test_every_demo_sentence_starts_with_a_capital():
    # "… towards Odesa. the Council of Danube Cities says …" was a caption.
    import re

    plan = plan_demo()
    texts = [
        text
        for article in plan.articles
        for text in (article.title, article.standfirst, article.caption)
    ]
    texts += [
        value
        for article in plan.articles
        for kind, value in article.blocks
        if kind in ("paragraph", "heading")
    ]
    texts += [
        value[0]
        for article in plan.articles
        for kind, value in article.blocks
        if kind == "quote"
    ]
    texts += [text for post in plan.feed for text in (post.headline, *post.paragraphs)]
    lower_start = re.compile(r"(?:^|[.!?]\s+)(?:<p>)?[a-z]")
    assert [text for text in texts if lower_start.search(text)] == []
