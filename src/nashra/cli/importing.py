"""`nashra import`: an archive into articles/."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from nashra.cli.app import BuildFailed, _errors, _project_option, _settings, cli
from nashra.readers.importing import FORMATS

log = logging.getLogger(__name__)


@cli.command("import")
@click.argument("kind", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@_project_option
def import_(kind: str, files: tuple[Path, ...], project: Path) -> None:
    """Import an archive's articles into articles/ as Markdown files.

    FORMAT is `saudinewsnet` (the dataset's YYYY-MM-DD.zip or .json day files) or
    `jsonl` (JSON Lines: title, content, author, date, url, source). Each article
    is written once: a record met again, on another file or another run, is
    skipped. Articles dated before `backfill_since` are skipped.
    """
    from nashra.readers.importing import import_files

    with _errors():
        settings = _settings(project)
        result = import_files(kind, files, settings.articles_dir, since=settings.backfill_since)
    for problem in result.failed:
        click.echo(f"skipped: {problem}", err=True)
    for problem in result.empty:
        log.info("skipped: %s", problem)
    parts = [f"{len(result.written)} article(s) imported"]
    if result.existing:
        parts.append(f"{result.existing} already there")
    if result.same_text:
        parts.append(f"{result.same_text} the text of another at another address")
    if result.too_old:
        parts.append(f"{result.too_old} dated before backfill_since")
    if result.empty:
        parts.append(f"{len(result.empty)} without a title or text")
    if result.failed:
        parts.append(f"{len(result.failed)} unreadable")
    click.echo(", ".join(parts))
    if result.failed:
        raise BuildFailed(f"{len(result.failed)} record(s) could not be imported")
