import pytest
from wagtail.blocks import StructBlockValidationError

from masthead.content.blocks import RelatedArticleBlock
from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db


def paragraphs(words: int, per_paragraph: int = 50):
    body = []
    while words > 0:
        n = min(words, per_paragraph)
        body.append(("paragraph", "<p>" + " ".join(["word"] * n) + "</p>"))
        words -= n
    return body


def test_read_time_is_computed_on_save_in_whole_minutes():
    # Headline (2 words) + standfirst (2) + 456 body words = 460 words = 2 min.
    article = make_article(
        title="Two words", standfirst="Two more", body=paragraphs(456)
    )
    assert article.word_count == 460
    assert article.read_time_minutes == 2


def test_short_article_reads_in_at_least_one_minute():
    article = make_article(title="Hi", standfirst="", body=[])
    assert article.read_time_minutes == 1


def test_read_time_follows_a_published_edit():
    article = make_article(body=paragraphs(10))
    article.body = paragraphs(1000)
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.read_time_minutes == 5


def test_article_knows_its_section_from_the_page_tree():
    section = make_section("Europe")
    assert make_article(section).section == section


def test_publication_time_is_copied_to_byline_and_tag_rows():
    article = make_article(tags=[TagFactory()])
    assert article.published_at is not None
    assert list(
        ArticleAuthor.objects.filter(article=article).values_list(
            "published_at", flat=True
        )
    ) == [article.published_at]
    assert list(
        ArticleTag.objects.filter(article=article).values_list(
            "published_at", flat=True
        )
    ) == [article.published_at]


def test_published_queryset_and_per_object_twin_agree():
    live = make_article()
    draft = make_article(publish=False)
    withdrawn = make_article()
    withdrawn.unpublish()

    published_ids = set(ArticlePage.objects.published().values_list("pk", flat=True))
    for article in ArticlePage.objects.filter(pk__in=[live.pk, draft.pk, withdrawn.pk]):
        assert article.is_published == (article.pk in published_ids)
    assert published_ids >= {live.pk}
    assert not published_ids & {draft.pk, withdrawn.pk}


def test_related_card_needs_exactly_one_target():
    block = RelatedArticleBlock()
    empty = block.to_python({})
    with pytest.raises(StructBlockValidationError):
        block.clean(empty)
    external_without_title = block.to_python({"url": "https://example.org/story"})
    with pytest.raises(StructBlockValidationError):
        block.clean(external_without_title)
    external = block.to_python({"url": "https://example.org/story", "title": "A story"})
    assert block.clean(external)["title"] == "A story"
