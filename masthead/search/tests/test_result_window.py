"""The result window: one page of engine hits standing in for the whole list."""

import pytest
from django.core.paginator import Paginator
from django.utils.safestring import mark_safe

from masthead.search.backends import SearchHit
from masthead.web.search_context import _ResultWindow


def hits(first: int, count: int) -> list[SearchHit]:
    return [
        SearchHit(
            article_id=first + n,
            score=1.0,
            title_html=mark_safe("t"),
            snippet_html=mark_safe(""),
        )
        for n in range(count)
    ]


def test_the_paginator_gets_the_page_the_engine_returned():
    page_hits = hits(21, 20)
    window = _ResultWindow(total=45, offset=20, hits=page_hits)
    page = Paginator(window, 20).page(2)
    assert list(page.object_list) == page_hits
    assert page.paginator.num_pages == 3
    assert page.has_next()


def test_single_results_are_read_by_their_place_in_the_whole_list():
    page_hits = hits(21, 20)
    window = _ResultWindow(total=45, offset=20, hits=page_hits)
    assert window[20] is page_hits[0]
    assert window[39] is page_hits[19]
    assert window[-25] is page_hits[0]
    for outside in (0, 19, 40, 44, -1):
        with pytest.raises(IndexError):
            window[outside]
