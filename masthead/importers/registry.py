"""The parsers Masthead can import from, by name (STYLE §2 "Importers").

A parser is a module with ``can_parse(path) -> bool`` and
``parse(path) -> Archive``. The registry imports each lazily, so one whose
module is missing (or fails to import) leaves the others working.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from .records import Archive


class Parser(Protocol):
    def can_parse(self, path: Path) -> bool: ...

    def parse(self, path: Path) -> Archive: ...


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    module: str


SOURCES: dict[str, Source] = {
    "ghost": Source("ghost", "Ghost (JSON export, .zip or folder)", "ghost"),
    "wordpress": Source("wordpress", "WordPress (WXR .xml)", "wordpress"),
}


class UnknownSource(LookupError):
    """No parser by that name, or its module cannot be imported."""


def get_parser(name: str) -> Parser:
    """The parser module registered as ``name``.

    Raises:
        UnknownSource: no such name, or its module is not installed.
    """
    source = SOURCES.get(name)
    if source is None:
        raise UnknownSource(f"No importer called {name!r}")
    try:
        module = importlib.import_module(f"{__package__}.{source.module}")
    except ImportError as error:
        raise UnknownSource(f"The {name} importer is not available: {error}") from error
    return cast(Parser, module)


def available() -> list[Source]:
    """The sources whose parser imports, in registry order."""
    result = []
    for source in SOURCES.values():
        try:
            get_parser(source.name)
        except UnknownSource:
            continue
        result.append(source)
    return result


def detect(path: Path) -> str | None:
    """The name of the first available parser that says it can read ``path``."""
    for source in available():
        if get_parser(source.name).can_parse(path):
            return source.name
    return None
