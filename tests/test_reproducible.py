"""Reproducible builds with the real espeak-ng engine and ffmpeg: the same articles give
the same MP3 bytes whether voiced here with `--jobs`, on a Dask cluster, or again from
scratch, under `SOURCE_DATE_EPOCH`. Each build is a real `nashra` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import CORPUS, make_project

ARTICLES = [
    CORPUS / "saudinewsnet" / name for name in ("04-alweeam.txt", "05-alriyadh.txt", "03-sabq.txt")
]
EPOCH = "1780000000"
SRC = Path(__file__).resolve().parents[1] / "src"


def _build(folder: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASK_", "FSSPEC_"))}
    env.update(PYTHONPATH=str(SRC), SOURCE_DATE_EPOCH=EPOCH)
    done = subprocess.run(
        [sys.executable, "-m", "nashra", "build", "--project", str(folder), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert f"built {len(ARTICLES)}, unchanged 0, failed 0" in done.stdout, done.stdout


def _mp3s(folder: Path) -> dict[str, bytes]:
    output = folder / "output"
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*.mp3"))}


def _same_bytes(one: Path, other: Path) -> None:
    mine, theirs = _mp3s(one), _mp3s(other)
    assert len(mine) >= len(ARTICLES)
    assert mine.keys() == theirs.keys()
    differ = [name for name in mine if mine[name] != theirs[name]]
    assert not differ, f"{len(differ)} of {len(mine)} MP3s differ: {differ}"
    assert (one / "output" / "feed.xml").read_bytes() == (
        other / "output" / "feed.xml"
    ).read_bytes()


@pytest.mark.slow
def test_two_builds_from_scratch_give_the_same_mp3_bytes(tmp_path: Path) -> None:
    one = make_project(tmp_path / "one", ARTICLES, engine="espeak")
    other = make_project(tmp_path / "other", ARTICLES, engine="espeak")
    _build(one, "--jobs", "2")
    _build(other, "--jobs", "2")
    _same_bytes(one, other)


@pytest.mark.slow
def test_a_local_cluster_gives_the_mp3_bytes_of_a_local_build(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    here = make_project(tmp_path / "here", ARTICLES, engine="espeak")
    there = make_project(tmp_path / "there", ARTICLES, engine="espeak")
    _build(here, "--jobs", "2")
    _build(there, "--cluster", "local:2")
    _same_bytes(here, there)
