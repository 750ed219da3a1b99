"""A comma pause cuts a sentence into clauses for the listener, not for the diacritizer:
the clauses of one sentence are vowelled together, as the whole sentence was. espeak-ng
says them in one request, the comma pause inside as SSML."""

from __future__ import annotations

import io
import wave
from array import array
from pathlib import Path

import pytest

from nashra.config.settings import Audio
from nashra.core.model import Article, Clip, Script, Section, Utterance
from nashra.engines.espeak import clauses
from nashra.engines.espeak import engine as espeak_module
from nashra.engines.espeak.engine import EspeakEngine
from nashra.engines.espeak.spelling import prepare_script
from nashra.readers import read_article
from nashra.stages.script import make_script
from nashra.text.sentences import UTTERANCE_LIMIT
from tests.support import DATA


@pytest.mark.parametrize(
    "name", ["aawsat-quoted-dash-heading.txt", "aawsat-service-credit.txt", "README.md"]
)
def test_a_comma_pause_leaves_the_vowels_as_the_whole_sentence_gets_them(name: str) -> None:
    article = read_article(next(DATA.rglob(name)))
    whole = prepare_script(make_script(article, Audio(comma_pause_ms=0)))
    clauses = prepare_script(make_script(article, Audio(comma_pause_ms=200)))
    assert len(clauses.utterances) > len(whole.utterances)
    said = [" ".join(u.speech for u in script.utterances).split() for script in (whole, clauses)]
    assert said[1] == said[0]


# A sentence of 09-aawsat with two commas, then a second sentence.
PARAGRAPH = "وقال المتحدث، في بيان رسمي، إن الاجتماع انتهى. وغادر الوفد."
AUDIO = Audio(comma_pause_ms=222, sentence_pause_ms=333)


def _paragraph(text: str, audio: Audio) -> Script:
    article = Article(Path("a.txt"), "a", "", (Section(None, (text,)),))
    return make_script(article, audio, intro=False)


def _requests(script: Script) -> list[Utterance]:
    """espeak-ng's requests for `script`, its utterances taken as already prepared."""
    return list(clauses.joined(script, script).utterances)


def _silences(clip: Clip) -> list[int]:
    """The runs of exact silence inside `clip`, in milliseconds, longest first."""
    with wave.open(io.BytesIO(clip.data)) as reader:
        rate = reader.getframerate()
        samples = array("h", reader.readframes(reader.getnframes()))
    runs: list[int] = []
    run = 0
    for sample in samples:
        if sample == 0:
            run += 1
        elif run:
            runs.append(run * 1000 // rate)
            run = 0
    return sorted(runs, reverse=True)


def test_a_sentences_comma_clauses_are_one_request_with_the_comma_pause_inside() -> None:
    script = _paragraph(PARAGRAPH, AUDIO)
    assert len(script.utterances) == 4  # the script still cuts the sentence at its commas
    requests = EspeakEngine().plan(script).utterances
    assert len(requests) == 2
    first, second = requests
    assert first.speech.count('<break time="222ms"/>') == 2
    assert "،" in first.speech.split("<break")[0]  # each comma stays with its clause
    # The transcript shows the whole sentence, and the sentence pause follows it.
    assert first.written == "وقال المتحدث، في بيان رسمي، إن الاجتماع انتهى."
    assert (first.pause_after_ms, second.pause_after_ms) == (333, 0)
    assert "<" not in second.speech


@pytest.mark.parametrize("pause_ms", [200, 400])
def test_the_comma_pause_is_a_silence_of_that_length_inside_the_clip(pause_ms: int) -> None:
    engine = EspeakEngine()
    requests = engine.plan(_paragraph(PARAGRAPH, Audio(comma_pause_ms=pause_ms))).utterances
    assert len(requests) == 2
    longest = _silences(engine.synthesize(requests[0].speech))
    # One silence per comma, as long as the pause asked for (the voice's own pause at
    # a comma is under 100 ms), and no longer than a sentence's.
    assert all(pause_ms <= ms < pause_ms + 100 for ms in longest[:2]), longest[:3]
    assert longest[2] < 100


def test_a_request_depends_on_its_text_alone() -> None:
    engine = EspeakEngine()
    request = engine.plan(_paragraph(PARAGRAPH, Audio())).utterances[0].speech
    first = engine.synthesize(request).data
    engine.synthesize("وغادر الوفد")
    assert engine.synthesize(request).data == first


def test_clauses_are_joined_up_to_the_utterance_limit() -> None:
    clause = "وقال المتحدث في بيان صحفي صدر اليوم عن الوزارة،"  # 47 characters
    script = _paragraph(" ".join([clause] * 15) + " إن الاجتماع انتهى.", Audio())
    requests = _requests(script)
    assert len(requests) > 1
    sizes = [len(r.written) for r in requests]
    assert all(size <= UTTERANCE_LIMIT for size in sizes), sizes
    assert " ".join(r.written for r in requests) == " ".join(u.written for u in script.utterances)
    # Each request but the last ends at a comma, with the comma pause after it.
    assert [r.pause_after_ms for r in requests[:-1]] == [Audio().comma_pause_ms] * (
        len(requests) - 1
    )


def test_a_chapter_a_sentence_end_or_a_cut_without_a_pause_is_never_crossed() -> None:
    def utterance(text: str, pause: int, chapter: int = 0) -> Utterance:
        return Utterance(speech=text, written=text, pause_after_ms=pause, chapter=chapter)

    script = Script(
        (
            utterance("أولا،", 200),
            utterance("ثانيا.", 350),  # a sentence's end
            utterance("ثالثا،", 200),
            utterance("رابعا،", 200, chapter=1),  # another chapter
            utterance("خامسا،", 0),  # a long clause cut with no pause
            utterance("سادسا", 0),
        ),
        ("", "باب"),
    )
    assert [r.written for r in _requests(script)] == [
        "أولا، ثانيا.",
        "ثالثا،",
        "رابعا،",
        "خامسا،",
        "سادسا",
    ]


HOSTILE = 'شركة A&B <break time="3000ms"/> قالت: س < 5 و ص > 3 &amp; "نعم"'


def test_what_an_article_says_is_escaped_never_read_as_ssml() -> None:
    (request,) = _requests(_paragraph(HOSTILE, Audio()))
    assert "<" not in request.speech and ">" not in request.speech
    assert "A&#38;B" in request.speech and "&#38;amp;" in request.speech
    assert request.written == HOSTILE


def test_escaped_text_is_said_as_the_plain_text_is() -> None:
    engine = EspeakEngine()
    (request,) = engine.plan(_paragraph(HOSTILE, Audio())).utterances
    clip = engine.synthesize(request.speech)
    plain = _plain(engine, engine.prepare_script(_paragraph(HOSTILE, Audio())).utterances[0].speech)
    assert clip.data[44:] == plain
    assert _silences(clip)[0] < 1000  # the tag in the article made no pause of 3 s


def test_a_clause_of_escaped_characters_is_still_voiced() -> None:
    engine = EspeakEngine()
    (request,) = engine.plan(_paragraph("نص " + "&" * 280 + " نص", Audio())).utterances
    assert len(request.speech) > 1000  # each & written as five characters
    assert engine.synthesize(request.speech).data


def _plain(engine: EspeakEngine, text: str) -> bytes:
    """What the library says for `text` read as plain text, not SSML."""
    backend = espeak_module._require_backend()
    with espeak_module._LOCK:
        library = espeak_module._fresh_library(backend, engine.voice, engine.rate, engine.pitch)
        library.fresh = False
        pieces: list[bytes] = []
        library._pieces = pieces
        encoded = text.encode("utf-8") + b"\0"
        assert library._lib.espeak_Synth(encoded, len(encoded), 0, 1, 0, 1, None, None) == 0
        return b"".join(pieces)


def test_phonemes_read_text_plain_after_a_request_was_spoken() -> None:
    before = espeak_module.phonemes("A&B")
    EspeakEngine().synthesize("نص")
    assert espeak_module.phonemes("A&B") == before
