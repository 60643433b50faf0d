"""A large hero on the real server: the worker makes it, readers never wait (#13).

The renditions queue is paused first, as if the worker were busy: the
article is served at once with a box in the picture's place and no
rendition is made by the web process. Resumed, the worker makes every
rendition and purges the page, which then shows the picture.
"""

import pytest
from bs4 import BeautifulSoup, Tag

from tests.integration.test_background_work import wait_for
from tests.integration.test_page_cache import run
from tests.integration.test_server import get
from tests.server import started_server

pytestmark = pytest.mark.integration

# Above the demo's 1600x900 pictures, below the hero made here.
INLINE_MAX = "1500000"

LARGE_HERO = """
import io
from django.core.files.images import ImageFile
from dj_queue.api import QueueInfo
from PIL import Image
from masthead.content.factories import make_article
from masthead.content.models import SectionPage
from masthead.core.models import LibraryImage
from masthead.people.models import Author
QueueInfo("renditions", backend_alias="background").pause()
out = io.BytesIO()
Image.effect_noise((2000, 1000), 40).convert("RGB").save(out, "JPEG")
image = LibraryImage.objects.create(
    title="Flood", description="A flooded street at dusk", credit="Agency",
    file=ImageFile(out, name="flood.jpg"),
)
section = SectionPage.objects.live().order_by("path").first()
article = make_article(
    section, authors=[Author.objects.first()], title="The river rose overnight",
    slug="river-rose", hero_image=image,
)
print(image.pk, article.url)
"""

RENDITIONS = """
from masthead.core.models import LibraryRendition
print(LibraryRendition.objects.filter(image_id={image_id}).count())
"""

RESUME = """
from dj_queue.api import QueueInfo
QueueInfo("renditions", backend_alias="background").resume()
print("resumed")
"""


def hero(base: str, url: str) -> Tag:
    status, _headers, body = get(base + url)
    assert status == 200
    figure = BeautifulSoup(body, "html.parser").select_one("figure.article__hero")
    assert figure is not None
    return figure


def test_the_worker_makes_a_large_heros_renditions_and_the_page_shows_them():
    with started_server({"MASTHEAD_RENDITION_INLINE_MAX_PIXELS": INLINE_MAX}) as site:
        image_id, url = run(site.env, LARGE_HERO).split()
        figure = hero(site.base, url)
        box = figure.select_one(".image-pending")
        assert box is not None and box.get_text(strip=True) == (
            "A flooded street at dusk"
        )
        assert figure.find("img") is None
        assert run(site.env, RENDITIONS.format(image_id=image_id)) == "0"

        run(site.env, RESUME)
        wait_for(
            lambda: hero(site.base, url).find("picture") is not None,
            "the hero's picture",
        )
        img = hero(site.base, url).find("img")
        status, headers, _body = get(site.base + img["src"])
        assert status == 200
        assert headers["Content-Type"] == "image/jpeg"
        # Every site and admin rendition (core/renditions.py: 20 and 2).
        assert int(run(site.env, RENDITIONS.format(image_id=image_id))) == 22
