"""`nashra build`, `nashra check` and `nashra plan`: making the podcast and looking at it."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from nashra.cli.app import (
    ENGINE_CHOICES,
    BadUsage,
    BuildFailed,
    _errors,
    _label,
    _project_option,
    _settings,
    cli,
    verbosity,
)
from nashra.cli.progress_view import ProgressView
from nashra.cli.publishing import _allow_removals_option, _publish
from nashra.config.cluster import cluster_problem
from nashra.config.settings import Settings
from nashra.core.interrupt import Interrupted
from nashra.core.progress import PUBLISHING
from nashra.storage import paths


def _silent(message: str) -> None:
    """Prints nothing: what -q does to a build's summary."""


_max_characters_option = click.option(
    "--max-characters",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Refuse, before sending anything, a build that would send a paid engine (Azure, "
    "Google Cloud) "
    "more than N characters; a fallback or bulletin is never sent past it either.",
)


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
    "--cluster",
    metavar="ADDRESS",
    default=None,
    help="Voice and assemble on a Dask cluster: a scheduler's address (tcp://host:8786), "
    "or local:N for N worker processes here; `off` builds here alone. Default: "
    "`[build] cluster`. Needs pip install 'nashra[cluster]'.",
)
@click.option(
    "--publish",
    "then_publish",
    is_flag=True,
    help="Then upload output/ to `[publish] target`, if the check finds no errors.",
)
@click.option(
    "--ignore-cache",
    is_flag=True,
    help="Read every article again, ignoring the cached scripts (the clips stay cached).",
)
@_max_characters_option
@_allow_removals_option
def build(
    project: Path,
    engine: str | None,
    jobs: int | None,
    wait: float,
    cluster: str | None,
    then_publish: bool,
    ignore_cache: bool,
    max_characters: int | None,
    allow_removals: bool,
) -> None:
    """Voice every new or changed article and write output/feed.xml and its episodes.

    Unchanged episodes are kept as they are; an article that fails is reported and
    keeps its previously published episode, and the exit status is then 1.
    With --publish, output/ is then uploaded as `nashra publish` does, unless the
    closing check found errors. With --cluster, workers voice and assemble the
    episodes (offline engines only) through `[build] shared` storage; this
    machine still reads, decides and publishes. A build that would drop more
    episodes than `[build] max_removed` (articles gone) stops before changing
    anything, unless --allow-removals. --ignore-cache reads every article again
    rather than trusting the scripts cached by earlier builds. With a paid engine
    (Azure, Google Cloud), a line says first what it will be sent and cost (nothing
    when the clip cache has it all); --max-characters N refuses, before anything is
    sent, a build that would send it more than N.
    """
    from nashra.stages.builder import build as run_build

    quiet = verbosity() < 0
    with _errors():
        settings = _settings(project, engine)
        if cluster is not None:
            cluster = "" if cluster == "off" else cluster
            if cluster and (problem := cluster_problem(cluster)):
                raise BadUsage(f"--cluster: {problem}")
        view = ProgressView(
            "quiet" if quiet else "bar" if sys.stderr.isatty() else "lines", sys.stderr
        )
        try:
            report = run_build(
                settings,
                jobs=jobs,
                progress=view,
                wait_for_lock=wait,
                cluster=cluster,
                allow_removals=allow_removals,
                ignore_cache=ignore_cache,
                max_characters=max_characters,
                announce=lambda sent: view.say(f"cost: {sent.line()}"),
            )
        except Interrupted as exc:
            view.close()
            published = (
                "The new feed was published"
                if exc.published or PUBLISHING in view.finished
                else ("Nothing new was published")
            )
            click.echo(
                f"interrupted by {exc.name}: {view.summary()}. {published}; the clips voiced "
                "so far are kept in the cache, and the next build resumes from there.",
                err=True,
            )
            exc.reported = True
            raise
        finally:
            view.close()
    if report.engine_note:
        click.echo(f"note: {report.engine_note}", err=True)
    for failure in report.failed:
        click.echo(f"error: {failure.source}: {failure.reason}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning.source}: {warning.reason}", err=True)
    echo = _silent if quiet else click.echo
    for source, date in report.scheduled:
        echo(f"scheduled: {source} is dated {date.isoformat()}; not published yet")
    minutes = report.audio_seconds / 60
    echo(
        f"built {len(report.built)}, unchanged {len(report.unchanged)}, "
        f"failed {len(report.failed)}"
        + (f", removed {len(report.removed)}" if report.removed else "")
        + (f", scheduled {len(report.scheduled)}" if report.scheduled else "")
        + f" · {report.episodes_in_feed} episodes, {minutes:.1f} min of audio"
        + f" · clips synthesized {report.clips_synthesized}, from cache {report.clips_cached}"
        + (f" · engine {report.engine}" if report.engine else "")
    )
    if report.cluster is not None:
        echo(f"cluster: {report.cluster.summary}")
    echo(f"feed: {report.feed_path}")
    if report.bulletins is not None:
        for key, why in report.bulletins.failed:
            click.echo(f"error: bulletin {key}: {why}", err=True)
        echo(
            f"bulletins: built {len(report.bulletins.built)}, "
            f"unchanged {len(report.bulletins.unchanged)}, failed {len(report.bulletins.failed)}"
        )
    for finding in report.findings:
        click.echo(f"check: {finding}", err=True)
    if then_publish:
        if report.check_errors:
            raise BuildFailed(
                f"not published: `nashra check` found {report.check_errors} error(s) in the feed"
            )
        _publish(
            settings,
            None,
            dry_run=False,
            verify=False,
            verify_url=None,
            allow_removals=allow_removals,
            checked=True,
        )
    if not report.ok:
        if not report.failed:
            raise BuildFailed("a bulletin failed; the articles were published")
        others = (
            "the others were published"
            if report.built or report.unchanged
            else "no other episode is published"
        )
        raise BuildFailed(f"{len(report.failed)} article(s) failed; {others}")
    if report.check_errors:
        raise BuildFailed(
            f"the feed was published, but `nashra check` found {report.check_errors} error(s)"
        )


@cli.command()
@_project_option
def check(project: Path) -> None:
    """Lint the built feed and its media against what podcast directories require.

    Each finding names its rule and the episode. Exit status 1 when there are
    errors, 0 when there are only warnings or nothing at all.
    """
    from nashra.check import check_project, count_errors
    from nashra.core.clock import now_utc

    with _errors():
        settings = _settings(project)
        findings = check_project(settings, now=now_utc(), articles=True)
    for finding in findings:
        click.echo(str(finding))
    errors = count_errors(findings)
    warnings = len(findings) - errors
    if findings or verbosity() >= 0:
        click.echo(f"{errors} error(s), {warnings} warning(s)")
    if errors:
        raise BuildFailed(f"the feed has {errors} error(s) podcast directories would reject")


@cli.command()
@_project_option
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option(
    "--speech",
    "speech_of",
    metavar="ARTICLE",
    help="Print exactly what each engine will be given for this article (a path, a file "
    "name in articles/ or a slug), per section; with --json, espeak-ng's phonemes too.",
)
def plan(project: Path, as_json: bool, speech_of: str | None) -> None:
    """Show what a build would read and say, without synthesizing anything.

    Per article: title, author, sections, characters, speech chunks, the Google
    requests it would make, clips already cached, and estimated minutes; with a
    paid engine (Azure, Google Cloud), the characters a build would send it and, last,
    their cost.
    With --speech ARTICLE: the text each engine is given, chunk by chunk, after
    the lexicon and normalization (and, for espeak, diacritization).
    """
    from nashra.stages.planner import plan as make_plan
    from nashra.stages.planner import speech_view

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
                click.echo(f"  {_label(name)}'s requests (the chunks joined or cut):")
                for request in requests:
                    click.echo(f"  {len(request):3}  {request}")
                click.echo()
        return
    with _errors():
        settings = _settings(project)
        result = make_plan(settings)
        bulletins = _bulletins(settings, result.articles)
    if as_json:
        plan_data = result.to_json(settings.project)
        if settings.bulletin.enabled:
            plan_data["bulletins"] = [
                {"period": b.key, "title": b.title, "articles": list(b.slugs), "out": b.published}
                for b in bulletins
            ]
        click.echo(json.dumps(plan_data, ensure_ascii=False, indent=2))
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
            if (sent := item.to_send.get(result.engine or "")) is not None:
                click.echo(f"  {sent.characters} characters to send to {sent.label}")
        for b in bulletins:
            state = " (out; rebuilt if it changed)" if b.published else ""
            click.echo(f"bulletin {b.key}  →  bulletin.xml{state}")
            click.echo(f"  title:  {b.title}")
            click.echo(f"  {len(b.slugs)} article(s): {', '.join(b.slugs)}")
        for sent in result.to_send:
            if sent.engine == result.engine:
                click.echo(f"cost: {sent.line()}")
        for failure in result.failed:
            click.echo(f"error: {failure.source}: {failure.reason}", err=True)
        for skipped in result.ignored:
            click.echo(f"warning: {skipped.source}: {skipped.reason}", err=True)
    if result.failed:
        raise BuildFailed(f"{len(result.failed)} article(s) cannot be read")


def _bulletins(settings: Settings, articles: Sequence[Any]) -> list[Any]:
    """The bulletins a build would make, when `[bulletin]` is enabled."""
    if not settings.bulletin.enabled:
        return []
    from nashra.core.clock import now_utc
    from nashra.stages.bulletins.build import preview

    return preview(settings, {item.article.slug: item.article.date for item in articles}, now_utc())


@cli.command()
@_project_option
@click.argument("date")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Clips synthesized at once.")
@_max_characters_option
@_allow_removals_option
def bulletin(
    project: Path, date: str, jobs: int | None, max_characters: int | None, allow_removals: bool
) -> None:
    """Build the bulletin of DATE (YYYY-MM-DD, or YYYY-Www for weekly bulletins) now.

    The build runs as `nashra build` does, and the bulletin of DATE's period is
    made even if the period has not closed yet or `[bulletin]` is not enabled.
    Only that bulletin is made. DATE is a week (YYYY-Www) when the project's
    bulletins are weekly and a day otherwise; the other kind is refused.
    """
    from nashra.stages.builder import build as run_build
    from nashra.stages.bulletins.periods import parse_day

    with _errors():
        settings = _settings(project)
        try:
            period = parse_day(date, settings.bulletin)
        except ValueError as exc:
            raise BadUsage(f"DATE: {exc}") from None
        report = run_build(
            settings,
            jobs=jobs,
            bulletins=(period.key,),
            allow_removals=allow_removals,
            max_characters=max_characters,
            announce=lambda sent: click.echo(f"cost: {sent.line()}", err=True),
        )
    for failure in report.failed:
        click.echo(f"error: {failure.source}: {failure.reason}", err=True)
    made = report.bulletins
    if made is not None:
        for key, why in made.failed:
            click.echo(f"error: bulletin {key}: {why}", err=True)
        record = next((r for r in made.records if r.slug == period.slug), None)
        if record is None and not made.failed:
            raise BuildFailed(f"no published article is dated in the period of {period.key}")
        if record is not None:
            click.echo(
                f"bulletin {period.key}: {record.file} ({record.duration / 60:.1f} min)"
                f" · clips synthesized {made.clips_synthesized}"
            )
            click.echo(f"feed: {settings.output_dir / paths.BULLETIN_FEED_FILE}")
    if not report.ok:
        raise BuildFailed("the build or the bulletin failed; see the errors above")
