"""Proper names said without tanween: foreign and family names in pausal form, diptotes.

The expected forms are the grammar's: a foreign proper name, a city or a country, a
name ending in ة and a name on فَعْلان or أَفْعَل is a diptote (ممنوع من الصرف), never
nunated; its genitive is a fatha. Foreign, brand and family names are said in their
pausal form. Inputs are vowelled as the diacritizer left them in the SaudiNewsNet
archive (shadda before the vowel), whose sentences the examples come from.
"""

from __future__ import annotations

import pytest

from nashra.engines.espeak import spelling
from nashra.engines.espeak.engine import phonemes
from nashra.text.diacritize import diacritize, shadda_first
from nashra.text.names import load_names, names_without_tanween


@pytest.mark.parametrize(
    ("vowelled", "said"),
    [
        # Foreign and brand names: no case ending; a long vowel stays long.
        ("شَرِكَةُ هُوَاوِيٍّ", "شَرِكَةُ هُوَاوِي"),
        ("مَزَادِ مُوبَايْلِيٍّ", "مَزَادِ مُوبَايْلِي"),
        ("جَوْلَةٍ كَنْتَاكِيٍّ", "جَوْلَةٍ كَنْتَاكِي"),
        ("عَلَى جِنِيفٍ", "عَلَى جِنِيفْ"),
        ("وَسَابِكٌ", "وَسَابِكْ"),  # with و before it
        ("لِجُوجِلٍ", "لِجُوجِلْ"),
        ("فَاِبْيَانٌ مُسْتَمِرٌّ", "فَاِبْيَانْ مُسْتَمِرٌّ"),
        ("شَرِكَةُ نَسْتَلُّهٍ", "شَرِكَةُ نَسْتَلُّهْ"),
        ("فِي أَمْرِيكًا", "فِي أَمْرِيكَا"),  # the ā of a final ا, without its n
        ("إِلَى رُوسِيَا", "إِلَى رُوسِيَا"),
        ("مُهَنَّدٍ عَسِيرِيٍّ", "مُهَنَّدٍ عَسِيرِي"),  # a family name
        # Diptotes: the tanween goes, the genitive is a fatha.
        ("بِتَبُوكٍ وَضُبَاءٍ", "بِتَبُوكَ وَضُبَاءَ"),
        ("فِي جَدَّةٍ", "فِي جَدَّةَ"),
        ("مِنْطَقَتَيْ عَسِيرٍ وَجَازَانٍ", "مِنْطَقَتَيْ عَسِيرَ وَجَازَانَ"),
        ("بِإِيرَانٍ", "بِإِيرَانَ"),
        ("إِلَى عَدَنٍ", "إِلَى عَدَنَ"),
        ("دُبَيٍّ", "دُبَيَّ"),
        ("مَعَ أَحْمَدٍ", "مَعَ أَحْمَدَ"),
        ("قَالَ عُثْمَانٌ", "قَالَ عُثْمَانُ"),
        ("رَأَيْتُ سَلْمَانً", "رَأَيْتُ سَلْمَانَ"),
        ("بُرَيْدَةٌ", "بُرَيْدَةُ"),
        ("أَحْمَدُ", "أَحْمَدُ"),  # a diptote's own vowels stay
        ("مُصْطَفًى", "مُصْطَفًى"),  # not listed: left
        ("بِجُدَّةِ", "بِجُدَّةَ"),  # a name is never in construct: its genitive is a fatha
        # Not names: left as they are.
        ("خَالِدٌ", "خَالِدٌ"),  # a triptote name takes its tanween
        ("الْبَيْتِ عَرَبِيٌّ", "الْبَيْتِ عَرَبِيٌّ"),
        ("بَابٍ", "بَابٍ"),
        ("الْأَحْمَدِ", "الْأَحْمَدِ"),  # with the article it is another word
    ],
)
def test_names_are_never_nunated(vowelled: str, said: str) -> None:
    assert names_without_tanween(shadda_first(vowelled)) == shadda_first(said)


def test_the_lists_hold_no_word_twice() -> None:
    names = load_names()
    assert not names.pausal & names.diptotes
    assert len(names.pausal) > 150 and len(names.diptotes) > 100


def ipa(text: str) -> str:
    drop = {ord(char): None for char in "_ˈˌ."}
    return " ".join(word.translate(drop) for word in phonemes(text).split())


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        # Sentences of the archive the diacritizer nunated the names of
        # (bitabuːkain, biʔiːraːnin, muːbaːjliːjun); each name as grammar says it, in
        # espeak-ng's notation.
        (
            "ضبط 51 مخالفة سياحية بتبوك وضباء والوجه",
            ["bitabuːka", "wadˤubaːʔa"],
        ),
        ("استقبل خادم الحرمين الشريفين في قصر السلام بجدة أمس", ["bidʒudːata"]),
        ("لا يمكن الوثوق بإيران بعد أن", ["biʔiːraːna"]),
        ("وصل وفد خليجي إلى عدن لإيصال المساعدات", ["ʕadana"]),
        ("مهاجم موبايلي يصل اليوم", ["muːbaːjliː"]),
    ],
)
def test_espeak_says_names_without_tanween(sentence: str, said: list[str]) -> None:
    words = ipa(spelling.for_espeak(diacritize(sentence))).split()
    assert all(name in words for name in said), words
