"""Damaged files are found and made again: clips in the cache, MP3s in output/."""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.render import tagging
from nashra.stages.builder import build
from nashra.storage import paths
from nashra.storage.state import BuildState
from tests.support import CORPUS, make_project
from tests.test_crash_safety import edit_every_article

pytestmark = pytest.mark.slow

ARTICLES = [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"]


def clips(project: Path) -> list[Path]:
    return sorted(paths.clip_dir(project / ".nashra").rglob("*.wav"))


def test_damaged_clips_are_voiced_again(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", ARTICLES)
    settings = load_settings(project)
    first = build(settings, jobs=1)
    assert first.ok and first.clips_synthesized > 0
    state = BuildState.load(paths.state_file(settings.work_dir))
    lasted = {r.slug: r.duration for r in state.episodes.values()}
    damaged = clips(project)
    for clip in damaged:  # a disk that lost the clips' tails
        with clip.open("r+b") as handle:
            handle.truncate(100)
    edit_every_article(project, "جديد")  # the episodes are made again from those clips
    again = build(settings, jobs=1)
    assert again.ok, again.failed
    assert again.clips_cached == 0
    assert again.clips_synthesized > first.clips_synthesized
    state = BuildState.load(paths.state_file(settings.work_dir))
    for record in state.episodes.values():
        assert record.duration > lasted[record.slug]
    assert all(clip.stat().st_size > 100 for clip in clips(project))


def test_a_damaged_mp3_in_output_is_made_again(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", ARTICLES)
    settings = load_settings(project)
    assert build(settings, jobs=1).ok
    state = BuildState.load(paths.state_file(settings.work_dir))
    record = state.episodes["03-sabq"]
    mp3 = settings.output_dir / record.file
    mp3.write_bytes(b"\0" * mp3.stat().st_size)  # same length, no audio left
    found = build(settings, jobs=1)
    assert found.built == []
    assert any(f.rule == "audio" and record.file in f.message for f in found.findings)
    mended = build(settings, jobs=1)
    assert mended.ok and mended.built == ["03-sabq"]
    assert mended.check_errors == 0, mended.findings
    again = BuildState.load(paths.state_file(settings.work_dir)).episodes["03-sabq"]
    assert tagging.mp3_facts(settings.output_dir / again.file).duration == pytest.approx(
        record.duration, abs=0.1
    )
    assert build(settings, jobs=1).built == []
