"""Chapters and transcripts rendered from plain records, read back by webvtt-py and json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import webvtt

from nashra.core.model import Chapter, Cue, Script, Utterance
from nashra.render.sidecars import (
    chapters_for,
    chapters_json,
    cues_for,
    srt,
)
from nashra.render.sidecars import (
    webvtt as render_vtt,
)

SCRIPT = Script(
    utterances=(
        Utterance("عنوان المقال", "عنوان المقال", 800, 0),
        Utterance("الجملة الأولى", "الجملة الأولى، كما كتبت.", 350, 0, 0),
        Utterance("القسم الثاني", "القسم الثاني", 800, 1, 1),
        Utterance("خمسة وعشرون", "25 <مهم> & آخر", 0, 1, 1),
    ),
    chapters=("عنوان المقال", "القسم الثاني"),
)
STARTS = (0.3, 2.5, 5.0, 6.25)
ENDS = (1.9, 4.0, 6.0, 9.5)


def test_one_chapter_per_title_starting_at_its_first_utterance() -> None:
    assert chapters_for(SCRIPT, STARTS) == (
        Chapter(0.0, "عنوان المقال"),
        Chapter(5.0, "القسم الثاني"),
    )


def test_cues_carry_the_written_text_and_clip_times() -> None:
    cues = cues_for(SCRIPT, STARTS, ENDS)
    assert cues[1] == Cue(2.5, 4.0, "الجملة الأولى، كما كتبت.")
    assert cues[3].text == "25 <مهم> & آخر"


def test_chapters_json_follows_podcasting_2_0() -> None:
    data = json.loads(chapters_json(chapters_for(SCRIPT, STARTS), title="حلقة"))
    assert data == {
        "version": "1.2.0",
        "title": "حلقة",
        "chapters": [
            {"startTime": 0.0, "title": "عنوان المقال"},
            {"startTime": 5.0, "title": "القسم الثاني"},
        ],
    }


def test_webvtt_and_srt_read_back(tmp_path: Path) -> None:
    cues = cues_for(SCRIPT, STARTS, ENDS)
    (tmp_path / "t.vtt").write_bytes(render_vtt(cues))
    (tmp_path / "t.srt").write_bytes(srt(cues))
    vtt = webvtt.read(str(tmp_path / "t.vtt"))
    sub = webvtt.from_srt(str(tmp_path / "t.srt"))
    for parsed in (vtt, sub):
        assert [(c.start, c.end) for c in parsed.captions][:2] == [
            ("00:00:00.300", "00:00:01.900"),
            ("00:00:02.500", "00:00:04.000"),
        ]
    assert vtt.captions[1].text == "الجملة الأولى، كما كتبت."
    # Markup characters are escaped in WebVTT and read back as text.
    assert "&lt;مهم&gt; &amp;" in render_vtt(cues).decode("utf-8")
    assert "\n25 <مهم> & آخر\n" in srt(cues).decode("utf-8")  # SRT keeps text as written


def test_long_cues_wrap_at_65_characters() -> None:
    long = "كلمة " * 40
    text = render_vtt([Cue(0, 3725.5, long)]).decode("utf-8")
    assert "00:00:00.000 --> 01:02:05.500" in text
    lines = text.split("\n\n")[1].splitlines()[2:]
    assert len(lines) > 2 and all(len(line) <= 65 for line in lines)


@pytest.mark.parametrize("text", ["a --> b", "\n\n"])
def test_cue_text_never_ends_a_cue_early(text: str) -> None:
    rendered = render_vtt([Cue(0, 1, text)]).decode("utf-8")
    assert rendered.count("-->") == 1
    assert rendered.count("\n\n") == 1


def test_same_records_same_bytes() -> None:
    cues = cues_for(SCRIPT, STARTS, ENDS)
    assert render_vtt(cues) == render_vtt(list(cues))
    assert srt(cues) == srt(cues)


def test_transcripts_carry_no_tags_a_player_would_render() -> None:
    cues = [Cue(0, 2, '<font color="red">خبر</font> <i>عاجل</i> <script>alert(1)</script>')]
    for text in (srt(cues).decode("utf-8"), render_vtt(cues).decode("utf-8")):
        assert "<" not in text and "&lt;" not in text
        assert "خبر عاجل alert(1)" in text
