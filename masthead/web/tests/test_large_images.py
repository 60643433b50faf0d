"""A reader never waits for a large original's renditions (#13).

An 11000x11000 hero took 5 s and 650 MB of a web worker the first time its
article was read. Now the page shows a box with the alt text in the
picture's place and queues the task; the task makes the renditions and the
page is purged, to be shown next time with the picture. Small test pictures
count as large here: ``MASTHEAD_RENDITION_INLINE_MAX_PIXELS`` is lowered.
"""

import json

import html5lib
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import task_backends

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.core import renditions
from masthead.core.factories import LibraryImageFactory, image_file
from masthead.core.models import LibraryImage, LibraryRendition
from masthead.core.tasks import make_renditions

pytestmark = pytest.mark.django_db

EVERY_SPEC = len(renditions.SITE_SPECS) + len(renditions.ADMIN_SPECS)


@pytest.fixture
def queue(settings):
    """The background queue as on a site whose worker is not running (yet)."""
    settings.MASTHEAD_RENDITION_INLINE_MAX_PIXELS = 100_000
    settings.TASKS = {
        **settings.TASKS,
        "background": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "outbox", "renditions"],
        },
    }
    backend = task_backends["background"]
    backend.clear()
    return backend


def queued_images(backend) -> list[int]:
    return [
        result.kwargs["image_id"]
        for result in backend.results
        if result.task.name == make_renditions.name
    ]


def png_bytes(width: int, height: int) -> bytes:
    picture = image_file(width, height)
    picture.seek(0)
    return picture.read()


def large_image(**fields):
    return LibraryImageFactory(
        file=image_file(800, 600, name="large.png"),
        description="Firefighters at a burning warehouse",
        **fields,
    )


def parse(response) -> BeautifulSoup:
    assert response.status_code == 200
    # Strict: any parse error in the page fails the test.
    html5lib.HTMLParser(strict=True).parse(response.content)
    return BeautifulSoup(response.content, "html5lib")


def assert_no_image_without_source(soup: BeautifulSoup) -> None:
    for img in soup.find_all("img"):
        assert img.get("src"), img


def test_reader_request_makes_no_rendition_of_a_large_hero(
    client, queue, django_capture_on_commit_callbacks
):
    hero = large_image()
    article = make_article(hero_image=hero)
    queue.clear()  # publishing queued it too (below)
    assert LibraryRendition.objects.filter(image=hero).count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        soup = parse(client.get(article.url))

    assert LibraryRendition.objects.filter(image=hero).count() == 0
    figure = soup.select_one("figure.article__hero")
    assert figure.find("img") is None and figure.find("picture") is None
    box = figure.select_one(".image-pending.article__hero-image")
    assert box.get_text(strip=True) == "Firefighters at a burning warehouse"
    assert_no_image_without_source(soup)
    article_data = next(
        json.loads(script.string)
        for script in soup.find_all("script", type="application/ld+json")
        if json.loads(script.string)["@type"] == "ReportageNewsArticle"
    )
    assert article_data["image"] == []  # as for an article without a hero
    assert soup.find("meta", property="og:image") is None
    assert queued_images(queue) == [hero.pk]

    # The worker runs the task: every rendition, and the page is purged.
    with django_capture_on_commit_callbacks(execute=True):
        assert make_renditions.call(image_id=hero.pk) == EVERY_SPEC
    queue.clear()
    soup = parse(client.get(article.url))
    picture = soup.select_one("figure.article__hero picture")
    # WebP in a <source>, JPEG in the <img>: 480 and 800 wide each (the
    # original is 800 wide, so 1200 would name 800 twice).
    assert [s["type"] for s in picture.find_all("source")] == ["image/webp"]
    img = picture.find("img")
    assert img["srcset"].count(".jpg ") == 2
    assert img["alt"] == "Firefighters at a burning warehouse"
    assert soup.select(".image-pending") == []
    assert soup.find("meta", property="og:image")["content"].startswith("http")
    assert_no_image_without_source(soup)
    assert queued_images(queue) == []


def test_listing_teasers_wait_for_the_task_too(
    client, queue, django_capture_on_commit_callbacks
):
    section = make_section()
    hero = large_image()
    make_article(section, hero_image=hero)
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        soup = parse(client.get(section.url))
    assert LibraryRendition.objects.filter(image=hero).count() == 0
    assert soup.select(".image-pending.teaser__image")
    assert_no_image_without_source(soup)
    assert set(queued_images(queue)) == {hero.pk}


def test_small_originals_are_still_made_while_the_reader_waits(client, queue):
    hero = LibraryImageFactory(file=image_file(160, 90))
    article = make_article(hero_image=hero)
    soup = parse(client.get(article.url))
    assert soup.select_one("figure.article__hero picture img")["src"]
    assert LibraryRendition.objects.filter(image=hero).exists()
    assert queued_images(queue) == []


def test_a_body_picture_comes_in_when_its_renditions_are_made(
    client, queue, django_capture_on_commit_callbacks
):
    photo = large_image()
    article = make_article(
        body=[("image", {"image": photo, "caption": "At dawn"})],
    )
    stored = BeautifulSoup(ArticlePage.objects.get(pk=article.pk).body_html, "html5lib")
    assert stored.select_one("figure.body-image .image-pending")
    assert stored.find("img") is None

    with django_capture_on_commit_callbacks(execute=True):
        make_renditions.call(image_id=photo.pk)
    stored = BeautifulSoup(ArticlePage.objects.get(pk=article.pk).body_html, "html5lib")
    assert stored.select_one("figure.body-image picture img")["src"]
    assert stored.select(".image-pending") == []


def test_uploading_a_large_image_makes_its_renditions_before_any_reader(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_RENDITION_INLINE_MAX_PIXELS = 100_000
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/images/add/",
            {
                "title": "Warehouse fire",
                "description": "Firefighters at a burning warehouse",
                "credit": "Jane Doe / Agency",
                "collection": 1,
                "tags": "",
                "file": SimpleUploadedFile("fire.png", png_bytes(800, 600)),
            },
        )
    assert response.status_code == 302
    image = LibraryImage.objects.get()
    # The test settings run tasks when they are queued, after the commit.
    assert image.renditions.count() == EVERY_SPEC


def test_publishing_queues_a_large_hero_whose_renditions_are_missing(
    queue, django_capture_on_commit_callbacks
):
    hero = large_image()
    with django_capture_on_commit_callbacks(execute=True):
        make_article(hero_image=hero)
    assert hero.pk in queued_images(queue)
