import pytest

from masthead.content.factories import make_article


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/%00/",
        "/news/a%00b/",
        "/tags/%00/",
        "/authors/%00/",
        "/feeds/section/%00/rss/",
        "/sitemap-%00.xml",
    ],
)
def test_path_with_a_nul_character_is_404_on_every_database(client, path):
    make_article()
    assert client.get(path).status_code == 404
