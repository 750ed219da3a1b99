"""Which engine a build voices with, and which one voices what it fails: decided here alone.

`[speech] engine` names an engine, or `auto`: the engines with an `auto_priority`,
from the highest down, the first that can run here (a network engine is tried
with one real request). `[speech] fallback` names the engine that voices, whole,
the episodes the first one failed. A build refuses at once an engine that cannot
run (`preflight`), voices with `choose_engine`, falls back with `fallback_engine`;
a cluster build, where no engine may use the network, with `offline_engines`;
estimates ask `expected_engine`, which makes no request.

The project's `[speech]` settings come in as any object with `engine`, `fallback`
and `options_for` (`nashra.config.settings.Speech`): the settings sit above the engines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from nashra.core.errors import EngineError, EngineUnavailable, UsageError
from nashra.engines import AUTO, auto_order, create_engine, engine_class, engine_names
from nashra.engines.base import Engine, label
from nashra.storage.cache import ClipStore, clip_key

NO_FALLBACK = "none"
"""`[speech] fallback` when the episodes an engine fails stay failed."""


class SpeechChoice(Protocol):
    """What the choice reads of the `[speech]` settings."""

    @property
    def engine(self) -> str: ...

    @property
    def fallback(self) -> str: ...

    def options_for(self, name: str) -> Any: ...


def _create(speech: SpeechChoice, name: str) -> Engine:
    return create_engine(name, speech.options_for(name))


def preflight(speech: SpeechChoice) -> None:
    """Refuse, before any work, an engine the project names that cannot run here
    (not installed, or an option it cannot use, such as an unknown voice). Under
    `auto` an engine that is not installed is passed over, but one that is and
    refuses the project's own settings for it is that setting's error, said once
    here rather than by every article."""
    for name in auto_order() if speech.engine == AUTO else [speech.engine]:
        available = _create(speech, name).availability()
        if available.ok:
            continue
        if available.setting:
            raise UsageError(f"podcast.toml: {available.problem(name)}")
        if speech.engine != AUTO:
            raise UsageError(f"the configured engine `{name}` cannot run here: {available.reason}")


def missing_clips(
    cache: ClipStore, engine: Engine, voice_id: str, texts: Iterable[str]
) -> list[str]:
    """The distinct `texts` that `engine` has not voiced into `cache`, sorted."""
    return sorted({t for t in texts if clip_key(engine.name, voice_id, t) not in cache})


def choose_engine(
    choice: str, speech: SpeechChoice, texts: Callable[[Engine], list[str]], cache: ClipStore
) -> tuple[Engine, str]:
    """The engine for this run and a note for the user ("" when there is nothing to say).

    `choice` is `[speech] engine` or what the command line put in its place.
    `texts(engine)` is what the run would ask that engine to say. `auto` tries the
    engines from the highest `auto_priority` down and takes the first that can
    run here; a network engine is tried with the first clip the run needs anyway
    (kept in the cache on success), so a run whose clips are all cached makes no
    request at all.
    """
    if choice != AUTO:
        engine = _create(speech, choice)
        available = engine.availability()
        if not available.ok:
            raise EngineUnavailable(
                f"the {choice} engine cannot run here: {available.problem(choice)}"
            )
        return engine, ""
    passed: list[str] = []
    for name in auto_order():
        engine = _create(speech, name)
        available = engine.availability()
        if not available.ok and available.setting:
            raise UsageError(f"podcast.toml: {available.problem(name)}")
        if not available.ok:
            passed.append(f"{label(engine)}: {available.reason}")
            continue
        if engine.needs_network:
            problem = _try_once(engine, texts(engine), cache)
            if problem:
                passed.append(problem)
                continue
        note = f"{'; '.join(passed)}; voicing with {label(engine)}" if passed else ""
        return engine, note
    raise EngineUnavailable(f"no speech engine can run here: {'; '.join(passed) or 'none found'}")


def _try_once(engine: Engine, texts: list[str], cache: ClipStore) -> str:
    """Ask a network engine for the first clip the run lacks: "" when it answered."""
    voice_id = engine.voice_id()
    missing = missing_clips(cache, engine, voice_id, texts)
    if not missing:
        return ""
    try:
        clip = engine.synthesize(missing[0])
    except EngineError as exc:
        return f"{label(engine)}'s voice is not reachable ({exc})"
    if not clip.data:
        return f"{label(engine)}'s voice returned no audio"
    cache.put(clip_key(engine.name, voice_id, missing[0]), clip)
    return ""


def fallback_engine(speech: SpeechChoice, first: Engine) -> Engine | None:
    """The engine that voices, whole, the episodes `first` failed; None when there is
    none (`fallback = "none"`, or `first` itself)."""
    if speech.fallback in (NO_FALLBACK, first.name):
        return None
    return _create(speech, speech.fallback)


def expected_engine(speech: SpeechChoice) -> Engine | None:
    """The engine a build is expected to voice with, found without a request: the
    configured one, or under `auto` the first that can run here (a network engine
    taken to answer). None when none can be built."""
    names = auto_order() if speech.engine == AUTO else [speech.engine]
    for name in names:
        try:
            engine = _create(speech, name)
        except UsageError:
            continue
        if speech.engine != AUTO or engine.availability().ok:
            return engine
    return None


def offline_engines(speech: SpeechChoice) -> tuple[list[Engine], str]:
    """The engines a build that must not use the network voices with (a cluster's:
    rate limits are per client, and each worker would be one more): the configured
    engine, or under `auto` the first offline one that can run here, then its
    fallback when that needs no network either; and a note for the user."""
    if speech.engine == AUTO:
        engine = _first_offline_engine(speech)
    else:
        engine = _create(speech, speech.engine)
        if engine.needs_network:
            # The offline engines `auto` would take, else any offline engine at all.
            offline = [n for n in auto_order() if _offline(n)]
            offline = offline or [n for n in engine_names() if _offline(n)]
            instead = f" ({', '.join(f'--engine {n}' for n in offline)})" if offline else ""
            raise UsageError(
                f"`{speech.engine}` needs the network and cannot voice on a cluster: its "
                "rate limits are per client, and each worker would be one more. Choose an "
                f"offline engine{instead} or build without --cluster"
            )
    engines = [engine]
    note = ""
    fallback = fallback_engine(speech, engine)
    if fallback is not None and fallback.needs_network:
        note = f"the fallback {label(fallback)} needs the network: not used on a cluster"
    elif fallback is not None:
        engines.append(fallback)
    return engines, note


def _offline(name: str) -> bool:
    try:
        return not engine_class(name).needs_network
    except UsageError:
        return False


def _first_offline_engine(speech: SpeechChoice) -> Engine:
    passed: list[str] = []
    for name in auto_order():
        engine = _create(speech, name)
        if engine.needs_network:
            continue
        available = engine.availability()
        if available.ok:
            return engine
        passed.append(f"{label(engine)}: {available.reason}")
    raise UsageError(f"no offline engine can run here: {'; '.join(passed) or 'none found'}")
