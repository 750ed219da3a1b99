"""Temporary audio lives in .nashra/tmp/, is removed however a build ends, and a very long
episode is announced (with its expected length) before any of it is voiced."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.render import audio
from nashra.stages.builder import build
from nashra.storage import paths, scratch
from tests.support import CORPUS, set_key


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
    # A clip that cannot be decoded fails the episode halfway through joining: whole by
    # its header's lengths (a damaged one would be voiced again), in no format known.
    assert build(settings, jobs=1).ok
    for clip in paths.clip_dir(settings.work_dir).rglob("*.wav"):
        data = bytearray(clip.read_bytes())
        data[20:22] = b"\xff\xff"  # the fmt chunk's audio format
        clip.write_bytes(bytes(data))
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
    from tests.support import make_project

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


def test_a_build_removes_what_a_killed_build_left_in_the_work_folder(small_project: Path) -> None:
    settings = load_settings(small_project)
    assert build(settings, jobs=1).ok
    work = settings.work_dir
    left = [
        work / ".site-key.a1b2c3.part",
        work / "cache" / ".read-memo.pickle.a1b2c3.part",
        paths.clip_dir(work) / ".0123.wav.a1b2c3.part",
        paths.article_cache_dir(work) / ".0123.pickle.a1b2c3.part",
    ]
    for part in left:
        part.write_bytes(b"half")
    assert build(settings, jobs=1).ok
    assert [p for p in left if p.exists()] == []
    assert list(work.rglob("*.part")) == []


def test_cache_entries_are_written_through_their_cache_s_top_folder(small_project: Path) -> None:
    """So that the next build finds a killed build's temporary files without walking the
    whole cache: a shard of it holds only whole entries."""
    from nashra.engines.base import wav_clip
    from nashra.storage.cache import ClipCache

    cache = ClipCache(paths.clip_dir(small_project / ".nashra"))
    seen: list[Path] = []
    real = os.replace

    def spy(source, target):  # type: ignore[no-untyped-def]
        seen.append(Path(source).parent)
        return real(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", spy)
        cache.put("ab" + "0" * 62, wav_clip(b"\0\0" * 10, 16_000))
    assert seen == [cache.folder]


def test_orphans_of_ended_processes_are_removed_and_running_ones_kept(tmp_path: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    mine = tmp_path / f"{scratch.own_prefix('nashra-publish-')}x.txt"
    orphan = tmp_path / f"nashra-publish-{ended.pid}-x.txt"
    orphan_folder = tmp_path / f"nashra-episode-{ended.pid}-y"
    other = tmp_path / f"other-{ended.pid}-x.txt"
    unnamed = tmp_path / "nashra-publish-x.txt"
    for path in (mine, orphan, other, unnamed):
        path.write_text("list", encoding="utf-8")
    (orphan_folder / "work").mkdir(parents=True)
    assert scratch.remove_orphans(tmp_path, "nashra-publish-") == 1
    assert scratch.remove_orphans(tmp_path, "nashra-episode-") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (mine, other, unnamed)
    )
