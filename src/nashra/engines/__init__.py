"""The engine registry: every engine, built-in or plugin, comes in through one door.

An engine is a class (see `nashra.engines.base.Engine`) named by an entry point
in the group `nashra.engines`: nashra's own engines are listed in its
`pyproject.toml` exactly as a plugin package lists its own. Tests (and code that
embeds nashra) may also `register` a class directly, as a plugin would be found.

Importing this package stays cheap: an engine's module is imported only when
the engine is first asked for.

- `base`: the `Engine` contract; `options`: an engine's `[speech.<name>]` table;
  `resilience`: rate limits, retries and the breaker a network engine shares; `ssml`: the
  SSML requests of the engines that take SSML (escaping, packing, the check before sending);
- `espeak`, `gtts`, `piper`, `azure`, `google_cloud`, `edge`: one package per engine, with
  everything only it uses.

May import: `readers`, `text`, `storage` and `core`. Nothing outside an engine's package
imports it (the registry names it by its entry point), and the engines import each other
only where Piper speaks through espeak-ng's spelling. Never settings, a stage or the CLI.
"""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import entry_points
from typing import Any

from nashra.core.errors import UsageError
from nashra.engines.base import Engine

log = logging.getLogger(__name__)

GROUP = "nashra.engines"
AUTO = "auto"
"""Not an engine: the policy of trying the `auto_priority` engines in turn."""

_BUILT_IN = {
    "gtts": "nashra.engines.gtts.engine:GttsEngine",
    "espeak": "nashra.engines.espeak.engine:EspeakEngine",
    "piper": "nashra.engines.piper.engine:PiperEngine",
    "azure": "nashra.engines.azure.engine:AzureEngine",
    "google-cloud": "nashra.engines.google_cloud.engine:GoogleCloudEngine",
    "edge": "nashra.engines.edge.engine:EdgeEngine",
}
"""nashra's own entry points, for a source tree run without being installed (no package
metadata to read them from); a test holds them equal to pyproject.toml's, in order."""

_specs: dict[str, str] | None = None
_classes: dict[str, type[Engine]] = {}
_registered: dict[str, type[Engine]] = {}


def _discover() -> dict[str, str]:
    global _specs
    if _specs is None:
        specs = dict(_BUILT_IN)
        for point in entry_points(group=GROUP):
            if point.name == AUTO or not point.name.strip():
                log.warning("ignoring the engine entry point %r: not a usable name", point.name)
                continue
            specs[point.name] = point.value
        _specs = specs
    return _specs


def register(engine: type[Engine]) -> None:
    """Make `engine` available under its `name`, replacing any engine of that name."""
    name = getattr(engine, "name", "")
    if not isinstance(name, str) or not name or name != name.strip() or name == AUTO:
        raise ValueError(f"invalid engine name {name!r}")
    _registered[name] = engine


def unregister(name: str) -> None:
    """Forget an engine registered with `register` (tests clean up with it)."""
    _registered.pop(name, None)


def engine_names() -> list[str]:
    """Every engine's name: nashra's own first, then plugins, in a stable order."""
    names = list(_discover())
    return names + [n for n in _registered if n not in names]


def engine_class(name: str) -> type[Engine]:
    """The class of the engine called `name`; `UsageError` when there is none, or it
    cannot be loaded."""
    if name in _registered:
        return _registered[name]
    if name in _classes:
        return _classes[name]
    spec = _discover().get(name)
    if spec is None:
        known = ", ".join(engine_names()) or "none"
        raise UsageError(f"unknown speech engine {name!r}; known engines: {known}")
    module_name, _, attribute = spec.partition(":")
    try:
        loaded: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            loaded = getattr(loaded, part)
    except Exception as exc:  # a broken plugin must not take nashra down
        raise UsageError(f"the speech engine {name!r} ({spec}) cannot be loaded: {exc}") from exc
    if not (isinstance(loaded, type) and issubclass(loaded, Engine)):
        raise UsageError(f"the speech engine {name!r} ({spec}) is not an Engine class")
    _classes[name] = loaded
    return loaded


def create_engine(name: str, options: Any = None) -> Engine:
    """Build the engine called `name` with its options (its defaults when None)."""
    return engine_class(name)(options)


def auto_order() -> list[str]:
    """The engines `auto` tries, the highest `auto_priority` first."""
    ranked: list[tuple[int, int, str]] = []
    for position, name in enumerate(engine_names()):
        try:
            priority = engine_class(name).auto_priority
        except UsageError as exc:
            log.debug("%s", exc)
            continue
        if priority is not None:
            ranked.append((-priority, position, name))
    return [name for _, _, name in sorted(ranked)]
