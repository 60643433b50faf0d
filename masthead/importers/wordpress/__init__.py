"""WordPress exports (WXR 1.0-1.2, Tools > Export) as an ``Archive`` (#18).

``can_parse`` and ``parse`` are what the importers' registry calls; the
mapping is in ``archive.py``, reading the file in ``wxr.py`` and the bodies in
``gutenberg.py`` (block editor) and ``classic.py`` (classic editor and
shortcodes). See docs/importing.md.
"""

from __future__ import annotations

from pathlib import Path

from masthead.importers.records import Archive

from .archive import build
from .wxr import WXRError, can_read, read

__all__ = ["WXRError", "can_parse", "parse"]


def can_parse(path: Path) -> bool:
    """Whether ``path`` is a WordPress export: an ``rss`` root, the ``wp`` namespace."""
    return path.is_file() and can_read(path)


def parse(path: Path) -> Archive:
    """The export at ``path`` as plain records.

    Images are looked for under the file's folder, at the path part of their
    URL (``wp-content/uploads/2024/05/photo.png``).

    Raises:
        WXRError: not well-formed XML (the message names the line), a
            document type or entity declaration (refused), or not a WXR file.
        OSError: the file cannot be read.
    """
    return build(read(path), base_dir=str(path.parent))
