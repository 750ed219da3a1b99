"""Temporary audio lives in .nashra/tmp/, is removed however a build ends, and a very long
episode is announced (with its expected length) before any of it is voiced."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from nashra import audio, paths
from nashra.builder import build
from nashra.settings import load_settings
from tests.conftest import CORPUS, set_key


def test_episode_audio_is_spooled_in_the_work_folder(
    small_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spooled: list[Path] = []
    real = audio.assemble

    def spy(parts, pcm, **kwargs):  # type: ignore[no-untyped-def]
        spooled.append(pcm)
        return real(parts, pcm, **kwargs)

    monkeypatch.setattr(audio, "assemble", spy)
    settings = load_settings(small_project)
    assert build(settings, jobs=1).ok
    scratch = paths.scratch_dir(settings.work_dir)
    assert len(spooled) == 2
    assert all(scratch in pcm.parents for pcm in spooled), spooled
    assert list(scratch.iterdir()) == []  # and gone once each episode is made


def test_a_failing_episode_leaves_no_temporary_audio(small_project: Path) -> None:
    settings = load_settings(small_project)
    # A clip that cannot be decoded fails the episode halfway through joining.
    assert build(settings, jobs=1).ok
    for clip in paths.clip_dir(settings.work_dir).rglob("*"):
        if clip.is_file() and clip.suffix in {".wav", ".mp3", ""}:
            clip.write_bytes(b"RIFF broken")
    (small_project / "articles" / "03-sabq.txt").open("a", encoding="utf-8").write("خبر.\n")
    report = build(settings, jobs=1)
    assert not report.ok
    assert list(paths.scratch_dir(settings.work_dir).iterdir()) == []


def test_what_a_killed_build_left_is_removed_by_the_next(small_project: Path) -> None:
    settings = load_settings(small_project)
    stale = paths.scratch_dir(settings.work_dir) / "nashra-pcm-dead"
    stale.mkdir(parents=True)
    (stale / "episode.pcm").write_bytes(b"\0" * 4096)
    assert build(settings, jobs=1).ok
    assert list(paths.scratch_dir(settings.work_dir).iterdir()) == []


def test_a_very_long_episode_is_announced_with_its_length(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.conftest import make_project

    project = make_project(tmp_path / "p", [])
    text = (CORPUS / "saudinewsnet" / "01-alwatan.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    (project / "articles" / "long.txt").write_text(
        title + "\n" + "\n\n".join([body.strip()] * 120) + "\n", encoding="utf-8"
    )
    (project / "articles" / "short.txt").write_text(text, encoding="utf-8")
    toml = project / "podcast.toml"
    # Every clip fails at once, so the test does not voice hours of audio.
    toml.write_text(set_key(toml.read_text(encoding="utf-8"), "speech.fake", "fail_on", " "))
    caplog.set_level(logging.WARNING, logger="nashra")
    report = build(load_settings(project), jobs=1)
    assert not report.ok
    warned = [r.getMessage() for r in caplog.records if "very long episode" in r.getMessage()]
    assert len(warned) == 1, warned
    assert warned[0].startswith(f"{project / 'articles' / 'long.txt'}: a very long episode")
    assert " h " in warned[0] and "MB" in warned[0]
