"""`nashra update`: follow the newsroom's feeds unattended (import, build, publish)."""

from __future__ import annotations

from pathlib import Path

import click

from nashra.cli.app import BadUsage, BuildFailed, _errors, _project_option, _settings, cli
from nashra.cli.importing import summary, web_import
from nashra.config.settings import Settings
from nashra.storage import paths
from nashra.storage.lock import update_lock
from nashra.storage.writer import atomic_write


@cli.command()
@_project_option
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    help="Seconds to wait for another `nashra update` (and then a build) of the project "
    "to finish; without it, a run that finds one under way leaves at once (exit 2).",
)
def update(project: Path, wait: float) -> None:
    """Import the feeds of `[import] feeds`, build, and publish: one run for cron or systemd.

    New and changed articles are imported as `nashra import feed` does; then, if
    anything was imported (or an earlier run's work is not yet published), the
    podcast is built, and published to `[publish] target` when one is set and
    `nashra check` finds no errors. A run that finds nothing new sends only the
    feeds' conditional requests and writes nothing. It prints one line; the exit
    status is 1 when a feed, an article, the check or the publishing failed.
    """
    from nashra.stages.builder import build as run_build

    problems: list[str] = []
    with _errors():
        settings = _settings(project)
        feeds = settings.imports.feeds
        if not feeds:
            raise BadUsage(
                f"{settings.project / paths.SETTINGS_FILE}: `[import] feeds` lists no feed; "
                'add the newsroom\'s feed addresses (feeds = ["https://…/rss"])'
            )
        with update_lock(settings.work_dir, wait=wait):
            imported = web_import(settings, "feed", feeds)
            for problem in imported.failed:
                click.echo(f"not imported: {problem}", err=True)
            problems += [f"{len(imported.failed)} not imported"] if imported.failed else []
            pending = settings.work_dir / paths.UPDATE_PENDING_FILE
            if imported.changed:
                atomic_write(pending, b"imported, not yet built and published\n")
            line = f"update: {summary(imported)}"
            if not pending.exists():
                click.echo(f"{line} · nothing new to build")
                _exit(problems)
                return
            report = run_build(settings, wait_for_lock=wait)
            for failure in report.failed:
                click.echo(f"error: {failure.source}: {failure.reason}", err=True)
            for warning in report.warnings:
                click.echo(f"warning: {warning.source}: {warning.reason}", err=True)
            for finding in report.findings:
                click.echo(f"check: {finding}", err=True)
            line += (
                f" · built {len(report.built)}, unchanged {len(report.unchanged)}, "
                f"failed {len(report.failed)}"
            )
            problems += [f"{len(report.failed)} article(s) failed"] if report.failed else []
            if report.check_errors:
                problems.append(f"`nashra check` found {report.check_errors} error(s)")
            if not settings.publish.target:
                line += " · not published ([publish] target is not set)"
            elif report.check_errors:
                line += " · not published (the check found errors)"
            else:
                line += f" · {_publish(settings)}"
            if not report.check_errors:
                pending.unlink(missing_ok=True)
    click.echo(line)
    _exit(problems)


def _publish(settings: Settings) -> str:
    from nashra.publishing import publish as pub

    target = pub.resolve_target(settings, None)
    report = pub.publish(settings, target)
    return (
        f"published to {report.target}: uploaded {len(report.uploaded)}, "
        f"deleted {len(report.deleted)}"
    )


def _exit(problems: list[str]) -> None:
    if problems:
        raise BuildFailed("; ".join(problems))
