"""The Arabic character classes, and what each settles, on real text."""

from __future__ import annotations

import pytest

from nashra.readers.bylines import is_source, parse_byline
from nashra.text.letters import (
    TATWEEL,
    WORD_RE,
    fold_alefs,
    is_letter,
    strip_harakat,
    without_marks,
)
from nashra.text.lexicon import Lexicon, match_key, vowel_news_words
from nashra.text.normalize import years


def test_the_alif_wasla_is_a_letter_of_the_word_it_starts() -> None:
    # The basmala as Uthmani-script sources write it (ٱ, U+0671, for the connecting alif):
    # the word is ٱلله whole, looked up as الله, and read with the news lexicon's dagger alif.
    assert WORD_RE.findall("بسم ٱلله ٱلرحمن ٱلرحيم") == ["بسم", "ٱلله", "ٱلرحمن", "ٱلرحيم"]
    assert match_key("ٱلله") == "الله"
    assert vowel_news_words("بسم ٱلله") == "بسم اللّٰه"


def test_the_dagger_alif_is_a_mark() -> None:
    # حَتَّىٰ and عَلَىٰ, as vowelled text in the SaudiNewsNet archive writes them.
    assert strip_harakat("حَتَّىٰ عَلَىٰ") == "حتى على"
    assert vowel_news_words("حَتَّىٰ") == "حَتَّىٰ"  # vowelled by its writer: left alone


@pytest.mark.parametrize(
    ("stretched", "plain"),
    [("وزيـر", "وزير"), ("ريـال", "ريال"), ("الـمُـنْـشأة", "المنشأة")],
)
def test_the_tatweel_is_part_of_a_word_and_ignored_when_words_are_compared(
    stretched: str, plain: str
) -> None:
    # Stretched words from the SaudiNewsNet archive.
    assert WORD_RE.fullmatch(stretched)
    assert without_marks(stretched) == plain
    assert Lexicon({"وزير": "وَزِير"}).apply("وزيـر المالية") == "وَزِير المالية"


def test_a_word_stretched_by_the_tatweel_is_still_one_word() -> None:
    # هـذا (this) after a year is no Hijri هـ: the kashida does not end the word.
    assert years("في عام 1436 هـذا") == "في عام 1436 هـذا"
    assert years("في عام 1436 هـ") == "في عام 1436 هجرية"
    # ـ standing alone is a dash (حمزة بوفهيد ـ الأحساء): the byline splits there.
    assert is_letter(TATWEEL)
    assert parse_byline("حمزة بوفهيد ـ الأحساء") is not None


@pytest.mark.parametrize(
    ("written", "words", "names"),
    [
        ("أكثر", "اكثر", "اكثر"),  # the hamza scraped text leaves out (اكثر)
        ("إبراهيم", "ابراهيم", "ابراهيم"),
        ("ٱلله", "الله", "الله"),  # the connecting alif of vowelled quotations
        ("الآمن", "الآمن", "الامن"),  # "safe" is no الأمن "security": a word keeps آ
        ("إسلام آباد", "اسلام آباد", "اسلام اباد"),  # a name is often written اسلام اباد
    ],
)
def test_one_fold_of_alefs_for_words_and_names(written: str, words: str, names: str) -> None:
    assert fold_alefs(written) == words
    assert fold_alefs(written, madda=True) == names


def test_bylines_compare_names_with_the_madda_folded() -> None:
    # إسلام آباد is in the places list; scraped bylines write it without hamza or madda.
    assert parse_byline("اسلام اباد - رويترز") == parse_byline("إسلام آباد - رويترز")
    assert is_source("ار تي") and is_source("آر تي")  # RT, a channel in the sources list
