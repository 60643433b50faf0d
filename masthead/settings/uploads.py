"""Settings for uploaded images and documents (issues #13, #14), read by ``base``.

What the image library accepts, when a rendition is made in the background
instead of while a reader waits, and which document types a story may carry.
docs/settings.md lists every variable.
"""

import os

WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# Hostile files (#13): every upload path checks the file with this form's
# field (core/image_forms.py): damaged or empty files and images past these
# limits get a message, not an error page. 80 megapixels (width x height x
# frames) admits the largest full-frame camera files (61 MP) and panoramas
# and refuses 11000x11000 (121 MP), whose hero took 5 s and 650 MB.
WAGTAILIMAGES_IMAGE_FORM_BASE = "masthead.core.image_forms.ImageForm"
MASTHEAD_MAX_IMAGE_PIXELS = int(os.environ.get("MASTHEAD_MAX_IMAGE_PIXELS", "80000000"))
WAGTAILIMAGES_MAX_IMAGE_PIXELS = MASTHEAD_MAX_IMAGE_PIXELS
MASTHEAD_MAX_IMAGE_SIDE = int(os.environ.get("MASTHEAD_MAX_IMAGE_SIDE", "20000"))
MASTHEAD_MAX_IMAGE_FRAMES = int(os.environ.get("MASTHEAD_MAX_IMAGE_FRAMES", "1000"))
# Originals above this many pixels never get a rendition made while a reader
# waits: a task makes them (core/renditions.py), the page shows a box of the
# picture's shape until then.
MASTHEAD_RENDITION_INLINE_MAX_PIXELS = int(
    os.environ.get("MASTHEAD_RENDITION_INLINE_MAX_PIXELS", "4000000")
)
# Documents also carry a story's recordings and their subtitles (video and
# audio blocks, content/format_blocks.py, #14).
WAGTAILDOCS_EXTENSIONS = [
    *("csv", "pdf", "txt", "xlsx", "docx"),
    *("mp4", "webm", "mp3", "m4a", "ogg", "oga", "opus", "wav", "vtt"),
]
