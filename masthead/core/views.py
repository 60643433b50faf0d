"""Uploaded media served by the app itself (embedded mode, MASTHEAD_SERVE_MEDIA)."""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve

from .storage import fits_file_system, is_private_name


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file under MEDIA_ROOT; never an upload nobody has saved yet.

    Unsaved uploads live outside MEDIA_ROOT (core/storage.py); files that an
    older version left in ``media/wagtail_uploads/`` stay unreachable too.
    Originals (``original_images/``) and renditions (``images/``) are served
    here too, so a name too long for any file is a 404 before the file
    system is asked (#13).
    """
    root = str(settings.MEDIA_ROOT)
    if is_private_name(path) or not fits_file_system(path, root):
        raise Http404("No such file")
    return serve(request, path, document_root=root)
