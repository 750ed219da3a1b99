"""The espeak engine against the real libespeak-ng: no mocks."""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import re
import shutil
import wave
from array import array
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from nashra.config.settings import Audio
from nashra.core.errors import EngineError
from nashra.core.model import Clip, Script, Utterance
from nashra.engines import create_engine
from nashra.engines.espeak import engine as espeak_module
from nashra.engines.espeak.backend import Backend, find_backend
from nashra.engines.espeak.engine import EspeakEngine, EspeakOptions
from nashra.readers import read_article
from nashra.stages.script import make_script
from nashra.text import diacritize

ARTICLE = Path(__file__).parents[1] / "data" / "corpus" / "seed" / "whatsapp-privacy.txt"
SENTENCE = "بعد الجدل الكبير الذي تسبب فيه التحديث الجديد لتطبيق واتساب"
CLAUSES = [
    "ألمح البعض إلى إمكانية تسريب المحادثات التي تتم بين المستخدمين",
    "ما دفع البعض للتوجه إلى منصات أخرى",
    "الأمر الذي كبّد الشركة خسائر فادحة.",
    "إدارة واتساب طمأنت المستخدمين",
]


def _engine(**options: object) -> EspeakEngine:
    engine = create_engine("espeak", EspeakOptions(**options))  # type: ignore[arg-type]
    assert isinstance(engine, EspeakEngine)
    return engine


def _read(clip: Clip) -> tuple[wave._wave_params, array[int]]:
    with wave.open(io.BytesIO(clip.data)) as reader:
        params = reader.getparams()
        samples = array("h", reader.readframes(params.nframes))
    return params, samples


def _seconds(clip: Clip) -> float:
    params, _ = _read(clip)
    return params.nframes / params.framerate


def _rms(samples: array[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def test_corpus_text_is_really_from_the_corpus() -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    assert SENTENCE in article
    assert all(clause in article for clause in CLAUSES)


def test_arabic_sentence_becomes_speech_in_a_mono_16_bit_wav() -> None:
    clip = _engine().synthesize(SENTENCE)
    assert clip.format == "wav"
    params, samples = _read(clip)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 22050)
    assert params.nframes / params.framerate > 0.5
    # Speech from espeak-ng sits around 3000-4000 RMS; silence is 0.
    assert _rms(samples) > 500


def test_longer_text_gives_longer_audio() -> None:
    engine = _engine()
    short = _seconds(engine.synthesize(CLAUSES[1]))
    long = _seconds(engine.synthesize(f"{CLAUSES[0]}، {CLAUSES[1]}"))
    assert long > short * 1.5


def test_rate_changes_duration() -> None:
    slow = _seconds(_engine(rate=100).synthesize(SENTENCE))
    fast = _seconds(_engine(rate=300).synthesize(SENTENCE))
    assert slow > fast * 2


def test_engines_with_different_settings_share_the_library_without_leaking_them() -> None:
    slow, fast = _engine(rate=100), _engine(rate=300)
    first = slow.synthesize(SENTENCE)
    fast.synthesize(SENTENCE)
    assert slow.synthesize(SENTENCE).data == first.data


def test_voice_id_names_voice_rate_version_backend_and_diacritizer() -> None:
    base = _engine().voice_id()
    assert re.fullmatch(
        r"espeak-ng \d+\.\d+\S* (wheel|system|program) voice=ar rate=260"
        r" diacritizer=text2tashkeel \S+ rawi-v3-int8 news-lexicon [0-9a-f]{12}"
        r" spelling=\d+ requests=\d+",
        base,
    )
    assert _engine(rate=151).voice_id() != base
    assert _engine(voice="ar+m3").voice_id() != base
    assert _engine(pitch=60).voice_id() != base


@pytest.mark.parametrize("voice", ["ar", "ar+whisper"])
def test_the_same_text_gives_the_same_clip_whatever_was_said_before(voice: str) -> None:
    # libespeak-ng keeps its pitch flutter, wave phase, gain and noise generator from one
    # utterance to the next; a clip must depend on its text alone ("ar+whisper" is all
    # noise, so it shows the generator's seed).
    engine = _engine(voice=voice)
    first = engine.synthesize(SENTENCE)
    for clause in CLAUSES:
        engine.synthesize(clause)
    _engine(voice=voice, rate=150).synthesize(CLAUSES[0])
    assert engine.synthesize(SENTENCE).data == first.data
    assert engine.synthesize(SENTENCE).data == first.data


def test_voice_variant_changes_the_sound() -> None:
    plain = _engine().synthesize(SENTENCE)
    variant = _engine(voice="ar+f3").synthesize(SENTENCE)
    assert plain != variant


def test_unknown_voice_is_reported_by_availability_and_synthesize() -> None:
    engine = _engine(voice="no-such-voice")
    available = engine.availability()
    assert not available.ok
    assert "no voice 'no-such-voice'" in available.reason
    with pytest.raises(EngineError, match="no voice 'no-such-voice'"):
        engine.synthesize(SENTENCE)
    # The failed selection must not break the library for everyone else.
    assert _rms(_read(_engine().synthesize(SENTENCE))[1]) > 500


def test_availability_says_what_it_will_use() -> None:
    available = _engine().availability()
    assert available.ok
    assert "espeak-ng" in available.reason


@pytest.mark.parametrize("text", ["", "   ", "«»", "،"])
def test_nothing_to_pronounce_is_an_error_not_a_silent_clip(text: str) -> None:
    with pytest.raises(EngineError, match="no speech"):
        _engine().synthesize(text)


def test_text_longer_than_max_chars_is_refused() -> None:
    engine = _engine()
    with pytest.raises(EngineError, match="at most 3000"):
        engine.synthesize("ب" * (engine.max_chars + 1))


def test_capabilities() -> None:
    assert EspeakEngine.name == "espeak"
    assert EspeakEngine.needs_network is False
    assert EspeakEngine.parallelism == "processes"
    # A request of 300 characters of speech, vowelled, or escaped as SSML.
    assert EspeakEngine.max_chars == 3000


def test_wheel_backend_is_found_first_when_installed() -> None:
    pytest.importorskip("espeakng_loader")
    backend = find_backend()
    assert isinstance(backend, Backend)
    assert backend.kind == "wheel"
    assert backend.data_path is not None
    assert Path(backend.data_path, "ar_dict").is_file()


def _synthesize_in_worker(engine: EspeakEngine, text: str) -> tuple[int, bytes]:
    return os.getpid(), engine.synthesize(text).data


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_works_in_a_process_pool_with_the_same_clips(method: str) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method on this platform")
    engine = _engine()
    expected = [engine.synthesize(text).data for text in CLAUSES]
    context = multiprocessing.get_context(method)
    # Each worker says a different share of the clauses, in another order than here.
    texts = CLAUSES[::-1]
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        got = list(pool.map(_synthesize_in_worker, [engine] * len(texts), texts))
    assert os.getpid() not in {pid for pid, _ in got}
    assert [data for _, data in got] == expected[::-1]


def _by_program(text: str, rate: int) -> tuple[str, bytes, bool]:
    """In a worker told `NASHRA_ESPEAK=program`: the voice id, the clip, availability."""
    engine = _engine(rate=rate)
    return engine.voice_id(), engine.synthesize(text).data, engine.availability().ok


def _error_by_program(text: str) -> str:
    try:
        _engine().synthesize(text)
    except EngineError as exc:
        return str(exc)
    return ""


@pytest.fixture
def program_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[ProcessPoolExecutor]:
    """A fresh process that may use only the espeak-ng program, as a machine without
    the wheel or the library would (`NASHRA_ESPEAK=program`)."""
    if shutil.which("espeak-ng") is None:
        reason = "no espeak-ng program on PATH (apt-get install espeak-ng) for the fallback"
        # `.ci/run` installs it and sets this: CI must never pass without these tests.
        if os.environ.get("NASHRA_REQUIRE_ESPEAK_PROGRAM"):
            pytest.fail(f"NASHRA_REQUIRE_ESPEAK_PROGRAM is set but {reason}", pytrace=False)
        pytest.skip(reason)
    monkeypatch.setenv("NASHRA_ESPEAK", "program")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        yield pool


def test_program_fallback_speaks_arabic(program_worker: ProcessPoolExecutor) -> None:
    voice_id, data, available = program_worker.submit(_by_program, SENTENCE, 260).result()
    params, samples = _read(Clip(data, "wav"))
    assert (params.nchannels, params.sampwidth) == (1, 2)
    assert params.nframes / params.framerate > 0.5
    assert _rms(samples) > 500
    assert " program voice=ar rate=260" in voice_id
    assert available


def test_program_fallback_rate_and_errors(program_worker: ProcessPoolExecutor) -> None:
    slow = _seconds(Clip(program_worker.submit(_by_program, SENTENCE, 100).result()[1], "wav"))
    fast = _seconds(Clip(program_worker.submit(_by_program, SENTENCE, 300).result()[1], "wav"))
    assert slow > fast * 2
    assert "no speech" in program_worker.submit(_error_by_program, "«»").result()


def test_an_unknown_backend_choice_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NASHRA_ESPEAK", "library")
    problem = find_backend()
    assert isinstance(problem, str)
    assert "NASHRA_ESPEAK='library' is not one of wheel, system, program" in problem


def test_a_chosen_backend_that_is_missing_allows_no_other(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NASHRA_ESPEAK", "program")
    monkeypatch.setenv("PATH", str(tmp_path))
    problem = find_backend()
    assert problem == (
        "no espeak-ng program on PATH. NASHRA_ESPEAK=program allows no other. Install"
        " nashra's dependencies (pip install espeakng-loader) or espeak-ng itself"
        " (apt-get install espeak-ng)."
    )


def test_engine_is_given_diacritized_text() -> None:
    # Clips made before diacritization must not be reused: the voice id says it.
    prepared = _engine().prepare(SENTENCE)
    assert prepared != SENTENCE
    assert "\u064e" in prepared  # fatha
    assert _engine().prepare("2016") == "2016"


def test_engine_respells_and_pauses_what_it_is_given() -> None:
    # بالعاصمة: the connecting alif is written ٱ; العربية: the doubled glide written
    # out; the chunk's last word in its pause form (ة read h, no case vowel).
    prepared = _engine().prepare("اجتمع الوزراء بالعاصمة لمناقشة الخطة العربية")
    assert "\u0671" in prepared.split()[2]
    assert "\u064a\u0652\u064a" in prepared.split()[-1]
    assert prepared.endswith("\u0647\u0652")
    heard = espeak_module.phonemes(prepared)
    assert "b_i_l_ʕ" in heard
    assert heard.split()[-1].endswith("a_h")


def test_plan_diacritizes_a_sentence_whole_then_cuts_it() -> None:
    def said(*pauses: int) -> list[str]:
        texts = ["وينقلب هذا الدعم إلى ضرائب في حالة", "ارتفاع أسعار النفط العالمية"]
        utterances = tuple(
            Utterance(speech=text, written=text, pause_after_ms=pause, chapter=0)
            for text, pause in zip(texts, pauses, strict=True)
        )
        prepared = _engine().plan(Script(utterances, ("",)))
        return [u.speech for u in prepared.utterances]

    # No pause between the chunks: one sentence, so ارتفاع is read in the genitive
    # after في حالة (ʔirtifaːʕi, its connecting alif said at the chunk's start); each
    # chunk's last word is in pause form (حالة → حالَهْ).
    joined = said(0, 0)
    assert joined[0].endswith("\u0647\u0652")
    first_word = espeak_module.phonemes(joined[1]).split()[0]
    assert first_word.replace("ˈ", "").replace("ˌ", "") == "ʔ_i_r_t_i_f_aː_ʕ_i"
    # Each utterance is still its own text, as the script cut it.
    # (its connecting alif written as said after the pause: إرتفاع)
    assert [diacritize.strip_harakat(t) for t in said(350, 0)][1].startswith("إرتفاع")


def test_phonemes_show_the_vowels_diacritization_restores() -> None:
    bare = espeak_module.phonemes("يقتصر")
    marked = espeak_module.phonemes(_engine().prepare("لا يقتصر على"))
    assert bare == "j_q_t_s̪_r"
    assert "j_a_q_t_ˈa_s̪_i" in marked  # yaqtaṣiru


@pytest.mark.slow
def test_default_rate_reads_an_article_at_news_pace() -> None:
    """News is read at 130-150 words a minute; espeak-ng's nominal 150 gave about 80.

    Counted as a build voices it: every chunk's clip plus the pauses between.
    """
    script = make_script(read_article(ARTICLE), Audio())
    engine = _engine()
    given = engine.plan(script)
    seconds = sum(
        _seconds(engine.synthesize(u.speech)) + u.pause_after_ms / 1000 for u in given.utterances
    )
    words = sum(
        1 for u in script.utterances for token in u.speech.split() if any(map(str.isalnum, token))
    )
    assert 130 <= words / (seconds / 60) <= 150
