"""The bookkeeping of one write: counts, problems and the source-id index."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..models import ImportedItem
from ..records import Problem

Action = Literal["created", "updated", "unchanged", "skipped"]


@dataclass
class RunReport:
    """What a run did (or, dry, would do)."""

    source: str
    dry_run: bool
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    problems: list[Problem] = field(default_factory=list)
    error: str = ""

    def count(self, kind: str, action: Action) -> None:
        self.counts[kind][action] += 1

    def problem(self, item: str, message: str) -> None:
        self.problems.append(Problem(item, message))

    @property
    def written(self) -> int:
        """How many things were created or updated."""
        return sum(
            n
            for actions in self.counts.values()
            for action, n in actions.items()
            if action in {"created", "updated"}
        )

    def plain_counts(self) -> dict[str, dict[str, int]]:
        return {kind: dict(actions) for kind, actions in self.counts.items()}

    def plain_problems(self) -> list[dict[str, str]]:
        return [asdict(p) for p in self.problems]

    def summary_lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        lines = []
        for kind, actions in sorted(self.counts.items()):
            parts = ", ".join(f"{n} {action}" for action, n in sorted(actions.items()))
            lines.append(f"{kind}s: {parts}")
        if not lines:
            lines.append(f"Nothing {verb} imported.")
        lines += [f"{p.item}: {p.message}" for p in self.problems]
        if self.error:
            lines.append(f"Failed, nothing was changed: {self.error}")
        return lines


def digest(record: Any) -> str:
    """A fingerprint of a parsed record: unchanged records are not rewritten."""
    text = json.dumps(asdict(record), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Index:
    """The ImportedItem rows of one source, read once, written as the run goes."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.rows: dict[tuple[str, str], ImportedItem] = {
            (row.kind, row.source_id): row
            for row in ImportedItem.objects.filter(source=source).exclude(kind="image")
        }
        # Created in one query per batch (``flush``): nothing reads them back
        # during the run but this index.
        self.new_rows: list[ImportedItem] = []

    def flush(self) -> None:
        """Write the rows remembered since the last flush."""
        ImportedItem.objects.bulk_create(self.new_rows, batch_size=500)
        self.new_rows = []

    def get(self, kind: str, source_id: str) -> ImportedItem | None:
        return self.rows.get((kind, source_id[:255]))

    def remember(
        self, kind: str, source_id: str, object_id: int, fingerprint: str
    ) -> None:
        row = self.rows.get((kind, source_id[:255]))
        if row is None:
            row = ImportedItem(
                source=self.source,
                kind=kind,
                source_id=source_id[:255],
                object_id=object_id,
                digest=fingerprint,
            )
            self.rows[(kind, row.source_id)] = row
            self.new_rows.append(row)
        elif row.pk is None:
            row.object_id, row.digest = object_id, fingerprint
        elif row.object_id != object_id or row.digest != fingerprint:
            row.object_id, row.digest = object_id, fingerprint
            row.save(update_fields=["object_id", "digest", "updated_at"])
