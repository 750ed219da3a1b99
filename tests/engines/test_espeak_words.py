"""espeak-ng's word events: when each word of a request is said, checked against the
sound itself."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from nashra.config.settings import Audio
from nashra.core.model import Article, Script, Section, WordTime
from nashra.engines.espeak import events
from nashra.engines.espeak.engine import EspeakEngine
from nashra.render.word_times import written_words
from nashra.stages.script import make_script


def _samples(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data)) as reader:
        rate = reader.getframerate()
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    return pcm.astype(float), rate


def _onsets_after_silence(pcm: np.ndarray, rate: int, quiet: float = 0.2) -> list[float]:
    """Where sound starts after at least `quiet` seconds of silence (5 ms windows)."""
    window = rate // 200
    frames = pcm[: pcm.size // window * window].reshape(-1, window)
    level = np.sqrt((frames**2).mean(axis=1))
    loud = level > 0.02 * level.max()
    before = int(quiet * 200)
    found = [0.0] if loud[0] else []
    found += [
        n * window / rate
        for n in range(1, loud.size)
        if loud[n] and not loud[max(0, n - before) : n].any()
    ]
    return found


# Words that start with a sound, not with the silent closure of a stop (a hamza, a qaf):
# a closure is part of its word, but an energy envelope hears the word begin after it.
WORDS = ["ٱلْوَزِيرُ", "سَافَرَ", "ٱلْيَوْمَ", "مِنْ", "ٱلرِّيَاضِ", "لِلْمُشَارَكَةِ", "فِي", "ٱلِٱجْتِمَاعِ"]


def test_word_events_fall_where_the_words_are_heard() -> None:
    """Words apart (a 400 ms break between each): each word's reported start is where
    its sound starts after the silence, within 50 ms."""
    request = ' <break time="400ms"/> '.join(WORDS) + "."
    clip = EspeakEngine().synthesize(request)
    pcm, rate = _samples(clip.data)
    heard = _onsets_after_silence(pcm, rate)
    assert [w.text.rstrip(".") for w in clip.words] == WORDS
    assert len(heard) == len(WORDS)
    errors = [abs(h - w.start) for h, w in zip(heard, clip.words, strict=True)]
    assert max(errors) <= 0.05, errors
    # Each word ends where the next one's break starts, not after it.
    assert all(w.end <= n.start for w, n in zip(clip.words, clip.words[1:], strict=False))
    assert clip.words[-1].end <= len(pcm) / rate + 0.001


def test_a_sentence_of_the_script_is_timed_word_for_word() -> None:
    """Through the engine's own requests (diacritized, respelled, escaped, comma pauses
    inside): every written word gets a time, in order, inside the clip."""
    text = "قال الوزير، إن الاجتماع انتهى في 2024 بعد ساعتين & أكثر."
    article = Article(Path("a.txt"), "a", "t", (Section(None, (text,)),))
    script = make_script(article, Audio())
    engine = EspeakEngine()
    body = Script(tuple(u for u in script.utterances if u.section == 0), script.chapters)
    planned = engine.plan(body)
    (request,) = planned.utterances
    clip = engine.synthesize(request.speech)
    pcm, rate = _samples(clip.data)
    timed = written_words(request.written, clip.words)
    assert [w.text for w in timed] == request.written.split()
    starts = [w.start for w in timed]
    assert starts == sorted(starts) and starts[-1] < len(pcm) / rate
    assert len(set(starts)) == len(starts)  # each word its own time: none lost


@pytest.mark.parametrize(
    ("text", "marks", "expected"),
    [
        # A number read as several words: timed by its first, ended by the next token.
        (
            "فِي 2024 تَمَّ",
            [(1, 1, 0), (1, 5, 100), (1, 6, 300), (1, 10, 700), (5, 14, 900)],
            [WordTime(0.0, 0.1, "فِي"), WordTime(0.1, 0.7, "2024"), WordTime(0.7, 0.9, "تَمَّ")],
        ),
        # An escaped character is placed at its reference's last character; a tag is no word.
        (
            'نَعَمْ &#38; <break time="200ms"/> لَا',
            [(1, 1, 0), (1, 12, 400), (1, 36, 800)],
            [WordTime(0.0, 0.4, "نَعَمْ"), WordTime(0.4, 0.8, "&"), WordTime(0.8, 1.0, "لَا")],
        ),
        # Events out of the text (a position past its end, or before it) are left out.
        ("نَعَمْ", [(1, 0, 0), (1, 99, 10), (1, 1, 50)], [WordTime(0.05, 1.0, "نَعَمْ")]),
    ],
)
def test_word_events_time_the_request_tokens(
    text: str, marks: list[events.Mark], expected: list[WordTime]
) -> None:
    assert list(events.word_times(text, marks, 1.0)) == expected
