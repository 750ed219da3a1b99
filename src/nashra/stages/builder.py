"""The build: articles in, episodes and a feed out, doing only the work that changed.

This module only sequences the stages (`nashra.stages`): read the articles,
decide what is current, voice the missing clips, assemble each changed
episode, publish `output/` from the build state, and check what was
published. Each stage returns plain data; the report is put together here.

One bad article never stops the others: its failure is reported and, if it was
published before, its previous episode stays in the feed.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nashra import check
from nashra.config.settings import Settings
from nashra.core.clock import now_utc
from nashra.core.errors import NashraError
from nashra.core.interrupt import Interrupted, withdraw
from nashra.core.model import EpisodeRecord, Failure
from nashra.core.progress import (
    CHECKING,
    ENCODING,
    ON_CLUSTER,
    PUBLISHING,
    READING,
    VOICING,
    Continued,
    Progress,
    Shares,
    StageProgress,
    of_stage,
)
from nashra.engines.choice import preflight
from nashra.publishing.removals import guard_removals
from nashra.render import feed
from nashra.stages.assemble import Assembly, assemble
from nashra.stages.bulletins.build import BulletinReport, build_bulletins
from nashra.stages.bulletins.publish import bulletins_link, publish_bulletins
from nashra.stages.decide import decide
from nashra.stages.distribute import Distribution, distribute, shared_clips
from nashra.stages.estimate import estimate_seconds, speaking_rate
from nashra.stages.publish import publish
from nashra.stages.read import Job, ScriptReader, artist, in_batches, read_articles, taken_up
from nashra.stages.recovery import recover_state
from nashra.stages.voice import Voice, WorkerPools, voice
from nashra.storage import paths, scratch
from nashra.storage.cache import ClipCache
from nashra.storage.lock import project_lock
from nashra.storage.state import BuildState
from nashra.storage.writer import remove_stale_parts

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    """Articles that built, but that a person should look at."""
    voicing_seconds: float = 0.0
    """Wall time spent choosing the engine and synthesizing clips."""
    collected: int = 0
    """Old episode files removed after the new feed was written."""
    fallback: list[str] = field(default_factory=list)
    """Episodes voiced by the fallback engine because the first engine failed them."""
    scheduled: list[tuple[Path, datetime]] = field(default_factory=list)
    """Articles dated in the future: published by the first build on or after their date."""
    clips_synthesized: int = 0
    clips_cached: int = 0
    read_anew: int = 0
    """Articles read and scripted, not taken from the content cache or the read memo."""
    engine: str | None = None
    engine_note: str | None = None
    audio_seconds: float = 0.0
    episodes_in_feed: int = 0
    feed_path: Path | None = None
    findings: list[check.Finding] = field(default_factory=list)
    """What `nashra check` found in the published feed and media."""
    bulletins: BulletinReport | None = None
    cluster: Distribution | None = None
    """What the cluster did, on a cluster build that had episodes to make."""

    @property
    def ok(self) -> bool:
        return not self.failed and not (self.bulletins and self.bulletins.failed)

    @property
    def check_errors(self) -> int:
        return check.count_errors(self.findings)


def build(
    settings: Settings,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    wait_for_lock: float = 0,
    bulletins: tuple[str, ...] = (),
    cluster: str | None = None,
    allow_removals: bool = False,
    ignore_cache: bool = False,
) -> BuildReport:
    """Build every episode that changed and write the feed; see the module docstring.

    `bulletins` names periods (`2026-12-02`) whose bulletin is made even if not closed.
    `cluster` (a Dask scheduler's address, or `local:N`; default `[build] cluster`)
    sends the voicing and assembly to a cluster's workers; "" builds here.
    A build that would remove more episodes than `[build] max_removed` allows stops
    before it changes anything (`TooManyRemovals`), unless `allow_removals`.
    `ignore_cache` reads every article anew, past the content cache and the read memo
    (the clips stay cached: an episode whose script is as it was is not voiced again).
    """
    preflight(settings.speech)
    with project_lock(settings.work_dir, wait=wait_for_lock):
        state_file = paths.state_file(settings.work_dir)
        lost = BuildState.modified(state_file) is None
        state = BuildState.open(state_file)
        if lost:
            _recover(settings, state, state_file)
        # The records as the build found them, shared, not copied: they are never changed
        # in place, and an archive's records are most of a build's memory.
        before = dict(state.episodes)
        feed_before = _stamp(settings.output_dir / paths.FEED_FILE)
        try:
            return _build_locked(
                settings,
                state,
                jobs=jobs or os.cpu_count() or 1,
                progress=progress,
                bulletins=bulletins,
                cluster=settings.build.cluster if cluster is None else cluster,
                allow_removals=allow_removals,
                ignore_cache=ignore_cache,
            )
        except Interrupted as exc:
            exc.published = _stamp(settings.output_dir / paths.FEED_FILE) != feed_before
            withdraw(settings, before)
            raise
        finally:
            # Closed here, not when the program exits: a signal that comes while the
            # database tidies up is then still this build's, and said so.
            state.close()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """A file's identity and version: a feed put in place by a rename has a new inode."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _build_locked(
    settings: Settings,
    state: BuildState,
    *,
    jobs: int,
    progress: Progress | None,
    bulletins: tuple[str, ...],
    cluster: str,
    allow_removals: bool,
    ignore_cache: bool,
) -> BuildReport:
    now = now_utc()
    remove_stale_parts(settings.output_dir)
    scratch.remove_stale(settings.work_dir)
    state_file = paths.state_file(settings.work_dir)
    if state.podcast_guid is None:
        state.podcast_guid = feed.podcast_guid(settings.feed_url)
    podcast_guid = state.podcast_guid

    reading = read_articles(
        settings,
        state.episodes,
        now,
        of_stage(progress, READING),
        retired=state.retired,
        ignore_cache=ignore_cache,
    )
    report = BuildReport(
        failed=list(reading.failed),
        warnings=list(reading.warnings),
        scheduled=list(reading.scheduled),
        read_anew=reading.read_anew,
    )
    # An article whose file is gone leaves the feed; its files go after the new feed.
    report.removed = sorted(set(state.episodes) - reading.present)
    guard_removals(
        "this build",
        [state.episodes[slug].source or slug for slug in report.removed],
        len(state.episodes),
        max_removed=settings.build.max_removed,
        allow=allow_removals,
    )
    for slug in report.removed:
        del state.episodes[slug]
        log.info("removed episode %s: its article is gone", slug)

    decision = decide(settings, reading.jobs)
    state.episodes.update(decision.current)
    report.unchanged = sorted([*decision.current, *reading.known])
    pending, memo = decision.pending, reading.memo
    # From here on only the jobs to make are needed, and once made, none: an archive's
    # jobs are not held through publishing.
    del reading, decision

    if pending and cluster:
        _make_on_cluster(settings, cluster, pending, podcast_guid, state, report, progress)
    elif pending:
        _make_here(settings, pending, podcast_guid, jobs, state, report, progress)
    del pending
    report.built.sort()
    report.failed.sort(key=lambda f: f.source.name)
    state.save(state_file)
    if memo is not None:
        memo.save()  # only now that the records it vouches for are saved

    unlisted: set[str] = set()
    if settings.bulletin.enabled or bulletins:
        report.bulletins = build_bulletins(
            settings,
            state.episodes,
            frozenset([*report.unchanged, *report.built]),
            now,
            jobs=jobs,
            forced=bulletins,
            clips=shared_clips(settings) if cluster else None,
        )
        unlisted = report.bulletins.unlisted(settings.bulletin.articles_in_main_feed)

    publishing = of_stage(progress, PUBLISHING)
    publishing(0, len(state.episodes))
    published = publish(
        settings,
        state.episodes,
        podcast_guid,
        fresh=report.built,
        unlisted=unlisted,
        see_also=bulletins_link(settings, report.bulletins),
    )
    publishing(published.episodes, published.episodes)
    report.feed_path = settings.output_dir / published.feed_path
    report.episodes_in_feed = published.episodes
    report.audio_seconds = published.audio_seconds
    report.collected = published.collected
    if report.bulletins is not None:
        publish_bulletins(settings, report.bulletins, state.episodes)
    checking = of_stage(progress, CHECKING)
    checking(0, published.episodes)
    report.findings = check.check_project(settings, now=now)
    checking(published.episodes, published.episodes)
    return report


def _recover(settings: Settings, state: BuildState, state_file: Path) -> None:
    """A lost build state rebuilt from the published feed (`nashra.stages.recovery`), and saved
    at once: it holds only what is already live."""
    podcast_guid, records = recover_state(settings)
    if records:
        state.podcast_guid = podcast_guid or state.podcast_guid
        state.episodes.update(records)
        state.save(state_file)


def _assemblies(
    settings: Settings, pending: list[Job], voices: dict[str, Voice], podcast_guid: str
) -> list[Assembly]:
    """Stage 4's inputs: each voiced episode with what its MP3 is tagged with."""
    return [
        Assembly(
            job=job,
            voice=voices[job.slug],
            guid=job.previous.guid if job.previous else feed.episode_guid(podcast_guid, job.slug),
            album=settings.title,
            artist=artist(settings, job.article),
            own_art=not (settings.image and job.art == settings.project / settings.image),
            work_dir=settings.work_dir,
            output_dir=settings.output_dir,
            audio=settings.audio,
        )
        for job in pending
        if job.slug in voices
    ]


def _make_here(
    settings: Settings,
    pending: list[Job],
    podcast_guid: str,
    jobs: int,
    state: BuildState,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    """Stages 3 and 4 on this machine, a batch of episodes at a time (the longest first),
    so a backfill holds only one batch's scripts: voice the missing clips, then assemble.
    The engine's worker processes serve every batch."""
    reader = ScriptReader(settings)
    voicing = Continued(of_stage(progress, VOICING))
    encoding = Continued(of_stage(progress, ENCODING))
    with WorkerPools(jobs) as pools:
        for batch in in_batches(pending):
            whole = _taken_up(batch, reader, report)
            steps = (voicing.batch(), encoding.batch())
            _make_batch(settings, whole, podcast_guid, jobs, state, report, steps, pools)


def _taken_up(batch: list[Job], reader: ScriptReader, report: BuildReport) -> list[Job]:
    whole: list[Job] = []
    for item in taken_up(batch, reader):
        if isinstance(item, Failure):
            report.failed.append(item)
        else:
            whole.append(item)
    return whole


def _make_batch(
    settings: Settings,
    pending: list[Job],
    podcast_guid: str,
    jobs: int,
    state: BuildState,
    report: BuildReport,
    steps: tuple[StageProgress, StageProgress],
    pools: WorkerPools,
) -> None:
    voicing_step, encoding_step = steps
    voicing_step(0, 0)  # planning the requests comes first
    voicing = voice(
        settings.speech,
        pending,
        ClipCache(paths.clip_dir(settings.work_dir)),
        jobs,
        voicing_step,
        pools=pools,
    )
    report.engine = voicing.engine or report.engine
    if voicing.note and voicing.note != report.engine_note:
        report.engine_note = voicing.note
    report.clips_synthesized += voicing.synthesized
    report.clips_cached += voicing.cached
    report.voicing_seconds += voicing.seconds
    report.fallback += voicing.fallback
    sources = {job.slug: job.article.source for job in pending}
    report.failed += [Failure(sources[s], why) for s, why in voicing.failed.items()]
    works = _assemblies(settings, pending, voicing.voices, podcast_guid)
    state_file = paths.state_file(settings.work_dir)
    rate = speaking_rate(settings.speech)
    for record, failure in _assemble_all(works, jobs, state, state_file, encoding_step, rate):
        if failure is not None:
            report.failed.append(failure)
        else:
            assert record is not None
            report.built.append(record.slug)


def _make_on_cluster(
    settings: Settings,
    cluster: str,
    pending: list[Job],
    podcast_guid: str,
    state: BuildState,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    """Stages 3 and 4 on a Dask cluster (`nashra.stages.distribute`); the jobs are taken
    up a batch at a time as the cluster asks for more work."""
    reader = ScriptReader(settings)

    def works() -> Iterator[Assembly]:
        for batch in in_batches(pending):
            whole = _taken_up(batch, reader, report)
            unplanned = {job.slug: Voice("", "", job.script) for job in whole}
            yield from _assemblies(settings, whole, unplanned, podcast_guid)

    state_file = paths.state_file(settings.work_dir)
    made = distribute(
        settings,
        cluster,
        works(),
        len(pending),
        lambda record: state.put(state_file, record),
        of_stage(progress, ON_CLUSTER),
    )
    report.cluster = made
    report.engine, report.engine_note = made.engine, made.note or None
    report.clips_synthesized, report.clips_cached = made.synthesized, made.cached
    report.voicing_seconds, report.fallback = made.seconds, made.fallback
    report.built += made.built
    sources = {job.slug: job.article.source for job in pending}
    report.failed += [Failure(sources[s], why) for s, why in made.failed.items()]


def _assemble_all(
    works: list[Assembly],
    jobs: int,
    state: BuildState,
    state_file: Path,
    step: StageProgress,
    rate: int,
) -> list[tuple[EpisodeRecord | None, Failure | None]]:
    """Stage 4 for every episode, `jobs` at a time, each recorded in the state as it is done."""
    results: list[tuple[EpisodeRecord | None, Failure | None]] = []
    lock = threading.Lock()
    # Encoding runs in ffmpeg processes, so threads overlap them well.
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(works) or 1))) as pool:
        # Longest first: the longest episode's encoding bounds the build, so start it early.
        ordered = sorted(works, key=lambda w: w.job.script.characters, reverse=True)
        # Counted in seconds of audio, so one long episode moves the count as it goes.
        shares = Shares(
            step, {w.job.slug: estimate_seconds(w.voice.script, rate=rate) for w in works}
        )
        step(0, shares.total)
        futures = {pool.submit(assemble, w, shares.part(w.job.slug)): w for w in ordered}
        for future in as_completed(futures):
            shares.part(futures[future].job.slug)(1.0)
            work = futures[future]
            try:
                record = future.result()
            except NashraError as exc:
                results.append((None, Failure(work.job.article.source, str(exc))))
                continue
            with lock:
                # Saved after every episode, so a build killed halfway keeps what it finished.
                state.put(state_file, record)
            results.append((record, None))
    return results
