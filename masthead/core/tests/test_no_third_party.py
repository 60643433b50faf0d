"""Pages ask no third party for anything: no gravatar.com avatars (issue #14).

The admin showed each editor's avatar from gravatar.com, telling Gravatar
who works in the newsroom and when. Only the page's own origin may be asked
for scripts, styles, images and frames (article embeds aside: the editor
chose those).
"""

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_article

pytestmark = pytest.mark.django_db

# Attributes a browser fetches on its own while loading a page.
FETCHED = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("poster", "src"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "link": ("href",),
}
# <link rel> values that make the browser fetch the target.
FETCHED_LINKS = {
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "preconnect",
    "modulepreload",
}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def third_party_origins(html: bytes) -> set[str]:
    soup = BeautifulSoup(html, "html5lib")
    urls: list[str] = []
    for tag, attributes in FETCHED.items():
        for element in soup.find_all(tag):
            if tag == "link" and not FETCHED_LINKS & set(element.get("rel") or []):
                continue
            for attribute in attributes:
                value = str(element.get(attribute) or "")
                if not value:
                    continue
                if attribute == "srcset":
                    urls += [
                        part.split()[0] for part in value.split(",") if part.strip()
                    ]
                else:
                    urls.append(value)
    for element in soup.find_all(style=True):
        urls += CSS_URL.findall(str(element["style"]))
    for style in soup.find_all("style"):
        urls += CSS_URL.findall(style.get_text())
    return {
        f"{split.scheme}://{split.netloc}" if split.scheme else f"//{split.netloc}"
        for split in map(urlsplit, urls)
        if split.netloc and split.netloc != "testserver"
    }


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/pages/", "/admin/users/", "/admin/account/"],
)
def test_admin_pages_ask_no_third_party(admin_client, admin_user, path):
    admin_user.email = "editor@example.org"
    admin_user.save()
    response = admin_client.get(path)
    assert response.status_code == 200
    assert third_party_origins(response.content) == set()


def test_an_editors_page_in_the_admin_asks_no_third_party(admin_client, admin_user):
    article = make_article()
    admin_user.email = "editor@example.org"
    admin_user.save()
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    assert third_party_origins(response.content) == set()


def test_public_pages_ask_no_third_party(client):
    article = make_article()
    for url in ("/", article.url):
        response = client.get(url)
        assert response.status_code == 200
        assert third_party_origins(response.content) == set(), url
