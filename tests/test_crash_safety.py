"""Builds killed with SIGKILL at many moments leave output/ consistent, and the next build heals.

Consistent means what a podcast app could fetch at that moment: if a feed exists
it parses, and every enclosure it names exists with exactly the length it states.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import podcastparser
import pytest

from nashra.config.settings import load_settings
from nashra.stages.builder import build
from tests.support import CORPUS, make_project

pytestmark = pytest.mark.slow


def assert_consistent(project: Path) -> int:
    """Check what an app would see; return the number of episodes in the feed."""
    settings = load_settings(project)
    feed_path = settings.output_dir / "feed.xml"
    if not feed_path.exists():
        return 0
    feed = podcastparser.parse(settings.feed_url, io.BytesIO(feed_path.read_bytes()))
    for episode in feed["episodes"]:
        (enclosure,) = episode["enclosures"]
        relative = enclosure["url"][len(settings.base_url) + 1 :]
        path = settings.output_dir / relative
        assert path.is_file(), f"the feed names {relative}, which is missing"
        assert path.stat().st_size == enclosure["file_size"], f"{relative} has another length"
    return len(feed["episodes"])


def edit_every_article(project: Path, marker: str) -> None:
    for article in (project / "articles").iterdir():
        text = article.read_text(encoding="utf-8").rstrip("\n")
        article.write_text(f"{text}\nتحديث {marker} للخبر.\n", encoding="utf-8")


def start_build(project: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "nashra", "build", "-p", str(project), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NASHRA_DEBUG": ""},
    )


def test_sigkill_at_many_moments(tmp_path: Path) -> None:
    articles = sorted((CORPUS / "saudinewsnet").glob("0[1-5]-*.txt"))
    project = make_project(tmp_path / "p", articles, engine="espeak")
    settings = load_settings(project)
    assert build(settings, jobs=2).ok
    assert assert_consistent(project) == len(articles)

    started = time.monotonic()
    full = start_build(project)  # nothing changed: the cheapest possible run
    full.wait()
    edit_every_article(project, "أول")
    started = time.monotonic()
    timing = start_build(project)
    timing.wait()
    rebuild_seconds = time.monotonic() - started
    assert timing.returncode == 0

    # Kill rebuilds at moments spread over a whole rebuild, each after a fresh edit.
    for i, fraction in enumerate((0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9)):
        edit_every_article(project, f"رقم {i}")
        process = start_build(project)
        time.sleep(rebuild_seconds * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert_consistent(project)

    final = build(settings, jobs=2)
    assert final.ok, final.failed
    assert assert_consistent(project) == len(articles)
    leftovers = [p.name for p in settings.output_dir.rglob("*") if p.name.endswith(".part")]
    assert leftovers == []
    # Old versions do not pile up: one audio file per episode.
    assert len(list((settings.output_dir / "episodes").glob("*.mp3"))) == len(articles)
