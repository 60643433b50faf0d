"""Members from and to CSV files: Ghost and Substack exports (issue #16).

Reading is in two steps. A parser for each source format (``GhostParser``,
``SubstackParser``, chosen from the header row by ``parser_for``) turns the
file's lines into plain ``MemberRow`` values and names every bad field. Then
``import_members`` checks the whole file and writes it in one transaction, or
writes nothing when any line is bad. Members are keyed by their normalised
address, so a second run of the same file changes nothing.

One module per job (STYLE §1: a package past ~500 lines):

- ``reading``: the formats, their parsers and ``read_members`` (no database);
- ``importing``: ``import_members``, which checks and writes a file;
- ``exporting``: ``export_members`` and friends, in Ghost's column layout.
"""

from .exporting import export_lines, export_members, export_rows
from .importing import import_members
from .reading import (
    ENCODINGS,
    GHOST_COLUMNS,
    NEWSLETTERS_COLUMN,
    PARSERS,
    GhostParser,
    ImportReport,
    MemberParser,
    MemberRow,
    Problem,
    SubstackParser,
    parser_for,
    read_members,
)

__all__ = [
    "ENCODINGS",
    "GHOST_COLUMNS",
    "NEWSLETTERS_COLUMN",
    "PARSERS",
    "GhostParser",
    "ImportReport",
    "MemberParser",
    "MemberRow",
    "Problem",
    "SubstackParser",
    "export_lines",
    "export_members",
    "export_rows",
    "import_members",
    "parser_for",
    "read_members",
]
