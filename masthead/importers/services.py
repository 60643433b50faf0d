"""Running an import: parse with the registered parser, write, log the run."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from . import registry
from .ghost.export import TEMP_PREFIX
from .models import ImportRun, RunState
from .records import Archive
from .writer import Progress, RunReport, write

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ParseFailed(ValueError):
    """The file could not be read by the chosen parser."""


def parse_file(source: str, path: Path) -> Archive:
    """Read ``path`` with the parser registered as ``source``.

    Raises:
        registry.UnknownSource: no such parser.
        ParseFailed: the parser refused or could not read the file.
    """
    parser = registry.get_parser(source)
    if not path.exists():
        raise ParseFailed(f"{path}: no such file or folder")
    if not parser.can_parse(path):
        raise ParseFailed(f"{path.name} does not look like a {source} export")
    try:
        return parser.parse(path)
    except (ValueError, OSError, KeyError, TypeError) as error:
        raise ParseFailed(f"{path.name}: {error}") from error


def cleanup(archive: Archive) -> None:
    """Remove the folder a zip was unpacked into, if the parser made one."""
    base = Path(archive.base_dir) if archive.base_dir else None
    if (
        base is not None
        and base.name.startswith(TEMP_PREFIX)
        and base.parent == Path(tempfile.gettempdir())
    ):
        shutil.rmtree(base, ignore_errors=True)


def progress_file(run: ImportRun) -> Path:
    """Where a running import says how far it got (private uploads folder)."""
    folder = Path(settings.MASTHEAD_PRIVATE_UPLOADS_ROOT) / "imports"
    return folder / f"run-{run.pk}.progress"


def write_progress(run: ImportRun, done: int, total: int) -> None:
    path = progress_file(run)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(f"{done} {total}")
        partial.replace(path)
    except OSError:
        return  # progress is a courtesy; the import goes on


def read_progress(run: ImportRun) -> tuple[int, int]:
    """Posts done and in all, from a running import's file (else the run's)."""
    try:
        done, total = progress_file(run).read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return run.done_count, run.total_count


def run_import(
    run: ImportRun,
    path: Path,
    *,
    allow_network: bool = False,
    progress: Progress | None = None,
) -> RunReport:
    """Parse and write ``path`` for ``run``, recording the outcome on it.

    Returns:
        The writer's report (its ``error`` set when parsing or writing failed).
    """
    run.state = RunState.RUNNING
    run.save(update_fields=["state"])

    counted = [0, 0]

    def track(done: int, total: int, what: str) -> None:
        counted[:] = [done, total]
        if progress is not None:
            progress(done, total, what)
        # Every 50 posts, in a file: the run's rows are inside the import's
        # transaction, which the admin's page cannot see until it ends.
        if done == total or done % 50 == 0:
            write_progress(run, done, total)

    user: User | None = run.user
    try:
        archive = parse_file(run.source, path)
    except (ParseFailed, registry.UnknownSource) as error:
        report = RunReport(source=run.source, dry_run=run.dry_run, error=str(error))
    else:
        try:
            report = write(
                archive,
                dry_run=run.dry_run,
                user=user,
                allow_network=allow_network,
                progress=track,
            )
        finally:
            cleanup(archive)
    progress_file(run).unlink(missing_ok=True)
    run.done_count, run.total_count = counted
    run.state = RunState.FAILED if report.error else RunState.DONE
    run.counts = report.plain_counts()
    run.problems = report.plain_problems()
    run.error = report.error
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            *("state", "counts", "problems", "error", "finished_at"),
            *("done_count", "total_count"),
        ]
    )
    return report
