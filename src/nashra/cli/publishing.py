"""`nashra publish`: putting `output/` online."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from nashra.cli.app import BuildFailed, _errors, _project_option, _settings, cli, verbosity
from nashra.settings import Settings


@cli.command()
@click.argument("dest", required=False)
@_project_option
@click.option("--dry-run", "-n", is_flag=True, help="List what would be sent and deleted.")
@click.option(
    "--verify",
    is_flag=True,
    help="Afterwards fetch feed.xml from base_url over HTTP(S) and check that every "
    "enclosure answers with its stated length.",
)
@click.option(
    "--verify-url",
    default=None,
    metavar="URL",
    help="Verify the copy at URL instead of base_url (a staging host, `nashra serve`); "
    "implies --verify.",
)
def publish(
    dest: str | None, project: Path, dry_run: bool, verify: bool, verify_url: str | None
) -> None:
    """Upload output/ to DEST (an rclone remote), else to `[publish] target`.

    New and changed media and sidecars go first, then the pages, then feed.xml;
    files the new feed no longer names are deleted only after it is up, so no
    podcast app ever sees a feed whose files are missing. Only changed files are
    sent, and running it again after an interruption finishes the job.
    """
    with _errors():
        settings = _settings(project)
    _publish(settings, dest, dry_run=dry_run, verify=verify, verify_url=verify_url)


def _publish(
    settings: Settings,
    dest: str | None,
    *,
    dry_run: bool,
    verify: bool,
    verify_url: str | None,
) -> None:
    from nashra.publishing import publish as pub

    # -q: nothing but warnings and errors (a dry run still lists what it would do).
    echo = _silent if verbosity() < 0 else click.echo

    def done(stage: str, count: int) -> None:
        files = f"{count} file{'s' * (count != 1)}"
        if stage == pub.DELETE:
            echo(f"deleted {files} the new feed no longer needs")
        else:
            echo(f"sent {pub.STAGE_NAMES[stage]}: {files}")

    with _errors():
        target = pub.resolve_target(settings, dest)
        report = pub.publish(settings, target, dry_run=dry_run, on_stage=done)
    plan = report.plan
    uploads = [p for step in plan.steps if step.stage != pub.DELETE for p in step.paths]
    after = ""
    if report.delete_after is not None:
        moment = datetime.fromtimestamp(report.delete_after, tz=UTC)
        after = f"{moment:%Y-%m-%d %H:%M:%S} UTC"
    if dry_run:
        for step in plan.steps:
            action = "delete" if step.stage == pub.DELETE else "upload"
            for path in step.paths:
                extra = f"  ({'; '.join(v for _, v in step.headers)})" if step.headers else ""
                if step.stage == pub.DELETE and report.kept:
                    extra = f"  (kept until {after}, while caches may hold the previous feed)"
                click.echo(f"{action} {path}{extra}")
        echo(
            f"dry run: would upload {len(uploads)}, "
            f"delete {len(plan.paths(pub.DELETE)) - len(report.kept)}, "
            f"leave {len(plan.unchanged)} unchanged at {report.target}"
        )
        return
    if not report.keeps_headers:
        echo(
            f"note: {report.backend} does not keep HTTP headers: set Content-Type and "
            "Cache-Control in the web server that serves these files",
            err=True,
        )
    if plan.left_alone:
        echo(
            f"note: left alone {len(plan.left_alone)} file(s) in {report.target} that nashra "
            "did not make",
            err=True,
        )
    if report.kept:
        echo(
            f"kept {len(report.kept)} file(s) the feed no longer names: a cache may serve the "
            f"previous feed for `max_age` seconds; a publish after {after} deletes them"
        )
    echo(
        f"published to {report.target}: uploaded {len(report.uploaded)} "
        f"({report.bytes_sent / 1_000_000:.1f} MB), deleted {len(report.deleted)}, "
        f"unchanged {len(plan.unchanged)}"
    )
    if verify or verify_url:
        _verify(settings, verify_url, echo)


def _silent(message: str, err: bool = False) -> None:
    """Prints nothing: what -q does to publishing's progress and summary."""


def _verify(settings: Settings, verify_url: str | None, echo: Callable[..., None]) -> None:
    from nashra.publishing.verify import verify_feed

    rewrite = (settings.base_url, verify_url.rstrip("/")) if verify_url else None
    result = verify_feed(settings.feed_url, rewrite=rewrite)
    for problem in result.problems:
        click.echo(f"verify: {problem}", err=True)
    if not result.ok:
        raise BuildFailed(
            f"verifying {result.feed_url} found {len(result.problems)} problem(s): podcast "
            "apps could not play everything that was published"
        )
    echo(f"verified {result.feed_url}: {result.checked} enclosure(s) answer in full")
