"""Choosing the engine for a run and synthesizing missing clips into the cache, in parallel."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)

from nashra.cache import ClipCache, clip_key
from nashra.engines import create_engine
from nashra.engines.base import Clip, Engine
from nashra.engines.resilience import CircuitBreaker, Guard, RateLimiter, RetryPolicy
from nashra.errors import EngineError, EngineUnavailable
from nashra.model import Script
from nashra.packing import pack_requests
from nashra.settings import Speech

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Called with (clips done, clips to do) while synthesizing."""


def engine_script(
    engine: Engine, speech: Speech, script: Script, known: Callable[[str], bool] | None = None
) -> Script:
    """What `engine` is asked to say for `script`.

    An engine whose every call is a network request (Google) gets the script
    packed into full requests, unless `gtts_packing = "sentence"`; requests
    `known` to be voiced already (see `voiced_in`) are reused where they still
    fit. Other engines get the script as the engine prepares it (`prepare_script`),
    a sentence (or clause) per call.
    """
    if not engine.needs_network or speech.gtts_packing != "fill":
        return engine.prepare_script(script)
    return pack_requests(script, engine.max_chars, known)


def voiced_in(cache: ClipCache, engine: Engine) -> Callable[[str], bool] | None:
    """Whether `engine` has voiced a text into `cache`; None when the cache is empty."""
    keys = cache.keys()
    if not keys:
        return None
    voice_id = engine.voice_id()

    def voiced(text: str) -> bool:
        return clip_key(engine.name, voice_id, text) in keys

    return voiced


def choose_engine(
    choice: str, speech: Speech, texts: Callable[[Engine], list[str]], cache: ClipCache
) -> tuple[Engine, str]:
    """The engine for this run and a note for the user ("" when there is nothing to say).

    `texts(engine)` is what the run would ask that engine to say. `auto` uses
    Google when it answers and espeak-ng otherwise. Google is tried with the
    first clip the run needs anyway (kept in the cache on success), so a run
    whose clips are all cached makes no request at all.
    """
    if choice != "auto":
        engine = create_engine(choice, speech)
        available = engine.availability()
        if not available.ok:
            raise EngineUnavailable(f"the {choice} engine cannot run here: {available.reason}")
        return engine, ""
    online = create_engine("gtts", speech)
    note = ""
    if online.availability().ok:
        voice_id = online.voice_id()
        missing = [t for t in texts(online) if clip_key(online.name, voice_id, t) not in cache]
        if not missing:
            return online, ""
        try:
            clip = online.synthesize(missing[0])
            if clip.data:
                cache.put(clip_key(online.name, voice_id, missing[0]), clip)
                return online, ""
            note = "Google's voice returned no audio; voicing offline with espeak-ng"
        except EngineError as exc:
            note = f"Google's voice is not reachable ({exc}); voicing offline with espeak-ng"
    offline = create_engine("espeak", speech)
    available = offline.availability()
    if not available.ok:
        raise EngineUnavailable(
            f"no speech engine can run here: {note or 'gTTS is not installed'}; "
            f"espeak-ng: {available.reason}"
        )
    return offline, note


def guard_for(engine: Engine, speech: Speech) -> Guard:
    """The rate limit, retries and circuit breaker one build puts around a network engine."""
    return Guard(
        engine.synthesize,
        name=engine.name,
        policy=RetryPolicy(attempts=speech.gtts_retries, base_delay=speech.gtts_backoff),
        limiter=RateLimiter(speech.gtts_rate),
        breaker=CircuitBreaker(speech.gtts_breaker),
    )


_worker_engine: Engine | None = None


def _init_worker(name: str, speech: Speech) -> None:
    global _worker_engine
    _worker_engine = create_engine(name, speech)


def _worker_synthesize(text: str) -> Clip:
    assert _worker_engine is not None
    return _worker_engine.synthesize(text)


def synthesize_into_cache(
    speech: Speech,
    engine: Engine,
    texts: list[str],
    cache: ClipCache,
    jobs: int,
    progress: Progress | None = None,
) -> dict[str, str]:
    """Synthesize `texts` into the cache; return the failures as text → reason.

    Network engines run in threads, under the rate limit, retries and circuit
    breaker of `guard_for`; engines whose library keeps global state (espeak-ng)
    run in worker processes, one engine each.
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
            raise EngineError(f"{engine.name} returned no audio")
        cache.put(clip_key(engine.name, voice_id, text), clip)

    workers = max(1, min(jobs, total))
    synthesize: Callable[[str], Clip] = engine.synthesize
    if engine.needs_network:
        synthesize = guard_for(engine, speech)
        workers = min(workers, speech.gtts_concurrency)
    done = 0
    if workers == 1:
        for text in texts:
            try:
                store(text, synthesize(text))
            except EngineError as exc:
                errors[text] = str(exc)
            done += 1
            if progress:
                progress(done, total)
        return errors

    pool: Executor
    submit: Callable[[str], Future[Clip]]
    if engine.parallelism == "processes":
        process_pool = ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(engine.name, speech)
        )
        pool = process_pool

        def submit(text: str) -> Future[Clip]:
            return process_pool.submit(_worker_synthesize, text)
    else:
        thread_pool = ThreadPoolExecutor(max_workers=workers)
        pool = thread_pool

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

    with pool:
        top_up()
        while in_flight:
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                text = in_flight.pop(future)
                try:
                    store(text, future.result())
                except EngineError as exc:
                    errors[text] = str(exc)
                done += 1
                if progress:
                    progress(done, total)
            top_up()
    return errors
