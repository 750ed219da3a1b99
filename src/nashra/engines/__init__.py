"""The engine registry: every engine, built-in or plugin, comes in through `register`.

Importing this package stays cheap: the built-in factories import their engine
modules (and through them gTTS or ctypes) only when an engine is created.
"""

from __future__ import annotations

from collections.abc import Callable

from nashra.engines.base import Engine
from nashra.errors import UsageError
from nashra.settings import Speech

EngineFactory = Callable[[Speech], Engine]

_FACTORIES: dict[str, EngineFactory] = {}


def register(name: str, factory: EngineFactory) -> None:
    """Make `factory` the way to build the engine called `name`, replacing any earlier one."""
    if not name or name != name.strip() or name == "auto":
        raise ValueError(f"invalid engine name {name!r}")
    _FACTORIES[name] = factory


def engine_names() -> list[str]:
    """The registered engine names, in registration order (built-ins first)."""
    return list(_FACTORIES)


def create_engine(name: str, speech: Speech) -> Engine:
    """Build the engine called `name` for these speech settings."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        known = ", ".join(engine_names()) or "none"
        raise UsageError(f"unknown speech engine {name!r}; known engines: {known}") from None
    return factory(speech)


def _gtts(speech: Speech) -> Engine:
    from nashra.engines.gtts_engine import GttsEngine

    return GttsEngine(speech)


def _espeak(speech: Speech) -> Engine:
    from nashra.engines.espeak import EspeakEngine

    return EspeakEngine(speech)


register("gtts", _gtts)
register("espeak", _espeak)
