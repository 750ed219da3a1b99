"""The command line: a thin click adapter over the nashra library.

Each command gathers its inputs, calls one library function, prints a short
result, and turns `NashraError`s into messages: exit 2 for usage and settings
errors, 1 for a build that failed. `NASHRA_DEBUG=1` shows the traceback instead.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from nashra import __version__
from nashra.engines import AUTO, engine_names
from nashra.errors import NashraError, UsageError, describe_os_error
from nashra.settings import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger("nashra")

ENGINE_CHOICES = (AUTO, *engine_names())
"""`auto` and every registered engine, plugins included."""


class BuildFailed(click.ClickException):
    exit_code = 1


class BadUsage(click.ClickException):
    exit_code = 2


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except NashraError as exc:
        if os.environ.get("NASHRA_DEBUG"):
            raise
        if isinstance(exc, UsageError):
            raise BadUsage(str(exc)) from exc
        raise BuildFailed(str(exc)) from exc
    except OSError as exc:
        # Whatever the system refused (a file where a folder must be, a full disk, no
        # permission), one line with the path and the cause, not a traceback.
        if os.environ.get("NASHRA_DEBUG"):
            raise
        raise BuildFailed(describe_os_error(exc)) from exc


def _project_option(func: F) -> F:
    return click.option(
        "--project",
        "-p",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The podcast project folder (holds podcast.toml and articles/).",
    )(func)


def _label(name: str) -> str:
    """What messages call the engine `name`."""
    from nashra.engines import engine_class

    return engine_class(name).label or name


def _settings(project: Path, engine: str | None = None) -> Settings:
    overrides = {"speech.engine": engine} if engine else None
    return load_settings(project, overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nashra")
@click.option("-v", "--verbose", count=True, help="Say more (-vv for debugging detail).")
@click.option("-q", "--quiet", is_flag=True, help="Only print warnings and errors.")
def cli(verbose: int, quiet: bool) -> None:
    """nashra: publish written Arabic articles as a podcast.

    Reads articles/ in a podcast project, voices each article in Arabic, and writes
    MP3 episodes and a podcast RSS feed to output/.
    """
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    if not verbose and not quiet:
        level = logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)


class _Bar:
    """Adapts the builder's (done, total) callbacks to a click progress bar."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Synthesizing", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command()
@_project_option
@click.option(
    "--engine",
    type=click.Choice(ENGINE_CHOICES),
    default=None,
    help="Speech engine; default from podcast.toml ([speech] engine), else auto: "
    "the best engine that can run here (Google when it answers, espeak-ng offline otherwise).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Clips synthesized at once (default: the number of CPUs).",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    help="Seconds to wait for another build of the same project to finish.",
)
@click.option(
    "--publish",
    "then_publish",
    is_flag=True,
    help="Then upload output/ to `[publish] target`, if the check finds no errors.",
)
def build(
    project: Path, engine: str | None, jobs: int | None, wait: float, then_publish: bool
) -> None:
    """Voice every new or changed article and write output/feed.xml and its episodes.

    Unchanged episodes are kept as they are; an article that fails is reported and
    keeps its previously published episode, and the exit status is then 1.
    With --publish, output/ is then uploaded as `nashra publish` does, unless the
    closing check found errors.
    """
    from nashra.builder import build as run_build

    with _errors():
        settings = _settings(project, engine)
        bar = _Bar(enabled=sys.stderr.isatty())
        try:
            report = run_build(settings, jobs=jobs, progress=bar, wait_for_lock=wait)
        finally:
            bar.close()
    if report.engine_note:
        click.echo(f"note: {report.engine_note}", err=True)
    for failure in report.failed:
        click.echo(f"error: {failure.source}: {failure.reason}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning.source}: {warning.reason}", err=True)
    for source, date in report.scheduled:
        click.echo(f"scheduled: {source} is dated {date.isoformat()}; not published yet")
    minutes = report.audio_seconds / 60
    click.echo(
        f"built {len(report.built)}, unchanged {len(report.unchanged)}, "
        f"failed {len(report.failed)}"
        + (f", removed {len(report.removed)}" if report.removed else "")
        + (f", scheduled {len(report.scheduled)}" if report.scheduled else "")
        + f" · {report.episodes_in_feed} episodes, {minutes:.1f} min of audio"
        + f" · clips synthesized {report.clips_synthesized}, from cache {report.clips_cached}"
        + (f" · engine {report.engine}" if report.engine else "")
    )
    click.echo(f"feed: {report.feed_path}")
    for finding in report.findings:
        click.echo(f"check: {finding}", err=True)
    if then_publish:
        if report.check_errors:
            raise BuildFailed(
                f"not published: `nashra check` found {report.check_errors} error(s) in the feed"
            )
        _publish(settings, None, dry_run=False, verify=False, verify_url=None)
    if not report.ok:
        raise BuildFailed(f"{len(report.failed)} article(s) failed; the others were published")
    if report.check_errors:
        raise BuildFailed(
            f"the feed was published, but `nashra check` found {report.check_errors} error(s)"
        )


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
    from nashra import publish as pub

    def done(stage: str, count: int) -> None:
        files = f"{count} file{'s' * (count != 1)}"
        if stage == pub.DELETE:
            click.echo(f"deleted {files} the new feed no longer needs")
        else:
            click.echo(f"sent {pub.STAGE_NAMES[stage]}: {files}")

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
        click.echo(
            f"dry run: would upload {len(uploads)}, "
            f"delete {len(plan.paths(pub.DELETE)) - len(report.kept)}, "
            f"leave {len(plan.unchanged)} unchanged at {report.target}"
        )
        return
    if not report.keeps_headers:
        click.echo(
            f"note: {report.backend} does not keep HTTP headers: set Content-Type and "
            "Cache-Control in the web server that serves these files",
            err=True,
        )
    if plan.left_alone:
        click.echo(
            f"note: left alone {len(plan.left_alone)} file(s) in {report.target} that nashra "
            "did not make",
            err=True,
        )
    if report.kept:
        click.echo(
            f"kept {len(report.kept)} file(s) the feed no longer names: a cache may serve the "
            f"previous feed for `max_age` seconds; a publish after {after} deletes them"
        )
    click.echo(
        f"published to {report.target}: uploaded {len(report.uploaded)} "
        f"({report.bytes_sent / 1_000_000:.1f} MB), deleted {len(report.deleted)}, "
        f"unchanged {len(plan.unchanged)}"
    )
    if verify or verify_url:
        _verify(settings, verify_url)


def _verify(settings: Settings, verify_url: str | None) -> None:
    from nashra.verify import verify_feed

    rewrite = (settings.base_url, verify_url.rstrip("/")) if verify_url else None
    result = verify_feed(settings.feed_url, rewrite=rewrite)
    for problem in result.problems:
        click.echo(f"verify: {problem}", err=True)
    if not result.ok:
        raise BuildFailed(
            f"verifying {result.feed_url} found {len(result.problems)} problem(s): podcast "
            "apps could not play everything that was published"
        )
    click.echo(f"verified {result.feed_url}: {result.checked} enclosure(s) answer in full")


@cli.command()
@_project_option
def check(project: Path) -> None:
    """Lint the built feed and its media against what podcast directories require.

    Each finding names its rule and the episode. Exit status 1 when there are
    errors, 0 when there are only warnings or nothing at all.
    """
    from nashra.builder import now_utc
    from nashra.check import check_project, count_errors

    with _errors():
        settings = _settings(project)
        findings = check_project(settings, now=now_utc())
    for finding in findings:
        click.echo(str(finding))
    errors = count_errors(findings)
    warnings = len(findings) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)")
    if errors:
        raise BuildFailed(f"the feed has {errors} error(s) podcast directories would reject")


@cli.command()
@_project_option
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option(
    "--speech",
    "speech_of",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Print exactly what each engine will be given for this article, per section.",
)
def plan(project: Path, as_json: bool, speech_of: Path | None) -> None:
    """Show what a build would read and say, without synthesizing anything.

    Per article: title, author, sections, characters, speech chunks, the Google
    requests it would make, clips already cached, and estimated minutes.
    With --speech ARTICLE: the text each engine is given, chunk by chunk, after
    the lexicon and normalization (and, for espeak, diacritization).
    """
    from nashra.planner import plan as make_plan
    from nashra.planner import speech_view

    if speech_of is not None:
        with _errors():
            sections = speech_view(_settings(project), speech_of)
        if as_json:
            data = [
                {
                    "title": s.title,
                    "chunks": s.chunks,
                    **{f"{name}_requests": texts for name, texts in s.requests.items()},
                }
                for s in sections
            ]
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for part in sections:
            click.echo(f"§ {part.title}")
            for chunk in part.chunks:
                for name, text in chunk.items():
                    click.echo(f"  {name:8} {text}")
                click.echo()
            for name, requests in part.requests.items():
                click.echo(f"  {_label(name)}'s requests (chunks packed into full requests):")
                for request in requests:
                    click.echo(f"  {len(request):3}  {request}")
                click.echo()
        return
    with _errors():
        settings = _settings(project)
        result = make_plan(settings)
    if as_json:
        click.echo(json.dumps(result.to_json(settings.project), ensure_ascii=False, indent=2))
    else:
        for item in result.articles:
            a = item.article
            click.echo(f"{a.source.name}  →  episodes/{a.slug}.mp3")
            click.echo(f"  title:  {a.title}")
            if a.author:
                click.echo(f"  author: {a.author}")
            for section in a.sections:
                words = sum(len(p.split()) for p in section.paragraphs)
                click.echo(f"  § {section.title or '(lead)'}  [{words} words]")
            hits = ", ".join(f"{name} {n}" for name, n in sorted(item.cache_hits.items()))
            click.echo(
                f"  {item.script.characters} characters, {item.chunks} chunks, "
                + "".join(f"{n} {_label(name)} requests, " for name, n in item.requests.items())
                + f"cached: {hits or 'none'}, "
                f"~{item.estimated_seconds / 60:.1f} min"
            )
        for failure in result.failed:
            click.echo(f"error: {failure.source}: {failure.reason}", err=True)
        for skipped in result.ignored:
            click.echo(f"warning: {skipped.source}: {skipped.reason}", err=True)
    if result.failed:
        raise BuildFailed(f"{len(result.failed)} article(s) cannot be read")


@cli.command()
@click.argument("text", required=False)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the text from this UTF-8 file instead.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the MP3.",
)
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True)
@_project_option
def speak(text: str | None, file: Path | None, output: Path, engine: str, project: Path) -> None:
    """Speak TEXT (or the text of --file) into one MP3.

    Uses the project's voice settings when run inside a podcast project.
    """
    from nashra.speak import speak as run_speak

    if (text is None) == (file is None):
        raise BadUsage("give either TEXT or --file, not both or neither")
    with _errors():
        if file is not None:
            try:
                text = file.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as exc:
                raise UsageError(f"{file}: cannot read it as UTF-8 text ({exc})") from exc
            except OSError as exc:
                raise UsageError(describe_os_error(exc)) from exc
        settings = load_settings(project) if (project / "podcast.toml").is_file() else None
        assert text is not None
        result = run_speak(text, output, engine=engine, settings=settings)
    if result.note:
        click.echo(f"note: {result.note}", err=True)
    click.echo(f"wrote {output} ({result.duration:.1f} s, {result.engine})")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Make a new podcast project in DIRECTORY: podcast.toml and a sample article."""
    from nashra.project import init_project

    with _errors():
        written = init_project(directory)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: edit {directory / 'podcast.toml'}, then run `nashra build -p {directory}`")


@cli.command()
@_project_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets other devices on the network in.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any."
)
@click.option(
    "--base-url",
    default=None,
    help="Address the served feed's links point at (default: the address each "
    "request reached the server by). The files in output/ are not changed.",
)
def serve(project: Path, host: str, port: int, base_url: str | None) -> None:
    """Serve the built output/ folder: the podcast's pages, its feed and its episodes.

    Podcast apps and browsers on this machine (or, with --host 0.0.0.0, on the
    same network) can subscribe and play before anything is uploaded. Supports
    byte ranges, ETag and Last-Modified; never lists folders or serves files
    outside output/. Stop with Ctrl+C.
    """
    from nashra.server import lan_address, make_server

    with _errors():
        server = make_server(_settings(project), host=host, port=port, base_url=base_url)
    url = server.url
    if host in ("0.0.0.0", "::"):
        click.echo(
            "warning: listening on every network interface: anyone on this network "
            "can fetch everything in output/",
            err=True,
        )
        lan = lan_address()
        bound = server.server_address[1]
        url = f"http://{lan}:{bound}" if lan else url
    click.echo(f"serving {project / 'output'} at {url}/")
    click.echo(f"feed: {(base_url or url).rstrip('/')}/feed.xml")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()


@cli.command()
@_project_option
@click.option("--probe", is_flag=True, help="Also try one short request to each online engine.")
def engines(project: Path, probe: bool) -> None:
    """List the speech engines, whether each can run here, and why not.

    Inside a podcast project each engine is tried with the project's own options.
    Exit status 1 when the engine the project is configured to use (podcast.toml's
    [speech] engine, or auto outside a project) cannot run here, 0 otherwise.
    """
    from nashra.engines import create_engine, engine_names
    from nashra.settings import Speech

    with _errors():
        speech = _settings(project).speech if (project / "podcast.toml").is_file() else Speech()
    runs: dict[str, bool] = {}
    for name in engine_names():
        with _errors():
            engine = create_engine(name, speech.options_for(name))
        available = engine.probe() if probe else engine.availability()
        status = "available" if available.ok else "unavailable"
        runs[name] = available.ok
        network = "online" if engine.needs_network else "offline"
        click.echo(f"{name:8} {status:12} {network:8} {available.reason}")
    configured = speech.engine
    # `auto` voices with whichever engine answers, so it runs when any one can.
    if not (any(runs.values()) if configured == "auto" else runs.get(configured, False)):
        raise BuildFailed(f"the configured engine `{configured}` cannot run here (see above)")


def main() -> None:
    cli(prog_name="nashra")
