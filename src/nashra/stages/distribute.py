"""Stages 3 and 4 on a Dask cluster: workers voice and assemble, the coordinator records.

The coordinator (this process) keeps reading, deciding and publishing; it alone
writes the build state and `output/`. Each pending episode becomes one task
(`nashra.stages.cluster.tasks.make_episode`) with plain inputs, keyed by their hash;
its clips and its MP3 travel through the shared storage (`[build] shared`).
As each task finishes, the coordinator copies the episode into `output/`,
records it, and removes it from the shared storage.

Only engines that need no network voice on a cluster: Google's rate limits
are per client, and every worker would be another client. An article with a voice of
its own (front matter `voice`) is a task whose first engine has that voice.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from nashra import __version__
from nashra.config.cluster import local_workers
from nashra.config.settings import Settings, Speech
from nashra.core.errors import UsageError
from nashra.core.model import Article, EpisodeRecord
from nashra.engines.choice import offline_engines
from nashra.stages.article_voice import engine_for
from nashra.stages.cluster.dask_client import Cluster, connect
from nashra.stages.cluster.storage import SharedClips, SharedStore
from nashra.stages.cluster.tasks import (
    EngineChoice,
    EpisodeOutcome,
    EpisodeTask,
    WorkerCheck,
    check_worker,
    make_episode,
)
from nashra.stages.types import Assembly, VoicingFigures
from nashra.storage import paths
from nashra.storage.cache import ClipCache, ClipStore
from nashra.storage.writer import atomic_path, safe_join

log = logging.getLogger(__name__)


class WorkerProblem(UsageError):
    """A worker that cannot take the build's tasks."""


@dataclass
class Distribution(VoicingFigures):
    """What the cluster made: per episode its record, or why it could not be made; and
    its voicing figures."""

    built: list[str] = field(default_factory=list)
    """The slugs of the episodes made."""
    failed: dict[str, str] = field(default_factory=dict)
    reused: int = 0
    """Episodes found whole in the shared storage (made by an earlier, interrupted build)."""
    task_seconds: float = 0.0
    """Time the tasks took on their workers, summed."""
    take_seconds: float = 0.0
    """Time this process spent copying finished episodes into `output/` and recording them."""
    workers: int = 0
    address: str = ""

    @property
    def summary(self) -> str:
        resumed = f", {self.reused} resumed from the shared storage" if self.reused else ""
        made = f"{len(self.built)} episode(s) made by {self.workers} worker(s)"
        return f"{made} at {self.address}{resumed}"


def shared_url(settings: Settings) -> str:
    """`[build] shared`, else the folder that holds the project's own clip cache (which only
    this machine sees): the shared storage keeps its clips in `clips/` as that cache does."""
    if settings.build.shared:
        return settings.build.shared
    return paths.clip_dir(settings.work_dir).parent.resolve().as_uri()


def shared_clips(settings: Settings) -> ClipStore:
    """The clips of a cluster build, where the coordinator reads them back (bulletins)."""
    if not settings.build.shared:
        return ClipCache(paths.clip_dir(settings.work_dir))
    return SharedClips(SharedStore(settings.build.shared))


def cluster_engines(speech: Speech) -> tuple[tuple[EngineChoice, ...], str]:
    """The engines a cluster build voices with (the engine, then its fallback), and a note."""
    engines, note = offline_engines(speech)
    return tuple(EngineChoice.of(e.name, speech.options_for(e.name)) for e in engines), note


def distribute(
    settings: Settings,
    cluster: str,
    works: Iterable[Assembly],
    count: int,
    record: Callable[[EpisodeRecord], None],
    progress: Callable[[int, int], None] | None = None,
) -> Distribution:
    """Stages 3 and 4 for the `count` episodes of `works` on `cluster`; `record(r)` is
    called for each episode once its files are in `output/`. `works` is read as the
    workers need more tasks, so the coordinator holds the scripts of a few tasks per
    worker at a time. See the module docstring."""
    started = time.perf_counter()
    result = Distribution()
    choices, result.note = cluster_engines(settings.speech)
    result.engine = choices[0].name
    url = shared_url(settings)
    store = SharedStore(url)
    if settings.build.shared == "" and local_workers(cluster) is None:
        raise UsageError(
            f"a cluster at {cluster} needs storage its workers see: set `[build] shared` "
            "in podcast.toml (file:///mnt/nashra, s3://bucket/prefix)"
        )
    tasks = (
        EpisodeTask(
            assembly=_portable(work),
            engines=_voiced(choices, work.job.article),
            art=work.job.art.read_bytes() if work.job.art else None,
            shared=url,
            version=__version__,
        )
        for work in works
    )
    with connect(cluster) as client:
        result.address = client.address
        result.workers = _check_workers(client, choices[0], store)
        if progress:
            progress(0, count)
        finished = client.map_unordered(
            make_episode, tasks, _task_name, window=max(8, 4 * result.workers)
        )
        for done, (task, outcome) in enumerate(finished, 1):
            _take(settings.output_dir, store, task, outcome, record, result)
            if progress:
                progress(done, count)
    result.fallback.sort()
    result.seconds = time.perf_counter() - started
    return result


def _voiced(choices: tuple[EngineChoice, ...], article: Article) -> tuple[EngineChoice, ...]:
    """The engines of an article's task: the first with the article's own voice (checked
    by `refuse_unknown_voices` before the build got here), the fallback with its own."""
    if article.voice is None:
        return choices
    first = engine_for(choices[0].create(), article)
    return (EngineChoice.of(first.name, first.options), *choices[1:])


def _task_name(task: EpisodeTask) -> str:
    return f"episode-{task.assembly.job.slug}-{task.key[:16]}"


def _portable(work: Assembly) -> Assembly:
    """The assembly as a task carries it: no transcript of the previous version."""
    previous = work.job.previous
    if previous is not None:
        previous = replace(previous, cues=(), chapters=())
    return replace(work, job=replace(work.job, previous=previous))


def _check_workers(client: Cluster, engine: EngineChoice, store: SharedStore) -> int:
    """Every worker's problem, checked before any task: one error naming them."""
    probe = f"probes/{uuid.uuid4().hex}"
    store.write(probe, b"nashra")
    try:
        voice_id = engine.create().voice_id()
        expected = WorkerCheck(__version__, engine, voice_id, store.url, probe)
        answers = client.run_on_workers(check_worker, expected)
    finally:
        store.remove(probe)
    problems = [f"worker {address}: {why}" for address, why in sorted(answers.items()) if why]
    if problems:
        raise WorkerProblem(
            f"{len(problems)} of the cluster's {len(answers)} workers cannot take this "
            f"build: {'; '.join(problems)}"
        )
    return len(answers)


def _take(
    output_dir: Path,
    store: SharedStore,
    task: EpisodeTask,
    outcome: EpisodeOutcome,
    record: Callable[[EpisodeRecord], None],
    result: Distribution,
) -> None:
    """One finished task: its episode copied into `output/` and recorded, or its failure."""
    started = time.perf_counter()
    result.synthesized += outcome.synthesized
    result.cached += outcome.cached
    result.task_seconds += outcome.seconds
    if outcome.record is None:
        result.failed[outcome.slug] = outcome.failure
        return
    episode = outcome.record
    for relative in filter(None, (episode.file, episode.image)):
        with (
            atomic_path(safe_join(output_dir, relative)) as target,
            store.open(f"{task.folder}/{relative}") as source,
            target.open("wb") as sink,
        ):
            shutil.copyfileobj(source, sink, 1 << 20)
    record(episode)
    store.remove(task.folder)
    result.built.append(episode.slug)
    result.reused += outcome.reused
    if outcome.fell_back:
        result.fallback.append(outcome.slug)
    result.take_seconds += time.perf_counter() - started
    log.info("built %s on the cluster (%.1f s)", episode.file, outcome.seconds)
