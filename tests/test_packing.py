"""Packing scripts into full requests for Google: fewer requests, the same speech."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from gtts import gTTS

from nashra.config.settings import Audio
from nashra.core.model import Article, Script, Section
from nashra.engines.gtts.packing import pack_requests
from nashra.readers import read_article
from nashra.render import sidecars
from nashra.stages.script import make_script
from nashra.text.normalize import normalize

CORPUS = Path(__file__).parent / "data" / "corpus"
SEED = CORPUS / "seed" / "whatsapp-privacy.txt"
ARTICLES = [*sorted((CORPUS / "saudinewsnet").glob("*.txt")), SEED]
AUDIO = Audio(sentence_pause_ms=111, paragraph_pause_ms=888, section_pause_ms=1333)


def article(*sections: Section, title: str = "العنوان") -> Article:
    return Article(source=Path("a.txt"), slug="a", title=title, sections=sections)


def words(texts: list[str]) -> list[str]:
    """The words of `texts`, with the full stops packing adds after titles ignored."""
    return [w.rstrip(".") for text in texts for w in text.split()]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_packing_says_the_same_words_in_fewer_requests(path: Path) -> None:
    script = make_script(read_article(path), AUDIO)
    packed = pack_requests(script, 100)
    assert all(0 < len(u.speech) <= 100 for u in packed.utterances)
    assert words([u.speech for u in packed.utterances]) == words(
        [u.speech for u in script.utterances]
    )
    assert " ".join(u.written for u in packed.utterances).split() == (
        " ".join(u.written for u in script.utterances).split()
    )
    assert packed.chapters == script.chapters
    # Never worse than a request per sentence, never better than full requests.
    per_sentence = pack_requests(script, 100, across=False)
    assert all(0 < len(u.speech) <= 100 for u in per_sentence.utterances)
    assert words([u.speech for u in per_sentence.utterances]) == words(
        [u.speech for u in script.utterances]
    )
    assert math.ceil(script.characters / 100) <= len(packed.utterances)
    assert len(packed.utterances) < len(per_sentence.utterances)


def test_the_corpus_needs_about_six_tenths_of_plain_gtts_requests() -> None:
    """The figure behind the benchmark's 4a, without a server: requests, not time.

    Plain gTTS is given the same spoken text (numbers said in words make it 4 %
    longer than the written one), a paragraph a line, and splits it its own way.
    """
    plain = packed = full = 0
    for path in ARTICLES:
        script = make_script(read_article(path), Audio())
        spoken = "\n".join(u.speech for u in script.utterances)
        plain += len(gTTS(spoken, lang="ar")._prepare_requests())
        packed += len({u.speech for u in pack_requests(script, 100).utterances})
        full += math.ceil(len(spoken) / 100)
    # Every request full to the last character would be 0.58; chapters start on
    # their own request and numbers are never cut, which costs the rest.
    assert full < packed <= 0.61 * plain, (packed, plain, full)


def test_chapters_start_on_their_own_request() -> None:
    script = make_script(read_article(CORPUS / "seed" / "whatsapp-privacy.txt"), AUDIO)
    packed = pack_requests(script, 100)
    firsts = [
        u
        for i, u in enumerate(packed.utterances)
        if i == 0 or packed.utterances[i - 1].chapter != u.chapter
    ]
    assert [u.chapter for u in firsts] == list(range(len(script.chapters)))
    # The chapter's title is the first thing its first request says.
    for utterance in firsts[1:]:
        assert utterance.speech.startswith(normalize(script.chapters[utterance.chapter]))
    starts = [float(i) for i in range(len(packed.utterances))]
    chapters = sidecars.chapters_for(packed, starts)
    assert [c.title for c in chapters] == list(script.chapters)


def test_pauses_follow_the_request_that_ends_where_they_were() -> None:
    sentence = "هذه جملة قصيرة في فقرة."
    script = make_script(
        article(
            Section(None, (" ".join([sentence] * 3), " ".join([sentence] * 3))),
            Section("عنوان ثان", (" ".join([sentence] * 6),)),
        ),
        AUDIO,
    )
    packed = pack_requests(script, 100)
    # Both paragraphs (three sentences each) fit one request with the title: the
    # packer cuts at the paragraph end rather than inside the first paragraph.
    speeches = [u.speech for u in packed.utterances]
    assert speeches[0] == "العنوان. " + " ".join([sentence] * 3)
    assert packed.utterances[0].pause_after_ms == 888
    assert packed.utterances[1].pause_after_ms == 1333
    assert packed.utterances[-1].pause_after_ms == 0
    assert all(u.pause_after_ms in (0, 111, 888, 1333) for u in packed.utterances)


def test_a_title_without_punctuation_gets_a_full_stop_inside_a_request() -> None:
    script = make_script(article(Section(None, ("نص قصير.",)), title="عنوان بلا نقطة"), AUDIO)
    (only,) = pack_requests(script, 100).utterances
    assert only.speech == "عنوان بلا نقطة. نص قصير."
    assert only.written == "عنوان بلا نقطة نص قصير."


def test_a_word_read_out_differently_is_never_cut() -> None:
    text = "ارتفع السعر 90% في عام 1990 بعد أن كان 45% في 1989 و12 ريالا في 1978 تقريبا"
    script = make_script(article(Section(None, (text,))), AUDIO, intro=False)
    packed = pack_requests(script, 40)
    assert len(packed.utterances) > 2
    for utterance in packed.utterances:
        assert len(utterance.speech) <= 40
        # Each request's written text reads as the words the request says: no
        # number is cut from its words. (Alone, a number may read in another
        # case than in its sentence: ارتفع السعر تسعين, but تسعون at a start.)
        assert len(normalize(utterance.written).split()) == len(utterance.speech.split())


def test_requests_voiced_before_are_kept_after_an_edit() -> None:
    path = CORPUS / "saudinewsnet" / "04-alweeam.txt"
    source = read_article(path)
    before = pack_requests(make_script(source, AUDIO), 100)
    voiced = {u.speech for u in before.utterances}

    old = "وستتخذ الإجراءات الأمنية اللازمة من قبل التحالف."
    new = "وستتخذ الإجراءات اللازمة."
    sections = tuple(
        Section(s.title, tuple(p.replace(old, new) for p in s.paragraphs)) for s in source.sections
    )
    assert sections != source.sections
    edited = make_script(article(*sections, title=source.title), AUDIO)

    cold = pack_requests(edited, 100)
    warm = pack_requests(edited, 100, known=voiced.__contains__)
    asked = [u.speech for u in warm.utterances if u.speech not in voiced]
    assert asked and all("الإجراءات اللازمة" in text for text in asked)
    assert len(asked) <= 2
    # Without the cache the edit would reflow the rest of the section.
    assert len([u for u in cold.utterances if u.speech not in voiced]) > len(asked)
    assert words([u.speech for u in warm.utterances]) == words([u.speech for u in cold.utterances])


def test_an_empty_script_packs_to_nothing() -> None:
    assert pack_requests(Script((), ()), 100) == Script((), ())
