"""Every key `podcast.toml` accepts has its row in docs/configuration.md, and every row
names a key it accepts. The keys come from the code: the settings' dataclasses,
`[speech]`'s own keys and each of nashra's engines' options, so a key added without
its documentation fails here."""

from __future__ import annotations

import re
import typing
from dataclasses import fields, is_dataclass

import pytest

from nashra.config.settings import FIELD_TABLES, SPEECH_KEYS, Settings
from nashra.engines import engine_class, engine_names
from tests.support import REPO

CONFIGURATION = REPO / "docs" / "configuration.md"


def accepted_keys() -> list[str]:
    """`key`, `table.key` and `speech.<engine>.key` for every key the settings read."""
    hints = typing.get_type_hints(Settings)
    keys: list[str] = []
    for field in fields(Settings):
        kind = hints[field.name]
        if field.name == "project":
            continue  # the project's folder, never written in podcast.toml
        if field.name == "speech":
            keys += [f"speech.{key}" for key in SPEECH_KEYS]
        elif is_dataclass(kind):
            table = FIELD_TABLES.get(field.name, field.name)  # [import] is `imports`
            keys += [f"{table}.{inner.name}" for inner in fields(kind)]
        else:
            keys.append(field.name)
    for name in engine_names():
        engine = engine_class(name)
        if engine.__module__.startswith("nashra."):  # a plugin documents its own options
            keys += [f"speech.{name}.{option.name}" for option in fields(engine.Options)]
    return keys


def documented_keys() -> set[str]:
    """The keys named in the first column of the `podcast.toml` table: `[table]` `key`."""
    keys: set[str] = set()
    for line in CONFIGURATION.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        names = re.findall(r"`([^`]+)`", line.split("|")[1])
        table = names[0].strip("[]") + "." if names[0].startswith("[") else ""
        keys.update(table + name for name in names if not name.startswith("["))
    return keys


def test_the_keys_come_from_the_code() -> None:
    keys = accepted_keys()
    assert {"title", "owner.email", "speech.engine", "audio.bitrate", "build.shared"} <= set(keys)
    assert {"speech.espeak.rate", "speech.gtts.packing", "speech.piper.noise_w"} <= set(keys)
    assert "speech.options" not in keys and "project" not in keys


@pytest.mark.parametrize("key", accepted_keys())
def test_every_accepted_key_is_documented(key: str) -> None:
    assert key in documented_keys(), f"`{key}` has no row in {CONFIGURATION.name}'s table"


def test_every_documented_key_is_accepted() -> None:
    stale = documented_keys() - set(accepted_keys())
    assert not stale, f"{CONFIGURATION.name} documents keys podcast.toml refuses: {sorted(stale)}"
