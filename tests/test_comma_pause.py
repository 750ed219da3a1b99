"""The comma pause: a sentence is voiced in clauses cut at its commas (corpus sentences)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.config.settings import Audio
from nashra.core.model import Article, Section
from nashra.stages.script import make_script
from nashra.text.sentences import split_clauses

# 08-almadina, 02-alyaum (a comma written detached) and a number with a thousands comma.
CLAUSES = [
    (
        "من جهته، أكد سفير خادم الحرمين الشريفين لدى الأردن الدكتور سامي بن عبدالله الصالح.",
        ["من جهته،", "أكد سفير خادم الحرمين الشريفين لدى الأردن الدكتور سامي بن عبدالله الصالح."],
    ),
    (
        "وتراجع سعر النفط ، وارتفعت أسعار الذهب",
        ["وتراجع سعر النفط ،", "وارتفعت أسعار الذهب"],
    ),
    ("بلغت الأرباح 1,250 مليون ريال", ["بلغت الأرباح 1,250 مليون ريال"]),
    ("أولا, ثانيا", ["أولا,", "ثانيا"]),
    ("", []),
]
AUDIO = Audio(comma_pause_ms=222, sentence_pause_ms=333, paragraph_pause_ms=444)


@pytest.mark.parametrize(("sentence", "expected"), CLAUSES)
def test_split_clauses(sentence: str, expected: list[str]) -> None:
    assert split_clauses(sentence) == expected


def paragraph_script(paragraph: str, audio: Audio) -> list[tuple[str, int]]:
    article = Article(Path("a.txt"), "a", "", (Section(None, (paragraph,)),))
    script = make_script(article, audio, intro=False)
    return [(u.written, u.pause_after_ms) for u in script.utterances]


def test_each_comma_is_followed_by_the_comma_pause() -> None:
    # 09-aawsat: two commas in a sentence, then a second sentence.
    paragraph = "وقال المتحدث، في بيان، إن الاجتماع انتهى. وغادر الوفد."
    assert paragraph_script(paragraph, AUDIO) == [
        ("وقال المتحدث،", 222),
        ("في بيان،", 222),
        ("إن الاجتماع انتهى.", 333),
        ("وغادر الوفد.", 0),
    ]


def test_no_comma_pause_keeps_the_sentence_whole() -> None:
    paragraph = "وقال المتحدث، في بيان، إن الاجتماع انتهى. وغادر الوفد."
    audio = Audio(comma_pause_ms=0, sentence_pause_ms=333)
    assert paragraph_script(paragraph, audio) == [
        ("وقال المتحدث، في بيان، إن الاجتماع انتهى.", 333),
        ("وغادر الوفد.", 0),
    ]


def test_a_comma_that_ends_a_sentence_gets_the_sentence_pause() -> None:
    assert paragraph_script("أولا، ثانيا،", AUDIO) == [("أولا،", 222), ("ثانيا،", 0)]
