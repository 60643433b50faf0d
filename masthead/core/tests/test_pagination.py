import pytest
from django.http import Http404
from django.test import RequestFactory

from masthead.core.pagination import page_number, paginate


@pytest.mark.parametrize(
    "raw", ["abc", "-1", "0", "1.5", "99999999999", "\u0661", " 2"]
)
def test_malformed_page_number_is_404(raw):
    with pytest.raises(Http404):
        page_number(RequestFactory().get("/", {"page": raw}))


@pytest.mark.parametrize(("raw", "number"), [(None, 1), ("", 1), ("3", 3)])
def test_page_number_parses_valid_values(raw, number):
    query = {} if raw is None else {"page": raw}
    assert page_number(RequestFactory().get("/", query)) == number


def test_page_past_the_end_is_404():
    with pytest.raises(Http404):
        paginate(RequestFactory().get("/", {"page": "4"}), list(range(25)), 10)


def test_empty_listing_still_has_a_first_page():
    page = paginate(RequestFactory().get("/"), [], 10)
    assert page.number == 1
    assert list(page.object_list) == []
