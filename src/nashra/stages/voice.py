"""Stage 3, voice: choose the engine once (`nashra.engines.choice`), then synthesize the clips.

Each engine plans its own requests for a script (`Engine.plan`); the clips are
cached by engine, voice and exact text, so only what changed is ever asked for.
Synthesis runs in parallel: threads for engines that wait on the network,
worker processes for engines whose library keeps global state. An episode is
voiced by one engine only, with the article's own voice when its front matter names
one (`nashra.stages.article_voice`); with `fallback` set, the episodes the first engine
failed are voiced, whole, by the fallback engine, with its own voice.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from nashra.config.settings import Speech
from nashra.core import lifetime
from nashra.core.errors import CredentialsRefused, EngineError
from nashra.core.model import Clip, Script
from nashra.engines.base import Engine, label
from nashra.engines.choice import choose_engine, fallback_engine, missing_clips
from nashra.stages.article_voice import voice_groups
from nashra.stages.cost import Budget, Sending, sending
from nashra.stages.estimate import long_episode_warning
from nashra.stages.types import Job, Voice, VoicingFigures
from nashra.storage.cache import HEAD, ClipStore, clip_key, clip_problem

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called with (clips done, clips to do) while synthesizing."""


@dataclass
class Voicing(VoicingFigures):
    """What stage 3 did: per episode its voice, or why it could not be voiced; and its
    figures (engine, clips, time)."""

    voices: dict[str, Voice] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def voiced_in(cache: ClipStore, engine: Engine) -> Callable[[str], bool] | None:
    """Whether `engine` has voiced a text into `cache`; None when the cache is empty."""
    keys = cache.keys()
    if not keys:
        return None
    voice_id = engine.voice_id()

    def voiced(text: str) -> bool:
        return clip_key(engine.name, voice_id, text) in keys

    return voiced


def planned_requests(engine: Engine, pending: Sequence[Job], cache: ClipStore) -> dict[str, Script]:
    """What `engine` is asked to say for each pending episode (by slug), as a build plans it."""
    # Requests voiced for an earlier version of an episode are reused; a new article
    # has none, so it is planned without looking.
    known = voiced_in(cache, engine) if engine.needs_network else None
    return {job.slug: engine.plan(job.script, known if job.previous else None) for job in pending}


def to_send(engine: Engine, requests: Iterable[str], cache: ClipStore) -> Sending:
    """What a build sends `engine` for `requests`: those not in the clip cache, billed
    as the engine bills them."""
    missing = missing_clips(cache, engine, engine.voice_id(), requests)
    return sending(
        engine.name, label(engine), missing, engine.billed_characters, engine.price_per_million()
    )


def voice(
    speech: Speech,
    pending: Sequence[Job],
    cache: ClipStore,
    jobs: int,
    progress: Progress | None = None,
    *,
    pools: WorkerPools | None = None,
    budget: Budget | None = None,
) -> Voicing:
    """Stage 3: every clip the `pending` episodes need, in the cache.

    `pools` keeps the engine's worker processes for the next call (a build voices a
    backfill a batch at a time); without it they are started and stopped here.
    `budget` (`--max-characters`) bounds what paid engines are sent: an engine it
    does not allow is not asked, and its episodes fail."""
    started = time.perf_counter()
    result = Voicing()
    scripts: dict[str, dict[str, Script]] = {}

    def planned(engine: Engine) -> dict[str, Script]:
        """What `engine` is asked to say for every pending episode, planned once."""
        if engine.name not in scripts:
            scripts[engine.name] = planned_requests(engine, pending, cache)
        return scripts[engine.name]

    def said(engine: Engine) -> list[str]:
        return sorted({u.speech for s in planned(engine).values() for u in s.utterances})

    def tried(engine: Engine) -> list[str]:
        """What `auto` may try `engine` with: nothing when it is a paid engine the budget
        would not let voice these episodes (it is then not asked even once, and the
        episodes fail below, saying why)."""
        texts = said(engine)
        if budget is None or not engine.paid or engine.name == budget.engine:
            return texts
        return texts if budget.allows(engine.name, to_send(engine, texts, cache).characters) else []

    try:
        engine, result.note = choose_engine(speech.engine, speech, tried, cache)
    except EngineError as exc:
        result.failed = {job.slug: str(exc) for job in pending}
        return result
    result.engine = engine.name
    if result.note:
        log.info("%s", result.note)
    groups, result.failed = voice_groups(engine, pending)
    failing: list[Job] = []
    for voiced, group in groups:
        plans = scripts.get(engine.name) if voiced is engine else None
        failing += _voice_group(voiced, group, plans, cache, jobs, progress, pools, budget, result)
    fallback = fallback_engine(speech, engine) if failing else None
    if fallback is not None:
        _fall_back(fallback, failing, cache, jobs, engine, result, budget)
    result.seconds = time.perf_counter() - started
    return result


def _voice_group(
    engine: Engine,
    group: list[Job],
    plans: dict[str, Script] | None,
    cache: ClipStore,
    jobs: int,
    progress: Progress | None,
    pools: WorkerPools | None,
    budget: Budget | None,
    result: Voicing,
) -> list[Job]:
    """Voice the episodes of `group` with `engine` (the build's, or it with an article's
    own voice), planned already when `plans` is given; the episodes it failed."""
    for job in group:
        if warning := long_episode_warning(job.script, rate=engine.speaking_rate()):
            log.warning("%s: %s", job.article.source, warning)
    voice_id = engine.voice_id()
    with pools.use(engine) if pools is not None else worker_pool(engine, jobs) as pool:
        if plans is None and pool is not None and not engine.needs_network:
            # Planning can be real work (espeak-ng's text is diacritized): the workers
            # that will synthesize plan the episodes too, longest first.
            ordered = sorted(group, key=lambda job: job.script.characters, reverse=True)
            scripts = [job.script for job in ordered]
            planned = pool.map(_worker_plan, [engine.options] * len(ordered), scripts)
            plans = {job.slug: plan for job, plan in zip(ordered, planned, strict=True)}
        elif plans is None:
            plans = planned_requests(engine, group, cache)
        texts = sorted({u.speech for job in group for u in plans[job.slug].utterances})
        missing = missing_clips(cache, engine, voice_id, texts)
        result.cached += len(texts) - len(missing)
        if over := _over_budget(engine, missing, budget):
            result.failed.update({job.slug: over for job in group})
            return []
        errors = synthesize_into_cache(engine, missing, cache, jobs, progress, pool=pool)
    result.synthesized += len(missing) - len(errors)
    failing: list[Job] = []
    for job in group:
        script = plans[job.slug]
        broken = [u.speech for u in script.utterances if u.speech in errors]
        if broken:
            failing.append(job)
            result.failed[job.slug] = (
                f"{label(engine)} could not voice {broken[0]!r}: {errors[broken[0]]}"
            )
        else:
            result.voices[job.slug] = Voice(engine.name, voice_id, script)
    return failing


def _over_budget(engine: Engine, missing: list[str], budget: Budget | None) -> str:
    """Why `engine` is not sent `missing` under `budget` ("" when it may be), charged
    to the budget when it may."""
    if budget is None or not engine.paid:
        return ""
    characters = sum(engine.billed_characters(text) for text in missing)
    if not budget.allows(engine.name, characters):
        return budget.over(engine.name, label(engine), characters)
    budget.charge(engine.name, characters)
    return ""


def _fall_back(
    engine: Engine,
    failing: list[Job],
    cache: ClipStore,
    jobs: int,
    first: Engine,
    result: Voicing,
    budget: Budget | None,
) -> None:
    """Voice with the fallback `engine`, whole, the episodes the `first` engine failed."""
    available = engine.availability()
    if not available.ok:
        log.warning("cannot fall back to %s: %s", label(engine), available.reason)
        return
    voice_id = engine.voice_id()
    scripts = {job.slug: engine.plan(job.script) for job in failing}
    missing = missing_clips(
        cache, engine, voice_id, (u.speech for s in scripts.values() for u in s.utterances)
    )
    if over := _over_budget(engine, missing, budget):
        for job in failing:
            result.failed[job.slug] += f"; {over}"
        return
    errors = synthesize_into_cache(engine, missing, cache, jobs)
    result.synthesized += len(missing) - len(errors)
    for job in failing:
        script = scripts[job.slug]
        broken = [u.speech for u in script.utterances if u.speech in errors]
        if broken:
            result.failed[job.slug] += f"; {label(engine)} failed too: {errors[broken[0]]}"
            continue
        del result.failed[job.slug]
        result.voices[job.slug] = Voice(engine.name, voice_id, script)
        result.fallback.append(job.slug)
    result.fallback.sort()
    if result.fallback:
        names = ", ".join(result.fallback)
        note = (
            f"{label(first)} failed for {len(result.fallback)} episode(s) ({names}); "
            f"voiced them with {label(engine)}"
        )
        result.note = f"{result.note}; {note}" if result.note else note


_worker_class: type[Engine] | None = None
_worker_count = 1
_worker_engines: dict[str, Engine] = {}
"""This worker's engines by their options: the pool's own, and one per voice of an
article's own it has been asked to use."""


def _init_worker(cls: type[Engine], options: Any, workers: int, parent: int) -> None:
    global _worker_class, _worker_count
    lifetime.worker_started(parent)
    _worker_class, _worker_count = cls, workers
    _worker_engines.clear()
    _worker_engine(options)


def _worker_engine(options: Any) -> Engine:
    """This worker's engine with `options`, built once (with its library's models, which
    each process loads once whatever the voice)."""
    key = repr(options)
    engine = _worker_engines.get(key)
    if engine is None:
        assert _worker_class is not None
        engine = _worker_engines[key] = _worker_class(options)
        engine.worker_setup(_worker_count)
    return engine


def _worker_synthesize(options: Any, text: str) -> Clip:
    return _worker_engine(options).synthesize(text)


def _worker_plan(options: Any, script: Script) -> Script:
    return _worker_engine(options).plan(script)


@contextmanager
def worker_pool(engine: Engine, jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes, each with its own engine, for an engine that asks for them;
    None otherwise. Even one job gets a worker: the engine's library and models
    (espeak-ng, the diacritizer) then never weigh on the build's own process."""
    workers = max(1, engine.max_workers(jobs))
    if engine.parallelism != "processes":
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        initializer=_init_worker,
        initargs=(type(engine), engine.options, workers, os.getpid()),
    )
    with _shut_down(pool):
        yield pool


class WorkerPools:
    """Worker processes kept through a whole build, a pool per engine, so the batches of
    a backfill do not each start the engine's workers again (and load its library and
    models); an article with a voice of its own is voiced by the same workers, each
    call naming the options to use. Use it in a `with`: the pools are shut down at its end,
    at once on an interrupt (see `_shut_down`)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pools: dict[str, ProcessPoolExecutor | None] = {}
        self._stack = contextlib.ExitStack()

    @contextmanager
    def use(self, engine: Engine) -> Iterator[ProcessPoolExecutor | None]:
        """`engine`'s pool (None for an engine that runs in this process), started once."""
        key = engine.name
        if key not in self._pools:
            self._pools[key] = self._stack.enter_context(worker_pool(engine, self.jobs))
        yield self._pools[key]

    def __enter__(self) -> WorkerPools:
        return self

    def __exit__(self, *exc: Any) -> bool | None:
        return self._stack.__exit__(*exc)


@contextlib.contextmanager
def _shut_down(pool: Executor) -> Iterator[None]:
    """Shut `pool` down after the block; on an interrupt, without waiting for the
    requests in flight and dropping those not yet started."""
    try:
        yield
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def synthesize_into_cache(
    engine: Engine,
    texts: list[str],
    cache: ClipStore,
    jobs: int,
    progress: Progress | None = None,
    *,
    pool: ProcessPoolExecutor | None = None,
) -> dict[str, str]:
    """Synthesize `texts` into the cache; return the failures as text → reason.

    Requests go through the engine's own `synthesizer` (Google's has a rate
    limit, retries and a circuit breaker), at most `engine.max_workers(jobs)`
    at once; engines whose library keeps global state (espeak-ng) run in
    worker processes, one engine each.
    """
    voice_id = engine.voice_id()
    errors: dict[str, str] = {}
    total = len(texts)
    if progress:
        progress(0, total)
    if not texts:
        return errors

    def store(text: str, clip: Clip) -> None:
        if not clip.data:
            raise EngineError(f"{label(engine)} returned no audio")
        if problem := clip_problem(clip.data[:HEAD], len(clip.data), clip.format):
            raise EngineError(f"{label(engine)} returned a damaged {clip.format} clip: {problem}")
        cache.put(clip_key(engine.name, voice_id, text), clip)

    workers = max(1, min(engine.max_workers(jobs), total))
    synthesize = engine.synthesizer()
    done = 0
    if workers == 1 and pool is None:
        for text in texts:
            try:
                store(text, synthesize(text))
            except CredentialsRefused:
                raise  # the project's configuration: the build stops
            except EngineError as exc:
                errors[text] = str(exc)
            done += 1
            if progress:
                progress(done, total)
        return errors

    submit: Callable[[str], Future[Clip]]
    own = contextlib.ExitStack()
    if engine.parallelism == "processes":
        process_pool = pool or own.enter_context(worker_pool(engine, workers))
        assert process_pool is not None  # more than one worker for a process engine

        def submit(text: str) -> Future[Clip]:
            return process_pool.submit(_worker_synthesize, engine.options, text)
    else:
        thread_pool = ThreadPoolExecutor(max_workers=workers)
        own.enter_context(_shut_down(thread_pool))

        def submit(text: str) -> Future[Clip]:
            return thread_pool.submit(synthesize, text)

    # A sliding window of requests: finished clips go to the cache and are dropped
    # at once, so memory stays flat however many clips a build needs.
    queue = iter(texts)
    in_flight: dict[Future[Clip], str] = {}

    def top_up() -> None:
        while len(in_flight) < workers * 4:
            text = next(queue, None)
            if text is None:
                return
            in_flight[submit(text)] = text

    with own:
        top_up()
        while in_flight:
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                text = in_flight.pop(future)
                try:
                    store(text, future.result())
                except CredentialsRefused:
                    raise
                except EngineError as exc:
                    errors[text] = str(exc)
                done += 1
                if progress:
                    progress(done, total)
            top_up()
    return errors
