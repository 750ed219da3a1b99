from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

import nashra.engines as engines
from nashra.engines import create_engine, engine_names, register
from nashra.engines.base import Clip, Engine
from nashra.errors import UsageError
from nashra.settings import Speech


class _Fake(Engine):
    name = "fake"
    needs_network = False
    max_chars = 10
    parallelism = "threads"

    def __init__(self, speech: Speech) -> None:
        self.speech = speech

    def synthesize(self, text: str) -> Clip:
        return Clip(text.encode(), "wav")

    def voice_id(self) -> str:
        return "fake"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "_FACTORIES", dict(engines._FACTORIES))


def test_built_in_engines_are_registered_in_order() -> None:
    assert engine_names()[:2] == ["gtts", "espeak"]


@pytest.mark.parametrize("name", ["gtts", "espeak"])
def test_create_engine_builds_the_named_engine(name: str) -> None:
    engine = create_engine(name, Speech())
    assert engine.name == name
    assert isinstance(engine, Engine)


def test_unknown_engine_is_a_usage_error_naming_the_known_ones() -> None:
    with pytest.raises(UsageError, match="unknown speech engine 'piper'") as info:
        create_engine("piper", Speech())
    assert "gtts" in str(info.value)
    assert "espeak" in str(info.value)


def test_a_plugin_registers_through_the_same_door(registry: None) -> None:
    speech = Speech(espeak_rate=200)
    register("fake", _Fake)
    assert engine_names()[-1] == "fake"
    engine = create_engine("fake", speech)
    assert isinstance(engine, _Fake)
    assert engine.speech is speech


@pytest.mark.parametrize("name", ["", "auto", " fake"])
def test_register_refuses_names_that_cannot_be_chosen(registry: None, name: str) -> None:
    with pytest.raises(ValueError):
        register(name, _Fake)


def test_engines_pickle_for_worker_processes() -> None:
    speech = Speech(espeak_rate=222, gtts_tld="com.eg")
    for name in ("gtts", "espeak"):
        engine = create_engine(name, speech)
        copy = pickle.loads(pickle.dumps(engine))
        assert type(copy) is type(engine)
        assert copy.voice_id() == engine.voice_id()


def test_importing_the_registry_loads_no_engine_library() -> None:
    code = (
        "import sys, nashra.engines\n"
        "heavy = {'gtts', 'requests', 'nashra.engines.espeak', 'nashra.engines.gtts_engine'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
