"""What runs on a cluster's workers: plain, picklable inputs in, plain results out.

`make_episode` voices one episode's missing clips into the shared clip cache
and assembles its MP3 into `episodes/<key>/` of the shared storage, the key
being a hash of everything the task was given. A task run twice (a worker
lost mid-task is retried by Dask, a build resumed after its scheduler went
away) finds its clips, or its whole episode, already there: it changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from nashra.core.errors import EngineError, NashraError
from nashra.core.model import EpisodeRecord
from nashra.engines import create_engine, engine_class
from nashra.engines.base import Engine, label
from nashra.stages.assemble import assemble
from nashra.stages.cluster.storage import SharedClips, SharedStore
from nashra.stages.types import EPISODE_FORMAT, Assembly, Voice
from nashra.storage import paths
from nashra.storage.cache import HEAD, clip_key, clip_problem
from nashra.storage.scratch import own_prefix, remove_orphans

EPISODE_PREFIX = "nashra-episode-"
"""A worker's temporary folder for one episode."""
RECORD = "record.json"
"""Written last into an episode's folder: the episode is there whole."""


@dataclass(frozen=True)
class EngineChoice:
    """An engine by name, with its options as plain values: a worker that lacks the
    engine's package can still read the task, and say so."""

    name: str
    options: tuple[tuple[str, Any], ...] | None

    @classmethod
    def of(cls, name: str, options: Any) -> EngineChoice:
        if options is None:
            return cls(name, None)
        return cls(name, tuple(sorted(asdict(options).items())))

    def create(self) -> Engine:
        if self.options is None:
            return create_engine(self.name)
        return create_engine(self.name, engine_class(self.name).Options(**dict(self.options)))


@dataclass(frozen=True)
class EpisodeTask:
    """One episode to voice and assemble. `assembly.voice` holds the script as the
    coordinator read it (the worker's engine plans it); its folders are replaced
    by the worker's own."""

    assembly: Assembly
    engines: tuple[EngineChoice, ...]
    """The engine, then the fallback that voices the whole episode if the first fails."""
    art: bytes | None
    """The article's own cover, read by the coordinator (the worker cannot see the project)."""
    shared: str
    version: str

    @cached_property
    def key(self) -> str:
        """A hash of everything the task was given: its name in Dask and in the storage."""
        art = hashlib.sha256(self.art).hexdigest() if self.art is not None else None
        text = repr((EPISODE_FORMAT, self.version, self.assembly, self.engines, art))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def folder(self) -> str:
        return episode_folder(self.key)


@dataclass(frozen=True)
class EpisodeOutcome:
    slug: str
    record: EpisodeRecord | None
    failure: str = ""
    engine: str = ""
    fell_back: bool = False
    synthesized: int = 0
    cached: int = 0
    reused: bool = False
    """The episode was already in the shared storage (made by an earlier attempt)."""
    seconds: float = 0.0
    """Time the task took on its worker."""


@dataclass(frozen=True)
class WorkerCheck:
    """What the coordinator expects of every worker."""

    version: str
    engine: EngineChoice
    voice_id: str
    shared: str
    probe: str
    """A file the coordinator wrote in the shared storage, for the worker to read."""


def episode_folder(key: str) -> str:
    return f"episodes/{key}"


def check_worker(expected: WorkerCheck) -> str:
    """Why this worker cannot take the build's tasks; "" when it can."""
    from nashra import __version__

    if __version__ != expected.version:
        return f"nashra {__version__} is installed there, {expected.version} here"
    try:
        engine = _engine(expected.engine)
    except NashraError as exc:
        return f"the {expected.engine.name} engine cannot start there: {exc}"
    available = engine.availability()
    if not available.ok:
        return f"{label(engine)} cannot run there: {available.reason}"
    if engine.voice_id() != expected.voice_id:
        return (
            f"{label(engine)}'s voice differs there ({engine.voice_id()}, here "
            f"{expected.voice_id}): its clips would not match this machine's"
        )
    return SharedStore.probe(expected.shared, expected.probe)


def make_episode(task: EpisodeTask) -> EpisodeOutcome:
    """Voice and assemble one episode into the shared storage (see the module docstring)."""
    started = time.perf_counter()
    slug = task.assembly.job.slug
    store = _store(task.shared)
    done = store.read(f"{task.folder}/{RECORD}")
    if done is not None:
        return EpisodeOutcome(slug, EpisodeRecord.from_json(json.loads(done)), reused=True)
    clips = SharedClips(store)
    problems: list[str] = []
    for n, choice in enumerate(task.engines):
        try:
            engine = _engine(choice)
            voice_id = engine.voice_id()
        except NashraError as exc:  # a voice of an article's own, not on this worker
            problems.append(f"the {choice.name} engine cannot voice it here: {exc}")
            continue
        with _lock(engine):
            script = engine.plan(task.assembly.voice.script)
        texts = sorted({u.speech for u in script.utterances})
        missing = [t for t in texts if clip_key(engine.name, voice_id, t) not in clips]
        try:
            _synthesize(engine, voice_id, missing, clips)
        except EngineError as exc:
            problems.append(f"{label(engine)} could not voice it: {exc}")
            continue
        record = _assemble(task, Voice(engine.name, voice_id, script), clips, store)
        return EpisodeOutcome(
            slug,
            record,
            engine=engine.name,
            fell_back=n > 0,
            synthesized=len(missing),
            cached=len(texts) - len(missing),
            seconds=time.perf_counter() - started,
        )
    return EpisodeOutcome(slug, None, failure="; ".join(problems))


def _synthesize(engine: Engine, voice_id: str, texts: list[str], clips: SharedClips) -> None:
    synthesize = engine.synthesizer()
    for text in texts:
        with _lock(engine):
            clip = synthesize(text)
        if not clip.data:
            raise EngineError(f"no audio for {text!r}")
        if problem := clip_problem(clip.data[:HEAD], len(clip.data), clip.format):
            raise EngineError(f"a damaged {clip.format} clip for {text!r}: {problem}")
        clips.put(clip_key(engine.name, voice_id, text), clip)


def _assemble(
    task: EpisodeTask, voice: Voice, clips: SharedClips, store: SharedStore
) -> EpisodeRecord:
    """The episode's files into the shared storage, its record last.

    The episode is made in the project's scratch space when this worker sees it (a
    local cluster, a project on a shared mount: the next build removes what a killed
    worker left there), else in this worker's temporary folder (`TMPDIR`), under a
    name with this process's id, so the worker's next task removes it."""
    project_scratch = paths.scratch_dir(task.assembly.work_dir)
    if project_scratch.is_dir():
        parent = str(project_scratch)
    else:
        parent = tempfile.gettempdir()
        remove_orphans(Path(parent), EPISODE_PREFIX)
    with tempfile.TemporaryDirectory(prefix=own_prefix(EPISODE_PREFIX), dir=parent) as folder:
        here = Path(folder)
        job = task.assembly.job
        if task.art is not None and job.art is not None:
            art = here / f"cover{job.art.suffix}"
            art.write_bytes(task.art)
            job = replace(job, art=art)
        work = replace(
            task.assembly,
            job=job,
            voice=voice,
            work_dir=here / "work",
            output_dir=here / "output",
        )
        record = assemble(work, cache=clips)
        for relative in filter(None, (record.file, record.image)):
            store.upload(work.output_dir / relative, f"{task.folder}/{relative}")
    store.write(f"{task.folder}/{RECORD}", json.dumps(asdict(record)).encode("utf-8"))
    return record


# Each worker process keeps one engine per choice and one client per storage: an
# engine's models load once, not once per task.
_engines: dict[EngineChoice, Engine] = {}
_stores: dict[str, SharedStore] = {}
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def _engine(choice: EngineChoice) -> Engine:
    with _guard:
        if choice not in _engines:
            engine = choice.create()
            engine.worker_setup(1)
            _engines[choice] = engine
        return _engines[choice]


def _store(url: str) -> SharedStore:
    with _guard:
        if url not in _stores:
            _stores[url] = SharedStore(url)
        return _stores[url]


def _lock(engine: Engine) -> AbstractContextManager[object]:
    """Engines whose library keeps global state run one call at a time per process,
    however many threads the worker has."""
    if engine.parallelism != "processes":
        return contextlib.nullcontext()
    with _guard:
        return _locks.setdefault(engine.name, threading.Lock())
