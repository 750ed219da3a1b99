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
from nashra.core import interrupt
from nashra.core.clock import now_utc
from nashra.core.errors import NashraError
from nashra.core.interrupt import Interrupted
from nashra.core.model import Failure
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
from nashra.stages.article_cache import ScriptReader
from nashra.stages.article_voice import refuse_unknown_voices
from nashra.stages.assemble import assemble, assembly_of
from nashra.stages.bulletins.build import BulletinReport, build_bulletins
from nashra.stages.bulletins.publish import bulletins_link, publish_bulletins
from nashra.stages.cost import Announce, Budget
from nashra.stages.decide import decide
from nashra.stages.distribute import Distribution, distribute, shared_clips
from nashra.stages.estimate import estimate_seconds, speaking_rate
from nashra.stages.paid import before_voicing
from nashra.stages.publish import publish, withdraw
from nashra.stages.read import in_batches, read_articles, taken_up
from nashra.stages.read_memo import ReadMemo
from nashra.stages.recovery import recover_state
from nashra.stages.types import Assembly, Job, Voice, VoicingFigures
from nashra.stages.voice import WorkerPools, voice
from nashra.storage import paths, scratch
from nashra.storage.cache import ClipCache
from nashra.storage.lock import project_lock
from nashra.storage.state import BuildState
from nashra.storage.writer import remove_stale_parts, stamp

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)
    """Articles that built, but that a person should look at."""
    collected: int = 0
    """Old episode files removed after the new feed was written."""
    scheduled: list[tuple[Path, datetime]] = field(default_factory=list)
    """Articles dated in the future: published by the first build on or after their date."""
    voicing: VoicingFigures = field(default_factory=VoicingFigures)
    """The engine, its clips and the time spent voicing, added up over the batches."""
    read_anew: int = 0
    """Articles read and scripted, not taken from the content cache or the read memo."""
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

    @property
    def engine(self) -> str | None:
        return self.voicing.engine

    @property
    def engine_note(self) -> str | None:
        return self.voicing.note or None

    @property
    def fallback(self) -> list[str]:
        """Episodes voiced by the fallback engine because the first engine failed them."""
        return self.voicing.fallback

    @property
    def clips_synthesized(self) -> int:
        return self.voicing.synthesized

    @property
    def clips_cached(self) -> int:
        return self.voicing.cached

    @property
    def voicing_seconds(self) -> float:
        """Wall time spent choosing the engine and synthesizing clips."""
        return self.voicing.seconds


@dataclass(frozen=True)
class Run:
    """One build's context: what each of its steps reads, and the state and the report
    they fill in."""

    settings: Settings
    state: BuildState
    report: BuildReport
    podcast_guid: str
    now: datetime
    """The build's one clock reading: every date it decides is against it."""
    jobs: int
    """Episodes worked on at once, and the engine's workers."""
    progress: Progress | None
    cluster: str
    """A Dask scheduler's address, or `local:N`, for stages 3 and 4; "" builds here."""
    bulletins: tuple[str, ...] = ()
    """Periods whose bulletin is made even if not closed."""
    allow_removals: bool = False
    ignore_cache: bool = False
    max_characters: int | None = None
    """The most characters paid engines may be sent (`--max-characters`); None: no limit."""
    announce: Announce | None = None
    """Told, before voicing, what a paid engine will be sent."""

    @property
    def state_file(self) -> Path:
        return paths.state_file(self.settings.work_dir)


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
    max_characters: int | None = None,
    announce: Announce | None = None,
) -> BuildReport:
    """Build every episode that changed and write the feed; see the module docstring.

    `bulletins` names periods (`2026-12-02`) whose bulletin is made even if not closed.
    `cluster` (a Dask scheduler's address, or `local:N`; default `[build] cluster`)
    sends the voicing and assembly to a cluster's workers; "" builds here.
    A build that would remove more episodes than `[build] max_removed` allows stops
    before it changes anything (`TooManyRemovals`), unless `allow_removals`.
    `ignore_cache` reads every article anew, past the content cache and the read memo
    (the clips stay cached: an episode whose script is as it was is not voiced again).
    With a paid engine, `announce` is told what it will be sent before anything is
    (`nashra.stages.cost`); a build that would send more than `max_characters` stops
    then (`TooManyCharacters`), and nothing else a build sends a paid engine passes it.
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
        feed_before = stamp(settings.output_dir / paths.FEED_FILE)
        try:
            if state.podcast_guid is None:
                state.podcast_guid = feed.podcast_guid(settings.feed_url)
            run = Run(
                settings,
                state,
                BuildReport(),
                state.podcast_guid,
                now=now_utc(),
                jobs=jobs or os.cpu_count() or 1,
                progress=progress,
                cluster=settings.build.cluster if cluster is None else cluster,
                bulletins=bulletins,
                allow_removals=allow_removals,
                ignore_cache=ignore_cache,
                max_characters=max_characters,
                announce=announce,
            )
            return _build_locked(run)
        except (Interrupted, Exception) as error:
            # Also a signal whose exception Python could not raise (`interrupt.pending`):
            # the build then fails on the workers the signal ended.
            stop = error if isinstance(error, Interrupted) else interrupt.pending()
            if stop is None:
                raise
            stop.published = stamp(settings.output_dir / paths.FEED_FILE) != feed_before
            withdraw(settings, before)
            raise stop from None if stop is error else error
        finally:
            # Closed here, not when the program exits: a signal that comes while the
            # database tidies up is then still this build's, and said so.
            state.close()


def _build_locked(run: Run) -> BuildReport:
    remove_stale_parts(run.settings.output_dir)
    scratch.remove_stale(run.settings.work_dir)
    pending, memo = _read_and_decide(run)
    budget = None
    if not run.cluster:  # a cluster voices offline only: nothing is paid there
        budget = before_voicing(run.settings, pending, run.max_characters, run.announce)
    speech, report = run.settings.speech, run.report
    pending = refuse_unknown_voices(
        speech, pending, report.failed, report.warnings, on_cluster=bool(run.cluster)
    )
    if pending and run.cluster:
        _make_on_cluster(run, pending)
    elif pending:
        _make_here(run, pending, budget)
    # Once made, no job is needed: an archive's jobs are not held through publishing.
    del pending
    run.report.built.sort()
    run.report.failed.sort(key=lambda f: f.source.name)
    run.state.save(run.state_file)
    if memo is not None:
        memo.save()  # only now that the records it vouches for are saved
    _publish(run, budget)
    return run.report


def _read_and_decide(run: Run) -> tuple[list[Job], ReadMemo | None]:
    """Stages 1 and 2: the jobs to make, and the read memo to save once they are made.
    Only those jobs are kept: an archive's are not held through the rest of the build."""
    settings, state, report = run.settings, run.state, run.report
    reading = read_articles(
        settings,
        state.episodes,
        run.now,
        of_stage(run.progress, READING),
        retired=state.retired,
        ignore_cache=run.ignore_cache,
    )
    report.failed += reading.failed
    report.warnings += reading.warnings
    report.scheduled += reading.scheduled
    report.read_anew = reading.read_anew
    # An article whose file is gone leaves the feed; its files go after the new feed.
    report.removed = sorted(set(state.episodes) - reading.present)
    guard_removals(
        "this build",
        [state.episodes[slug].source or slug for slug in report.removed],
        len(state.episodes),
        max_removed=settings.build.max_removed,
        allow=run.allow_removals,
    )
    for slug in report.removed:
        del state.episodes[slug]
        log.info("removed episode %s: its article is gone", slug)

    decision = decide(settings, reading.jobs)
    state.episodes.update(decision.current)
    report.unchanged = sorted([*decision.current, *reading.known])
    return decision.pending, reading.memo


def _publish(run: Run, budget: Budget | None = None) -> None:
    """The bulletins, stage 5 (publish) and the check."""
    settings, state, report = run.settings, run.state, run.report
    unlisted: set[str] = set()
    if settings.bulletin.enabled or run.bulletins:
        report.bulletins = build_bulletins(
            settings,
            state.episodes,
            frozenset([*report.unchanged, *report.built]),
            run.now,
            jobs=run.jobs,
            forced=run.bulletins,
            clips=shared_clips(settings) if run.cluster else None,
            budget=budget,
        )
        unlisted = report.bulletins.unlisted(settings.bulletin.articles_in_main_feed)

    publishing = of_stage(run.progress, PUBLISHING)
    publishing(0, len(state.episodes))
    published = publish(
        settings,
        state.episodes,
        run.podcast_guid,
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
    checking = of_stage(run.progress, CHECKING)
    checking(0, published.episodes)
    report.findings = check.check_project(settings, now=run.now)
    checking(published.episodes, published.episodes)


def _recover(settings: Settings, state: BuildState, state_file: Path) -> None:
    """A lost build state rebuilt from the published feed (`nashra.stages.recovery`), and saved
    at once: it holds only what is already live."""
    podcast_guid, records = recover_state(settings)
    if records:
        state.podcast_guid = podcast_guid or state.podcast_guid
        state.episodes.update(records)
        state.save(state_file)


def _make_here(run: Run, pending: list[Job], budget: Budget | None) -> None:
    """Stages 3 and 4 on this machine, a batch of episodes at a time (the longest first),
    so a backfill holds only one batch's scripts: voice the missing clips, then assemble.
    The engine's worker processes serve every batch."""
    reader = ScriptReader(run.settings)
    voicing = Continued(of_stage(run.progress, VOICING))
    encoding = Continued(of_stage(run.progress, ENCODING))
    with WorkerPools(run.jobs) as pools:
        for batch in in_batches(pending):
            whole = _taken_up(batch, reader, run.report)
            _make_batch(run, whole, (voicing.batch(), encoding.batch()), pools, budget)


def _taken_up(batch: list[Job], reader: ScriptReader, report: BuildReport) -> list[Job]:
    whole: list[Job] = []
    for item in taken_up(batch, reader):
        if isinstance(item, Failure):
            report.failed.append(item)
        else:
            whole.append(item)
    return whole


def _make_batch(
    run: Run,
    pending: list[Job],
    steps: tuple[StageProgress, StageProgress],
    pools: WorkerPools,
    budget: Budget | None,
) -> None:
    settings = run.settings
    voicing_step, encoding_step = steps
    voicing_step(0, 0)  # planning the requests comes first
    clips = ClipCache(paths.clip_dir(settings.work_dir))
    voicing = voice(
        settings.speech, pending, clips, run.jobs, voicing_step, pools=pools, budget=budget
    )
    run.report.voicing += voicing
    _failed(run.report, pending, voicing.failed)
    works = [
        assembly_of(settings, job, voicing.voices[job.slug], run.podcast_guid)
        for job in pending
        if job.slug in voicing.voices
    ]
    _assemble_all(run, works, encoding_step)


def _make_on_cluster(run: Run, pending: list[Job]) -> None:
    """Stages 3 and 4 on a Dask cluster (`nashra.stages.distribute`); the jobs are taken
    up a batch at a time as the cluster asks for more work."""
    reader = ScriptReader(run.settings)

    def works() -> Iterator[Assembly]:
        for batch in in_batches(pending):
            for job in _taken_up(batch, reader, run.report):
                unplanned = Voice("", "", job.script)
                yield assembly_of(run.settings, job, unplanned, run.podcast_guid)

    made = distribute(
        run.settings,
        run.cluster,
        works(),
        len(pending),
        lambda record: run.state.put(run.state_file, record),
        of_stage(run.progress, ON_CLUSTER),
    )
    run.report.cluster = made
    run.report.voicing += made
    run.report.built += made.built
    _failed(run.report, pending, made.failed)


def _failed(report: BuildReport, jobs: list[Job], failed: dict[str, str]) -> None:
    """The episodes of `jobs` that `failed` (slug to why) names, reported by their articles."""
    sources = {job.slug: job.article.source for job in jobs}
    report.failed += [Failure(sources[s], why) for s, why in failed.items()]


def _assemble_all(run: Run, works: list[Assembly], step: StageProgress) -> None:
    """Stage 4 for every episode, `jobs` at a time, each recorded in the state (and the
    report) as it is done."""
    lock = threading.Lock()
    rate = speaking_rate(run.settings.speech)
    # Encoding runs in ffmpeg processes, so threads overlap them well.
    with ThreadPoolExecutor(max_workers=max(1, min(run.jobs, len(works) or 1))) as pool:
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
                run.report.failed.append(Failure(work.job.article.source, str(exc)))
                continue
            with lock:
                # Saved after every episode, so a build killed halfway keeps what it finished.
                run.state.put(run.state_file, record)
            run.report.built.append(record.slug)
