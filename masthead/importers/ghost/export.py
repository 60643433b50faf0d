"""Finding a Ghost export's JSON and images in a file, a folder or a zip.

Ghost's "Export content" gives a ``.json``; a full site backup (and
Ghost(Pro)'s export) is a folder or ``.zip`` with the JSON and
``content/images/...``. Images are looked up under ``base_dir``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

# A zip may not unpack past these (a hostile or broken upload).
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_MEMBERS = 200_000
TEMP_PREFIX = "masthead-import-"


class ExportError(ValueError):
    """The file is not a Ghost export that can be read."""


def _json_in_dir(folder: Path) -> Path | None:
    candidates = sorted(folder.glob("*.json")) + sorted(folder.glob("*/*.json"))
    for candidate in candidates:
        if _looks_like_ghost(candidate):
            return candidate
    return None


def _looks_like_ghost(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "ignore")
    except OSError:
        return False
    return '"db"' in head or ('"meta"' in head and '"data"' in head)


def unpack_zip(path: Path) -> Path:
    """Unpack the JSON and ``content/images`` of a zip into a new temp folder.

    Raises:
        ExportError: unreadable, too large, or members escaping the folder.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ExportError(f"{path.name}: not a readable zip ({error})") from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ExportError(f"{path.name}: too many files ({len(members)})")
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise ExportError(f"{path.name}: unpacks to more than 4 GB")
        target = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
        for member in members:
            name = PurePosixPath(member.filename)
            if member.is_dir() or name.is_absolute() or ".." in name.parts:
                continue
            if name.suffix != ".json" and "images" not in name.parts:
                continue
            destination = target.joinpath(*name.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, destination.open("wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
    return target


def locate(path: Path) -> tuple[Path, Path]:
    """The export's JSON file and the folder its ``content/`` is relative to.

    Raises:
        ExportError: no Ghost JSON found.
    """
    folder = path
    if path.is_file() and path.suffix.lower() == ".zip":
        folder = unpack_zip(path)
    if folder.is_dir():
        found = _json_in_dir(folder)
        if found is None:
            raise ExportError(f"{path.name}: no Ghost export JSON inside")
        base = found.parent
        if not (base / "content").is_dir() and (folder / "content").is_dir():
            base = folder
        return found, base
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    return path, path.parent


def load(json_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The export's ``meta`` and ``data`` (Ghost 1+: under ``db[0]``).

    Raises:
        ExportError: not JSON, or not shaped like a Ghost export.
    """
    try:
        with json_path.open("rb") as handle:
            document = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportError(f"{json_path.name}: not JSON ({error})") from error
    if isinstance(document, dict) and isinstance(document.get("db"), list):
        document = document["db"][0] if document["db"] else {}
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise ExportError(f"{json_path.name}: not a Ghost export (no data)")
    meta = document.get("meta")
    return (meta if isinstance(meta, dict) else {}), document["data"]
