"""Word timings from the engine to the episode: the written words timed by the spoken
ones, carried through joining, the loudness step and MP3 encoding, kept in the build
state, and published as a Podcasting 2.0 JSON transcript."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import podcastparser
import pytest

from nashra.check import check_project
from nashra.check.files import json_transcript_ends
from nashra.config.settings import load_settings
from nashra.core.model import Clip, Cue, EpisodeRecord, Script, Utterance, WordTime
from nashra.render import audio, sidecars
from nashra.render.word_times import placed, written_words
from nashra.stages.builder import build
from nashra.storage.state import BuildState, Details
from nashra.storage.state_schema import decode_cues, encode, encode_cues
from tests.fake_engine import FakeEngine, FakeOptions
from tests.support import CORPUS, make_project


def said(*words: str, gap: float = 0.5) -> tuple[WordTime, ...]:
    return tuple(WordTime(n * gap, n * gap + 0.4, w) for n, w in enumerate(words))


@pytest.mark.parametrize(
    ("written", "spoken", "expected"),
    [
        # Diacritized and with its hamzas respelled, each word still finds its own.
        ("قال الوزير إن", said("قَالَ", "الْوَزِيرُ", "اِنَّ"), [0.0, 0.5, 1.0]),
        # A number read as three words: it takes their whole time.
        ("في 2024 تم", said("في", "ألفين", "وأربعة", "وعشرين", "تم"), [0.0, 0.5, 2.0]),
        # A lone dash is said at no time, where the word before it ends.
        ("قال – نعم", said("قال", "نعم"), [0.0, 0.4, 0.5]),
        # Punctuation the engine was given apart is no word.
        ("نعم، لا.", said("نعم", "،", "لا", "."), [0.0, 1.0]),
        # Two written words the engine said as one word share its time by length.
        ("عبد الله", said("عبدالله"), [0.0, 0.4 * 3 / 7]),
    ],
)
def test_written_words_take_the_times_of_the_spoken_ones(
    written: str, spoken: tuple[WordTime, ...], expected: list[float]
) -> None:
    words = written_words(written, spoken)
    assert [w.text for w in words] == written.split()
    assert [w.start for w in words] == pytest.approx(expected, abs=0.001)
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    assert all(w.start <= w.end for w in words)


def test_no_spoken_words_no_written_times() -> None:
    assert written_words("قال الوزير", ()) == ()
    assert written_words("", said("قال")) == ()
    assert placed(said("قال"), 2.0) == (WordTime(2.0, 2.4, "قال"),)
    # A word an engine reports past its clip's end is held at the end.
    assert placed(said("قال", "الوزير"), 2.0, until=2.45) == (
        WordTime(2.0, 2.4, "قال"),
        WordTime(2.45, 2.45, "الوزير"),
    )


def test_the_json_transcript_has_a_segment_per_word() -> None:
    cues = (
        Cue(0.3, 1.2, "قال الوزير", (WordTime(0.3, 0.7, "قال"), WordTime(0.8, 1.2, "الوزير"))),
        Cue(1.5, 2.0, "<b>نعم</b>"),  # a cue without word timings is one segment
    )
    data = json.loads(sidecars.transcript_json(cues))
    assert data == {
        "version": "1.0.0",
        "segments": [
            {"startTime": 0.3, "endTime": 0.7, "body": "قال"},
            {"startTime": 0.8, "endTime": 1.2, "body": "الوزير"},
            {"startTime": 1.5, "endTime": 2.0, "body": "نعم"},
        ],
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[]", "list of `segments`"),
        ('{"segments": [{"startTime": 1}]}', "segment 1 has no startTime and endTime"),
        ('{"segments": [{"startTime": 1, "endTime": true, "body": "x"}]}', "no startTime"),
        ('{"segments": [{"startTime": 1, "endTime": 2}]}', "segment 1 has no body"),
        ('{"segments": [{"startTime": 2, "endTime": 1, "body": "x"}]}', "ends before"),
        ("{", "Expecting"),
    ],
)
def test_nashra_check_reads_json_transcripts(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        list(json_transcript_ends(text))
    whole = sidecars.transcript_json((Cue(0.3, 1.2, "قال الوزير", said("قال", "الوزير")),))
    assert list(json_transcript_ends(whole.decode())) == [0.4, 0.9]


def test_the_build_state_keeps_the_words_and_reads_old_rows() -> None:
    cues = (Cue(0.3, 1.2, "قال الوزير", said("قال", "الوزير")), Cue(1.5, 2.0, "نعم"))
    assert decode_cues(encode_cues(cues)) == cues
    assert json.loads(encode_cues(cues))[1] == [1.5, 2.0, "نعم"]  # as rows were before
    assert decode_cues('[[0.3, 1.2, "قال"]]') == (Cue(0.3, 1.2, "قال"),)
    record = EpisodeRecord(
        slug="a", source="articles/a.txt", guid="g", first_published="2024-01-01T00:00:00+00:00",
        content_key="k", engine="fake", voice_id="v", file="episodes/a.mp3", length=1,
        duration=2.0, title="t", description="d", author=None,
        pub_date="2024-01-01T00:00:00+00:00", cues=cues,
    )  # fmt: skip
    assert record.has_words and json.loads(encode(record))["has_words"] is True
    plain = replace(record, cues=cues[1:], has_words=False)
    assert "has_words" not in json.loads(encode(plain))


def onsets(pcm: np.ndarray, rate: int) -> list[float]:
    """Where sound starts after silence, in seconds (5 ms windows)."""
    window = rate // 200
    frames = pcm[: pcm.size // window * window].reshape(-1, window)
    loud = np.abs(frames).max(axis=1) > 0.1 * np.abs(pcm).max()
    return [n * window / rate for n in range(1, loud.size) if loud[n] and not loud[n - 1]]


@pytest.mark.parametrize(("clip_rate", "limit"), [(16000, False), (22050, True)])
def test_word_times_survive_joining_loudness_and_encoding(
    tmp_path: Path, clip_rate: int, limit: bool
) -> None:
    """Clips at other rates than the episode's, normalized (with the limiter when a peak
    asks for it) and MP3 encoded: each word starts in the MP3 where its time says."""
    engine = FakeEngine(FakeOptions(words=True))
    texts = ["قال الوزير إن الاجتماع", "انتهى اليوم بعد ساعتين من الحديث"]
    clips = []
    for text in texts:
        clip = engine.synthesize(text)
        if clip_rate != 16000 or limit:
            segment = audio.decode(clip).set_frame_rate(clip_rate)
            samples = np.frombuffer(segment.raw_data, dtype="<i2").copy()
            if limit:
                samples[samples.size // 3] = 32000  # one peak the limiter must catch
            segment = segment._spawn(samples.tobytes())
            out = io.BytesIO()
            segment.export(out, format="wav")
            clip = Clip(out.getvalue(), "wav", clip.words)
        clips.append((clip, 700))
    mp3 = tmp_path / "episode.mp3"
    with audio.assembled(clips, folder=tmp_path) as joined:
        filters = audio.loudness_filters(joined, joined.loudness, audio.loudness_target(1))
        assert any("alimiter" in f for f in filters) == limit
        audio.export_mp3(
            joined, mp3, bitrate="64k", sample_rate=44100, loudness=audio.loudness_target(1)
        )
        script = Script(tuple(Utterance(t, t, 700, 0) for t in texts), ("t",))
        cues = sidecars.cues_for(script, joined.starts, joined.ends, joined.words)
    decoded = subprocess.run(
        [audio.ffmpeg_path(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    heard = onsets(np.frombuffer(decoded, dtype="<i2").astype(float), 44100)
    starts = [w.start for cue in cues for w in cue.words]
    assert len(heard) == len(starts) == sum(len(t.split()) for t in texts)
    assert max(abs(h - s) for h, s in zip(heard, starts, strict=True)) <= 0.05


@pytest.mark.slow
def test_a_build_with_word_timings_publishes_a_json_transcript(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "podcast",
        [CORPUS / "saudinewsnet" / "04-alweeam.txt"],
        options={"fake": {"words": True}},
    )
    settings = load_settings(project)
    assert build(settings, jobs=1).ok
    state = BuildState.load(settings.work_dir / "state.sqlite")
    (record,) = state.episodes.values()
    assert record.has_words
    with Details(settings.work_dir / "state.sqlite") as details:
        cues = details.cues(record)
    stem = record.file.removesuffix(".mp3")
    transcript = json.loads((settings.output_dir / f"{stem}.transcript.json").read_bytes())
    assert [s["body"] for s in transcript["segments"]] == [w for c in cues for w in c.text.split()]
    assert all(c.start - 0.001 <= w.start <= w.end <= c.end + 0.001 for c in cues for w in c.words)
    xml = (settings.output_dir / "feed.xml").read_bytes()
    assert b'type="application/json"' in xml and f"{stem}.transcript.json".encode() in xml
    feed = podcastparser.parse(settings.feed_url, io.BytesIO(xml))
    assert feed["episodes"]
    # The page marks each word with its time, for the player to light it.
    page = (settings.output_dir / "episodes" / f"{record.slug}.html").read_text("utf-8")
    first = cues[0].words[0]
    assert f'<span class="word" data-start="{first.start:.3f}" data-end="{first.end:.3f}">' in page
    assert page.count('class="word"') == len(transcript["segments"])
    # nashra check reads it: whole, and within the audio; broken, it says so.
    assert [
        f for f in check_project(settings, now=datetime.now(UTC)) if f.rule == "transcript"
    ] == []
    path = settings.output_dir / f"{stem}.transcript.json"
    kept = path.read_bytes()
    path.write_text(
        '{"version": "1.0.0", "segments": [{"startTime": 0, "endTime": 9999, "body": "x"}]}'
    )
    assert [
        f.message for f in check_project(settings, now=datetime.now(UTC)) if f.rule == "transcript"
    ] == [f"{path.name} runs to 9999.0 s, past the audio's {record.duration:.1f} s"]
    path.write_bytes(kept)
    # Rebuilt with nothing changed: nothing voiced, the same transcript.
    before = (settings.output_dir / f"{stem}.transcript.json").read_bytes()
    again = build(settings, jobs=1)
    assert again.ok and not again.built
    assert (settings.output_dir / f"{stem}.transcript.json").read_bytes() == before


@pytest.mark.slow
def test_without_word_timings_there_is_no_json_transcript(small_project: Path) -> None:
    settings = load_settings(small_project)
    assert build(settings, jobs=1).ok
    assert not list(settings.output_dir.rglob("*.transcript.json"))
    assert b'type="application/json"' not in (settings.output_dir / "feed.xml").read_bytes()
