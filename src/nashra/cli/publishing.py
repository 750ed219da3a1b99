"""`nashra publish`: putting `output/` online."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import click

from nashra.cli.app import BuildFailed, _errors, _project_option, _settings, cli, verbosity
from nashra.config.settings import Settings

F = TypeVar("F", bound=Callable[..., object])


def _allow_removals_option(command: F) -> F:
    """`--allow-removals`: wherever a build or publish may take episodes out of the feed."""
    return click.option(
        "--allow-removals",
        is_flag=True,
        help="Let this run drop more episodes from the feed than `[build] max_removed` "
        "allows (default 5, or 10 % of those published); without it, it stops first.",
    )(command)


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
@_allow_removals_option
@click.option(
    "--ignore-check",
    is_flag=True,
    help="Publish even if `nashra check` finds errors in output/.",
)
def publish(
    dest: str | None,
    project: Path,
    dry_run: bool,
    verify: bool,
    verify_url: str | None,
    allow_removals: bool,
    ignore_check: bool,
) -> None:
    """Upload output/ to DEST (an rclone remote), else to `[publish] target`.

    New and changed media and sidecars go first, then the pages, then feed.xml;
    files the new feed no longer names are deleted only after it is up, so no
    podcast app ever sees a feed whose files are missing. Only changed files are
    sent, and running it again after an interruption finishes the job.

    Nothing is sent when `nashra check` finds errors in output/ (unless
    --ignore-check), nor when the new feed drops more episodes of the feed
    online than `[build] max_removed` allows (unless --allow-removals).
    """
    with _errors():
        settings = _settings(project)
    _publish(
        settings,
        dest,
        dry_run=dry_run,
        verify=verify,
        verify_url=verify_url,
        allow_removals=allow_removals,
        checked=ignore_check,
    )


def _publish(
    settings: Settings,
    dest: str | None,
    *,
    dry_run: bool,
    verify: bool,
    verify_url: str | None,
    allow_removals: bool = False,
    checked: bool = False,
) -> None:
    """`checked`: output/ was checked already (by the build), or is not to be."""
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
    if not checked and (settings.output_dir / pub.FEED).is_file():
        _check_output(settings)  # with no feed, publishing says to build first
    with _errors():
        report = pub.publish(
            settings, target, dry_run=dry_run, on_stage=done, allow_removals=allow_removals
        )
    if report.dropped:
        click.echo(
            f"note: the new feed drops {len(report.dropped)} episode(s) the feed at "
            f"{report.target} lists: {', '.join(report.dropped)}",
            err=True,
        )
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


def _check_output(settings: Settings) -> None:
    """What `build --publish` checks before it publishes: `nashra check`'s errors stop it."""
    from nashra.check import check_project, count_errors
    from nashra.core.clock import now_utc

    with _errors():
        findings = check_project(settings, now=now_utc())
    errors = count_errors(findings)
    for finding in findings:
        click.echo(f"check: {finding}", err=True)
    if errors:
        raise BuildFailed(
            f"not published: `nashra check` found {errors} error(s) in {settings.output_dir}; "
            "fix them and build again, or publish anyway with --ignore-check"
        )


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
