"""The XSS corpus through every input, read back from every public page (#13).

Each registered input (inputs.py) stores every payload of xss_payloads.txt
in every field it has, through the admin's forms or the model API; then every
page, feed and JSON document showing that text is parsed (html5lib, an XML
parser, ``json``) and must hold nothing injected that can run: no script but
ours, no event handler, no ``javascript:`` URL, no frame from elsewhere,
JSON-LD that parses as JSON.
"""

import pytest

from masthead.content.factories import make_article, make_section
from masthead.core.factories import LibraryImageFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

from .checks import response_problems
from .inputs import INPUTS, Desk, HostileInput
from .payloads import payloads, spread

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        section = make_section("Hostile", "hostile")
        author = AuthorFactory(avatar=None)
        tag = TagFactory()
        image = LibraryImageFactory()
        article = make_article(
            section, authors=[author], tags=[tag], title="Hostile input", slug="input"
        )
    return Desk(admin_client, section, author, tag, image, article)


def problems_in(client, urls: list[str]) -> dict[str, list[str]]:
    """Each URL read as a reader would, with what it let through."""
    found = {}
    for url in dict.fromkeys(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        problems = response_problems(response)
        if problems:
            found[url] = problems
    return found


@pytest.mark.parametrize("hostile", INPUTS, ids=[i.name for i in INPUTS])
def test_xss_corpus_never_runs_on_a_public_page(
    client, desk, django_capture_on_commit_callbacks, hostile: HostileInput
):
    written: list[object] = []
    found: dict[str, list[str]] = {}
    for values in spread(hostile.fields, hostile.repeated, payloads()):
        with django_capture_on_commit_callbacks(execute=True):
            written.append(hostile.write(values, desk))
        if hostile.singleton:
            found |= problems_in(client, hostile.urls(written, desk))
    with django_capture_on_commit_callbacks(execute=True):
        urls = hostile.urls(written, desk)
    if hostile.singleton:
        urls.append("/")
    found |= problems_in(client, urls)
    assert not found, "\n".join(
        f"{url}: {problem}" for url, problems in found.items() for problem in problems
    )
