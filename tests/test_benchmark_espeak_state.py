"""benchmarks/espeak_state.py's target, checked: a clip that depends on what the library
said before it is a missed target, and `--check` then exits 1."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from nashra.engines.espeak import engine as espeak
from nashra.engines.espeak import fresh as espeak_fresh
from nashra.engines.espeak.engine import EspeakEngine

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "espeak_state.py"
CHUNKS = ["بَدَأَ الِاجْتِماعُ صَباحَ اليَوْمِ", "وَقالَ الوَزيرُ إِنَّ العَمَلَ مُسْتَمِرٌّ", "شُكْرًا"]


@pytest.fixture(scope="module")
def benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("espeak_state", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_library_that_keeps_its_state_misses_the_target(benchmark: ModuleType) -> None:
    """One library speaking every clip, as nashra's did before: said again in reverse order,
    its clips differ, and the check fails where the report alone would not."""
    engine = EspeakEngine()
    library = benchmark.library_of_its_own(espeak._require_backend(), engine)
    try:
        clips = [library.synthesize(text) for text in CHUNKS]
        alike = benchmark.said_alike(library.synthesize, CHUNKS, clips)
    finally:
        espeak_fresh.unload(library._lib)
    verdicts = benchmark.verdicts({"fresh_again_same": alike})
    assert [v.met for v in verdicts] == [False]
    assert benchmark.exit_status(verdicts, check=True, quick=False) == 1
    assert benchmark.exit_status(verdicts, check=True, quick=True) == 1  # not a time
    assert benchmark.exit_status(verdicts, check=False, quick=False) == 0


def test_the_clips_nashra_makes_meet_it(benchmark: ModuleType) -> None:
    engine = EspeakEngine()

    def voice(text: str) -> bytes:
        return engine.synthesize(text).data

    clips = [voice(text) for text in CHUNKS]
    verdicts = benchmark.verdicts({"fresh_again_same": benchmark.said_alike(voice, CHUNKS, clips)})
    assert [v.met for v in verdicts] == [True]
    assert benchmark.exit_status(verdicts, check=True, quick=False) == 0


@pytest.mark.slow
def test_the_benchmark_checks_its_target_when_run(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--chunks", "3", "--rounds", "1", "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "every clip was the same:\nTrue." in done.stdout
