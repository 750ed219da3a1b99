"""`nashra import`: an archive, web pages or a feed into articles/."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nashra.cli.app import BadUsage, BuildFailed, _errors, _project_option, _settings, cli
from nashra.config.settings import Settings
from nashra.core.errors import UsageError
from nashra.readers.importing import FORMATS

if TYPE_CHECKING:
    from nashra.web.fetch import Fetcher
    from nashra.web.importer import WebImported

log = logging.getLogger(__name__)

WEB_KINDS = ("url", "feed")


@cli.command("import")
@click.argument("kind", metavar="FORMAT", type=click.Choice((*FORMATS, *WEB_KINDS)))
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True)
@_project_option
def import_(kind: str, sources: tuple[str, ...], project: Path) -> None:
    """Import articles into articles/ as Markdown files.

    FORMAT is `saudinewsnet` (the dataset's YYYY-MM-DD.zip or .json day files),
    `jsonl` (JSON Lines: title, content, author, date, url, source), `url` (web
    pages: the article in each is found and kept, menus and comments left out) or
    `feed` (RSS or Atom feeds, by address or file: each item's article). An
    archive's article is written once; a web article is written again when it
    changed on its site. Articles dated before `backfill_since` are skipped.
    What could not be imported is named, and the exit status is then 1.
    """
    with _errors():
        settings = _settings(project)
        if kind in WEB_KINDS:
            result = web_import(settings, kind, sources)
        else:
            _archive(settings, kind, sources)
            return
    report(result)
    if result.failed:
        raise BuildFailed(f"{len(result.failed)} address(es) could not be imported")


def _archive(settings: Settings, kind: str, sources: tuple[str, ...]) -> None:
    from nashra.readers.importing import import_files

    files = [Path(source) for source in sources]
    for path in files:
        if not path.is_file():
            raise BadUsage(f"{path}: no such file")
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


def fetcher_for(settings: Settings) -> Fetcher:
    """The polite fetcher `[import]` describes; UsageError when the `web` extra is missing."""
    try:
        from nashra.web.fetch import Fetcher, FetchOptions
        from nashra.web.importer import import_pages  # noqa: F401  (trafilatura is there)
    except ImportError as exc:
        raise UsageError(
            f"importing from the web needs the `web` extra ({exc.name} is not installed): "
            "pip install 'nashra[web]'"
        ) from None
    o = settings.imports
    return Fetcher(
        FetchOptions(
            rate=o.rate,
            timeout=o.timeout,
            retries=o.retries,
            backoff=o.backoff,
            max_bytes=int(o.max_page_mb * 2**20),
            robots=o.robots,
        )
    )


def web_import(settings: Settings, kind: str, sources: tuple[str, ...] | list[str]) -> WebImported:
    """`nashra import url|feed`, and the import step of `nashra update`."""
    fetcher = fetcher_for(settings)
    from nashra.web.importer import import_feeds, import_pages

    try:
        if kind == "url":
            return import_pages(
                sources, settings.articles_dir, fetcher, since=settings.backfill_since
            )
        return import_feeds(
            sources,
            settings.articles_dir,
            settings.work_dir,
            fetcher,
            since=settings.backfill_since,
        )
    finally:
        log.info("%d request(s) sent", len(fetcher.requests))
        fetcher.close()


def report(result: WebImported) -> None:
    """What `import url|feed` did: each failure on stderr, then one line."""
    for problem in result.failed:
        click.echo(f"not imported: {problem}", err=True)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(summary(result))


def summary(result: WebImported) -> str:
    parts = [f"{len(result.written)} article(s) imported"]
    if result.updated:
        parts.append(f"{len(result.updated)} updated")
    if result.unchanged or result.seen:
        parts.append(f"{result.unchanged + result.seen} unchanged")
    if result.feeds_unchanged:
        parts.append(f"{result.feeds_unchanged} feed(s) not modified")
    if result.same_text:
        parts.append(f"{result.same_text} the text of another at another address")
    if result.too_old:
        parts.append(f"{result.too_old} dated before backfill_since")
    if result.failed:
        parts.append(f"{len(result.failed)} failed")
    return ", ".join(parts)
