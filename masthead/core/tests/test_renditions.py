"""Renditions of large originals: one decoding, small, same result (#13).

``MASTHEAD_RENDITION_INLINE_MAX_PIXELS`` is lowered so that small test
pictures count as large: the rules are the same, the tests stay fast.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.base import Lexer, TokenType
from PIL import Image as PILImage
from wagtail.images.models import AbstractImage, Filter

from masthead.core import renditions
from masthead.core.events import renditions_made
from masthead.core.models import LibraryImage
from masthead.core.tasks import make_renditions
from masthead.syndication.entries import FEED_IMAGE_FILTER
from masthead.web.structured_data import JSON_LD_IMAGE_FILTERS, SHARE_IMAGE_FILTER

TEMPLATES = Path(settings.BASE_DIR) / "masthead" / "templates"
IMAGE_TAGS = {"image", "picture", "srcset_image"}
ORIENTATION = 0x0112


@pytest.fixture
def large(settings):
    """Anything over 100,000 pixels counts as a large original."""
    settings.MASTHEAD_RENDITION_INLINE_MAX_PIXELS = 100_000


def halves(fmt="JPEG", size=(1600, 800), exif=None) -> bytes:
    """Red on the left, blue on the right."""
    picture = PILImage.new("RGB", size, (220, 20, 20))
    picture.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if exif is not None else {}
    picture.save(out, fmt, **options)
    return out.getvalue()


def library_image(data: bytes, name="photo.jpg", **fields) -> LibraryImage:
    return LibraryImage.objects.create(
        title="Photo",
        description="Two colours side by side",
        credit="Test",
        file=SimpleUploadedFile(name, data),
        **fields,
    )


def mean_colour(rendition):
    with rendition.file.open() as handle, PILImage.open(handle) as picture:
        small = picture.convert("RGB").resize((1, 1), PILImage.Resampling.BOX)
        return small.getpixel((0, 0))


def template_specs() -> dict[str, set[str]]:
    """Every rendition spec of every image tag in the project's templates."""
    found: dict[str, set[str]] = {}
    for path in TEMPLATES.rglob("*.html"):
        for token in Lexer(path.read_text()).tokenize():
            if token.token_type != TokenType.BLOCK:
                continue
            name, *bits = token.split_contents()
            if name not in IMAGE_TAGS:
                continue
            bits = bits[1:]  # the image
            if "as" in bits:  # ``as name`` ends the filters
                bits = bits[: bits.index("as")]
            specs = [bit for bit in bits if "=" not in bit]
            if name == "image":
                expanded = ["|".join(specs)]
            else:
                expanded = Filter.expand_spec(specs)
            found.setdefault(str(path.relative_to(TEMPLATES)), set()).update(expanded)
    return found


def test_site_specs_cover_every_template_json_ld_and_feed_rendition():
    used = template_specs()
    assert {"content/hero_picture.html", "components/teaser.html"} <= set(used)
    for template, specs in used.items():
        assert specs <= set(renditions.SITE_SPECS), template
    python = {*JSON_LD_IMAGE_FILTERS, SHARE_IMAGE_FILTER, FEED_IMAGE_FILTER}
    assert python <= set(renditions.SITE_SPECS)


def test_reader_templates_use_the_tags_that_never_make_large_renditions():
    for template in template_specs():
        source = (TEMPLATES / template).read_text()
        libraries = {
            name
            for load in re.findall(r"{%\s*load\s+([^%]*?)\s*%}", source)
            for name in load.split()
        }
        assert "masthead_images" in libraries, template
        assert "wagtailimages_tags" not in libraries, template


@pytest.mark.django_db
def test_a_jpeg_is_decoded_at_the_fraction_its_renditions_need(large):
    image = library_image(halves())
    with renditions.decoded(image, [Filter("fill-96x96")]) as source:
        # An eighth: 200x100 still covers a 96x96 crop of the 800x800 middle.
        assert source.picture.size == (200, 100)
        assert source.full_size == (1600, 800)
    with renditions.decoded(image, [Filter("width-1200")]) as source:
        assert source.picture.size == (1600, 800)


@pytest.mark.django_db
def test_other_formats_are_reduced_once_decoded(large):
    image = library_image(halves("PNG"), name="photo.png")
    with renditions.decoded(image, [Filter("fill-96x96")]) as source:
        assert source.picture.size == (200, 100)


@pytest.mark.django_db
def test_every_site_rendition_comes_from_one_decoding_with_wagtails_sizes(
    large, monkeypatch
):
    image = library_image(halves())
    decodings = []
    original = renditions.decoded

    def counting(*args, **kwargs):
        decodings.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(renditions, "decoded", counting)
    made = image.get_renditions(*renditions.SITE_SPECS)
    assert len(decodings) == 1
    for spec, rendition in made.items():
        expected = Filter(spec).get_transform(image).size
        assert (rendition.width, rendition.height) == expected, spec
        with rendition.file.open() as handle, PILImage.open(handle) as picture:
            assert picture.size == expected, spec


@pytest.mark.django_db
def test_crops_follow_the_focal_point_as_wagtails_do(large, settings):
    focal = {
        "focal_point_x": 1400,
        "focal_point_y": 400,
        "focal_point_width": 100,
        "focal_point_height": 100,
    }
    bounded = library_image(halves(), **focal)
    stock = library_image(halves(), **focal)
    for spec in ("fill-96x96-c100", "fill-160x90", "fill-240x160-c50"):
        ours = bounded.get_rendition(spec)
        wagtails = AbstractImage.create_rendition(stock, Filter(spec))
        assert (ours.width, ours.height) == (wagtails.width, wagtails.height)
        difference = [
            abs(a - b)
            for a, b in zip(mean_colour(ours), mean_colour(wagtails), strict=True)
        ]
        assert max(difference) <= 6, spec
    # The focal point is on the blue half: a tight crop shows only blue.
    red, _green, blue = mean_colour(bounded.get_rendition("fill-96x96-c100"))
    assert blue > 200 > 40 > red


@pytest.mark.django_db
def test_a_turned_photo_is_turned_once_and_sized_as_wagtail_does(large):
    exif = PILImage.Exif()
    exif[ORIENTATION] = 6  # shot with the camera on its side
    image = library_image(halves(exif=exif))
    stock = library_image(halves(exif=exif))
    for spec in ("width-480", "fill-96x96"):
        ours = image.get_rendition(spec)
        wagtails = AbstractImage.create_rendition(stock, Filter(spec))
        assert (ours.width, ours.height) == (wagtails.width, wagtails.height), spec
    assert (image.get_rendition("width-480").height) == 960


@pytest.mark.django_db
def test_the_task_makes_the_site_and_admin_renditions_once(large):
    image = library_image(halves())
    announced = []

    def listen(sender, image_id, **kwargs):
        announced.append(image_id)

    renditions_made.connect(listen)
    try:
        made = make_renditions.call(image_id=image.pk)
        again = make_renditions.call(image_id=image.pk)
    finally:
        renditions_made.disconnect(listen)
    expected = len(renditions.SITE_SPECS) + len(renditions.ADMIN_SPECS)
    assert made == expected == image.renditions.count()
    assert again == 0
    assert announced == [image.pk]


@pytest.mark.django_db
def test_an_original_damaged_deep_inside_is_logged_not_raised(large, caplog):
    # Left by an older version: today's upload form and storage refuse it.
    data = halves("PNG")
    raw = FileSystemStorage(location=settings.MEDIA_ROOT)
    name = raw.save("original_images/cut.png", ContentFile(data[: len(data) // 2]))
    image = LibraryImage.objects.create(
        title="Cut", description="Half a file", credit="Test", file=name,
        width=1600, height=800,
    )  # fmt: skip
    assert make_renditions.call(image_id=image.pk) == 0
    assert "not made" in caplog.text
    assert make_renditions.call(image_id=image.pk + 1000) == 0  # deleted since


@pytest.mark.django_db
def test_a_second_request_for_the_same_image_is_discarded_while_one_waits(
    large, settings, tmp_path, django_capture_on_commit_callbacks
):
    from dj_queue.models import Job

    settings.TASKS = {
        **settings.TASKS,
        "background": {
            "BACKEND": "dj_queue.backend.DjQueueBackend",
            "QUEUES": ["default", "outbox", "renditions"],
            "OPTIONS": {"supervisor_pidfile": str(tmp_path / "worker.pid")},
        },
    }
    image = library_image(halves())
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            renditions.request(image.pk)
    jobs = Job.objects.filter(concurrency_key=f"renditions-{image.pk}")
    assert jobs.count() == 3
    # One waits for the worker; the two others were discarded at once.
    assert jobs.filter(finished_at__isnull=True).count() == 1
    assert image.renditions.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tag", "formats"),
    [("picture", "format-{webp,jpeg}"), ("srcset_image", "format-jpeg")],
)
def test_a_small_picture_lists_each_width_once_per_format(tag, formats):
    from bs4 import BeautifulSoup
    from django.template import Context, Template

    image = library_image(halves(size=(600, 300)), name="small.jpg")
    html = Template(
        "{% load masthead_images %}{% " + f"{tag} image {formats} "
        'width-{480,800,1200} sizes="100vw" alt="A small picture" %}'
    ).render(Context({"image": image}))
    soup = BeautifulSoup(html, "html.parser")
    srcsets = [node["srcset"] for node in soup.select("[srcset]")]
    assert srcsets
    for srcset in srcsets:
        widths = [candidate.split()[-1] for candidate in srcset.split(", ")]
        assert len(widths) == len(set(widths)), srcset
        # The 480 rendition and the original's own width, once.
        assert widths == ["480w", "600w"], srcset


@pytest.mark.django_db
def test_a_tiny_picture_has_one_candidate_and_no_sizes():
    from bs4 import BeautifulSoup
    from django.template import Context, Template

    image = library_image(halves(size=(300, 150)), name="tiny.jpg")
    html = Template(
        "{% load masthead_images %}{% picture image format-{webp,jpeg} "
        'width-{480,800,1200} sizes="100vw" alt="A tiny picture" %}'
    ).render(Context({"image": image}))
    soup = BeautifulSoup(html, "html.parser")
    source, img = soup.find("source"), soup.find("img")
    assert source["srcset"].endswith(".webp") and " " not in source["srcset"]
    assert not source.has_attr("sizes") and not img.has_attr("sizes")
    assert img["src"].endswith(".jpg")
