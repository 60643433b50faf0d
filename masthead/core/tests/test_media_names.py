"""/media/ answers 404, not 500, to names no file system can hold (#13).

Linux refuses a path part over 255 bytes or a path over 4096 with
ENAMETOOLONG; Django's static view let that OSError through. The folders
of originals and renditions exist here, as on a live site: a missing
folder would answer ENOENT before the long name is looked at.
"""

from pathlib import Path

import pytest
from django.conf import settings

from masthead.core.storage import fits_file_system

LONG = "a" * 300


@pytest.fixture
def media_folders():
    root = Path(settings.MEDIA_ROOT)
    for folder in ("images", "original_images"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "images" / "kept.txt").write_text("still served")
    return root


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        LONG,
        f"{LONG}.jpg",
        f"images/{LONG}.jpg",
        f"original_images/{LONG}.png",
        f"images/{'é' * 150}.jpg",  # 150 characters, 300 bytes
        "images/" + "/".join(["b" * 200] * 25),  # each part fits, the whole does not
    ],
)
def test_overlong_media_name_is_not_found(client, media_folders, path):
    response = client.get(f"/media/{path}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_media_still_served_and_long_but_possible_names_looked_up(
    client, media_folders
):
    response = client.get("/media/images/kept.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"still served"
    assert client.get(f"/media/images/{'c' * 255}").status_code == 404


def test_names_are_measured_in_bytes_part_by_part():
    assert fits_file_system("images/" + "a" * 255)
    assert not fits_file_system("images/" + "a" * 256)
    assert not fits_file_system("images/" + "я" * 128)
    assert not fits_file_system("x/" * 2100)
    assert not fits_file_system("a", root="/" + "r" * 4095)
