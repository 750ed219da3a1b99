"""The engine registry: built-in engines and plugins come in through one door."""

from __future__ import annotations

import pickle
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from nashra.core.errors import UsageError
from nashra.engines import (
    _BUILT_IN,
    AUTO,
    auto_order,
    create_engine,
    engine_class,
    engine_names,
    register,
)
from nashra.engines.base import Engine
from nashra.engines.espeak.engine import EspeakOptions
from nashra.engines.gtts.engine import GttsOptions
from tests.fake_engine import FakeEngine, FakeOptions
from tests.support import REPO


def test_built_in_engines_come_first() -> None:
    assert engine_names()[:2] == ["gtts", "espeak"]


def test_built_in_engines_are_entry_points_in_the_package_metadata() -> None:
    from importlib.metadata import entry_points

    points = {p.name: p.value for p in entry_points(group="nashra.engines")}
    assert points["gtts"] == "nashra.engines.gtts.engine:GttsEngine"
    assert points["espeak"] == "nashra.engines.espeak.engine:EspeakEngine"


@pytest.mark.parametrize("name", ["gtts", "espeak"])
def test_create_engine_builds_the_named_engine_with_its_defaults(name: str) -> None:
    engine = create_engine(name)
    assert engine.name == name
    assert isinstance(engine, Engine)
    assert engine.options == engine_class(name).Options()


def test_unknown_engine_is_a_usage_error_naming_the_known_ones() -> None:
    with pytest.raises(UsageError, match="unknown speech engine 'nosuch'") as info:
        create_engine("nosuch")
    assert "gtts" in str(info.value)
    assert "espeak" in str(info.value)


def test_auto_tries_google_first_then_espeak() -> None:
    assert auto_order()[:2] == ["gtts", "espeak"]


def test_a_registered_engine_is_listed_and_built_with_its_options() -> None:
    assert "fake" in engine_names()  # tests/conftest.py registers it, as a plugin would be
    engine = create_engine("fake", FakeOptions(pitch=300))
    assert isinstance(engine, FakeEngine)
    assert engine.voice_id() == "fake pitch=300"
    assert "fake" not in auto_order()  # no auto_priority: never chosen by `auto`


class _Nameless(FakeEngine):
    name = ""


class _Auto(FakeEngine):
    name = AUTO


def test_register_refuses_names_that_cannot_be_chosen() -> None:
    for cls in (_Nameless, _Auto):
        with pytest.raises(ValueError):
            register(cls)


def test_engines_pickle_for_worker_processes() -> None:
    options = {"gtts": GttsOptions(tld="com.eg"), "espeak": EspeakOptions(rate=222)}
    for name, opts in options.items():
        engine = create_engine(name, opts)
        copy = pickle.loads(pickle.dumps(engine))
        assert type(copy) is type(engine)
        assert copy.voice_id() == engine.voice_id()


def test_importing_the_registry_loads_no_engine_library() -> None:
    code = (
        "import sys, nashra.engines\n"
        "nashra.engines.engine_names()\n"
        "heavy = {'gtts', 'requests', 'nashra.engines.espeak.engine',\n"
        "         'nashra.engines.gtts.engine'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_broken_plugin_is_a_clear_usage_error(tmp_path: Path) -> None:
    """An entry point whose module fails to import names itself; the others still work."""
    dist = tmp_path / "broken_engine-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-engine\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[nashra.engines]\nbroken = no_such_module:Engine\n")
    code = (
        "from nashra.engines import create_engine, engine_names\n"
        "from nashra.core.errors import UsageError\n"
        "print(engine_names())\n"
        "try:\n    create_engine('broken')\nexcept UsageError as e:\n    print('error:', e)\n"
        "print(create_engine('espeak').name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "PYTHONPATH": str(tmp_path)},
    )
    lines = done.stdout.splitlines()
    assert "'broken'" in lines[0]
    assert lines[1].startswith("error: the speech engine 'broken' (no_such_module:Engine)")
    assert "No module named 'no_such_module'" in lines[1]
    assert lines[2] == "espeak"


def test_the_source_trees_engines_are_the_entry_points_pyproject_declares() -> None:
    # `_BUILT_IN` stands in for the package metadata in a source tree run without
    # being installed: the same engines, in the same order (`engine_names`).
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["project"]["entry-points"]["nashra.engines"]
    assert list(_BUILT_IN.items()) == list(declared.items())
