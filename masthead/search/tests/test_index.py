"""Finding, ranking and highlighting, and keeping the index in step."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import tantivy
from bs4 import BeautifulSoup
from django.core.management import call_command

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.core.models import OutboxEntry
from masthead.people.factories import AuthorFactory
from masthead.search.services import process_pending_changes
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")


def paragraph(html: str):
    return [("paragraph", html)]


def found_ids(backend, query: str, **filters) -> list[int]:
    return [hit.article_id for hit in backend.search(query, **filters).hits]


def test_headline_match_outranks_body_only_match(publish, search_index):
    body_only = publish(
        title="Council meets",
        body=paragraph("<p>The zebra crossing, the zebra lights, a zebra.</p>"),
    )
    headline = publish(title="Zebra crossing reopens")

    assert found_ids(search_index, "zebra") == [headline.pk, body_only.pk]


@pytest.mark.parametrize("where", ["standfirst", "body", "tag", "author"])
def test_word_is_found_wherever_it_appears(publish, search_index, where):
    fields = {
        "standfirst": {"standfirst": "Talks in Zaporizhzhia resume."},
        "body": {"body": paragraph("<p>Shelling near Zaporizhzhia.</p>")},
        "tag": {"tags": [TagFactory(name="Zaporizhzhia")]},
        "author": {"authors": [AuthorFactory(name="Olena Zaporizhzhia")]},
    }[where]
    article = publish(title="Update", **fields)
    publish(title="Unrelated")

    assert found_ids(search_index, "zaporizhzhia") == [article.pk]


def test_every_word_must_match_and_words_are_stemmed(publish, search_index):
    both = publish(title="Elections postponed", standfirst="Voters in Kyiv wait.")
    publish(title="Elections in Lviv")

    assert found_ids(search_index, "election kyiv") == [both.pk]


def test_quoted_phrase_matches_words_in_order(publish, search_index):
    phrase = publish(title="Energy grid repaired")
    publish(title="Grid of energy")

    assert found_ids(search_index, '"energy grid"') == [phrase.pk]


def test_matches_are_marked_and_everything_else_escaped(publish, search_index):
    publish(
        title="Fish & <chips> zebra",
        standfirst="No match here.",
        body=paragraph("<p>A &lt;script&gt;alert(1)&lt;/script&gt; zebra.</p>"),
    )

    hit = search_index.search("zebra").hits[0]

    title = BeautifulSoup(hit.title_html, "html.parser")
    assert title.get_text() == "Fish & <chips> zebra"
    assert [mark.get_text() for mark in title.find_all("mark")] == ["zebra"]
    assert title.find("chips") is None
    snippet = BeautifulSoup(hit.snippet_html, "html.parser")
    assert snippet.find("script") is None
    assert "<script>alert(1)</script>" in snippet.get_text()
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["zebra"]


def test_highlighting_cyrillic_marks_whole_words(publish, search_index):
    standfirst = "Відновлення енергетики у Києві."
    publish(title="Київ: енергетика", standfirst=standfirst)

    hit = search_index.search("Київ").hits[0]

    marks = BeautifulSoup(hit.title_html, "html.parser").find_all("mark")
    assert [mark.get_text() for mark in marks] == ["Київ"]


def test_section_filter(publish, search_index):
    europe, ukraine = make_section("Europe"), make_section("Ukraine")
    in_europe = publish(europe, title="Grid news")
    publish(ukraine, title="Grid news")

    assert found_ids(search_index, "grid", section_id=europe.pk) == [in_europe.pk]


def test_date_filter_bounds_are_local_and_inclusive(client, publish):
    late_evening = publish(
        title="Grid late", published_at=datetime(2020, 1, 15, 23, 30, tzinfo=KYIV)
    )
    next_day = publish(
        title="Grid next", published_at=datetime(2020, 1, 16, 0, 30, tzinfo=KYIV)
    )

    def titles(**params):
        response = client.get("/search/", {"q": "grid", **params})
        soup = BeautifulSoup(response.content, "html.parser")
        return [a.get_text() for a in soup.select(".search-result__title a")]

    assert titles(**{"from": "2020-01-15", "to": "2020-01-15"}) == [late_evening.title]
    assert titles(**{"from": "2020-01-16"}) == [next_day.title]
    assert sorted(titles(to="2020-01-16")) == sorted(
        [late_evening.title, next_day.title]
    )


def test_unpublished_article_leaves_the_index(
    publish, search_index, django_capture_on_commit_callbacks
):
    article = publish(title="Zebra")
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    assert found_ids(search_index, "zebra") == []
    assert not OutboxEntry.objects.filter(topic="index").exists()


def test_republished_article_is_found_once(
    publish, search_index, django_capture_on_commit_callbacks
):
    article = publish(title="Zebra")
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Zebra crossing"
        article.save_revision().publish()

    hits = search_index.search("zebra")
    assert [hit.article_id for hit in hits.hits] == [article.pk]
    assert hits.total == 1
    assert "crossing" in hits.hits[0].title_html


def test_deleted_article_leaves_the_index(
    publish, search_index, django_capture_on_commit_callbacks
):
    article = publish(title="Zebra")
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).delete()

    assert found_ids(search_index, "zebra") == []


def test_deleting_a_section_removes_its_articles(
    publish, search_index, django_capture_on_commit_callbacks
):
    section = make_section()
    publish(section, title="Zebra")
    with django_capture_on_commit_callbacks(execute=True):
        section.delete()

    assert found_ids(search_index, "zebra") == []


def test_draft_is_never_indexed(publish, search_index):
    publish(title="Zebra draft", publish=False)

    assert found_ids(search_index, "zebra") == []


def test_change_waits_in_the_queue_while_another_process_writes(
    publish, search_index, django_capture_on_commit_callbacks
):
    search_index.lock_wait = 0.05
    search_index.index  # noqa: B018 - creates the directory
    # Another process's writer, on the same directory.
    other = tantivy.Index.open(str(search_index.path)).writer(15_000_000, 1)

    article = publish(title="Zebra")  # the publish itself succeeds

    assert OutboxEntry.objects.filter(topic="index", key=str(article.pk)).exists()
    assert found_ids(search_index, "zebra") == []
    other.rollback()
    other.wait_merging_threads()
    assert process_pending_changes() == 1
    assert found_ids(search_index, "zebra") == [article.pk]
    assert not OutboxEntry.objects.filter(topic="index").exists()


def test_rebuild_command_indexes_published_articles_only(search_index, capsys):
    # Created without running on-commit hooks: the index starts empty.
    published = make_article(title="Zebra one")
    make_article(title="Zebra draft", publish=False)
    assert found_ids(search_index, "zebra") == []

    call_command("search_rebuild", "--batch-size", "1")

    assert found_ids(search_index, "zebra") == [published.pk]
    assert not OutboxEntry.objects.filter(topic="index").exists()
    assert "Indexed 1 published article" in capsys.readouterr().out


def test_pending_option_applies_the_queue_only(search_index, capsys):
    article = make_article(title="Zebra")  # queued, hooks not run

    call_command("search_rebuild", "--pending")

    assert "Applied 1" in capsys.readouterr().out
    assert found_ids(search_index, "zebra") == [article.pk]


@pytest.mark.parametrize("kind", ["author", "tag"])
def test_renamed_author_or_tag_is_found_by_its_new_name_only(
    publish, search_index, django_capture_on_commit_callbacks, kind
):
    if kind == "author":
        named = AuthorFactory(name="Olena Zaporizhzhia")
        article = publish(title="Update", authors=[named])
    else:
        named = TagFactory(name="Zaporizhzhia")
        article = publish(title="Update", tags=[named])
    publish(title="Unrelated")
    assert found_ids(search_index, "zaporizhzhia") == [article.pk]

    with django_capture_on_commit_callbacks(execute=True):
        named.name = "Olena Kherson" if kind == "author" else "Kherson"
        named.save()

    assert found_ids(search_index, "zaporizhzhia") == []
    assert found_ids(search_index, "kherson") == [article.pk]


def test_other_edits_of_an_author_queue_nothing(publish, search_index):
    author = AuthorFactory(name="Olena Zaporizhzhia")
    publish(title="Update", authors=[author])
    author.bio = "Covers the south."
    author.save()
    assert not OutboxEntry.objects.filter(topic="index").exists()


def test_deleted_tag_leaves_its_articles_documents(
    publish, search_index, django_capture_on_commit_callbacks
):
    tag = TagFactory(name="Zaporizhzhia")
    article = publish(title="Update", tags=[tag])
    with django_capture_on_commit_callbacks(execute=True):
        tag.delete()
    assert found_ids(search_index, "zaporizhzhia") == []
    assert found_ids(search_index, "update") == [article.pk]


def test_a_large_rename_is_applied_partly_at_once_and_the_rest_later(
    publish, search_index, django_capture_on_commit_callbacks, monkeypatch
):
    from dataclasses import replace

    from masthead.core import outbox
    from masthead.core.tasks import drain_outbox
    from masthead.newsroom import scheduler

    small = replace(outbox.topics()["index"], batch_size=2, inline_batches=1)
    monkeypatch.setitem(outbox._topics, "index", small)
    tag = TagFactory(name="Zaporizhzhia")
    articles = [publish(title=f"Update {n}", tags=[tag]) for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "Kherson"
        tag.save()
    # One batch after the commit, in the editor's request; the rest queued.
    assert OutboxEntry.objects.filter(topic="index").count() == 3
    assert len(found_ids(search_index, "kherson")) == 2
    assert "masthead.core.tasks.drain_outbox" in [job[1] for job in scheduler.JOBS]
    drain_outbox.enqueue()
    assert not OutboxEntry.objects.filter(topic="index").exists()
    assert sorted(found_ids(search_index, "kherson")) == sorted(a.pk for a in articles)
