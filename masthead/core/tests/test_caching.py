from django.http import HttpResponse

from masthead.core.caching import Profile, apply_profile


def test_public_profile_allows_shared_caches_briefly():
    response = apply_profile(HttpResponse(), Profile.PUBLIC)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" in directives
    assert "max-age=60" in directives


def test_private_profile_forbids_storage():
    response = apply_profile(HttpResponse(), Profile.PRIVATE)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
