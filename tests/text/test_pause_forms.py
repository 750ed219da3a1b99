"""Pause forms (الوقف): written from the grammar of pausing, checked by espeak-ng's phonemes."""

from __future__ import annotations

import pytest

from nashra.engines.espeak.pause_forms import pause_form, pause_forms

SHADDA = "\u0651"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # A final short vowel or tanween of damma/kasra is dropped.
        ("كِتَابٌ", "كِتَابْ"),
        ("الْكِتَابِ", "الْكِتَابْ"),
        ("كَانَ", "كَانْ"),
        ("يَكْتُبُ", "يَكْتُبْ"),
        ("هُوَ", "هُوْ"),
        ("عَنْهُ", "عَنْهْ"),
        ("مُسْتَمِر" + SHADDA + "ٌ", "مُسْتَمِر" + SHADDA + "ْ"),  # the shadda stays
        # ة is read h, whatever it carried.
        ("الْجَدِيدَةِ", "الْجَدِيدَهْ"),
        ("سَنَةً", "سَنَهْ"),
        ("مَدِينَةٌ", "مَدِينَهْ"),
        ("الْمَدِينَة", "الْمَدِينَهْ"),
        # Tanween of fatha becomes a long ā.
        ("عَامًا", "عَامَا"),
        ("عَاماً", "عَامَا"),  # written on the alif
        ("دَعْمًاً", "دَعْمَا"),  # the writer's and the diacritizer's
        ("سَمَاءً", "سَمَاءَا"),  # no alif written after the hamza: the ā is said
        ("مُسْتَشْفًى", "مُسْتَشْفَى"),
        # Long vowels, sukun and unvowelled endings stay.
        ("فِي", "فِي"),
        ("عَلَى", "عَلَى"),
        ("قَالُوا", "قَالُوا"),
        ("مِنْ", "مِنْ"),
        # A bare last consonant gets its sukun (espeak-ng would add a vowel: ʔuːbika).
        ("أُوبِك", "أُوبِكْ"),
        ("واتساب", "واتسابْ"),
        ("فِيهِ", "فِيهْ"),
    ],
)
def test_pause_form(word: str, expected: str) -> None:
    assert pause_form(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قَالَ الْوَزِيرُ", "قَالَ الْوَزِيرْ"),
        (
            "قَالَ الْوَزِيرُ، إِنَّ الْمَشْرُوعَ جَاهِزٌ.",
            "قَالَ الْوَزِيرْ، إِنَّ الْمَشْرُوعَ جَاهِزْ.",
        ),
        ("هَلْ وَصَلَ الْوَفْدُ؟ نَعَمْ", "هَلْ وَصَلَ الْوَفْدْ؟ نَعَمْ"),
        ("أَضَافَ: الْمَدِينَةُ", "أَضَافْ: الْمَدِينَهْ"),
        ("فِي «الْمَدِينَةِ»", "فِي «الْمَدِينَهْ»"),  # closing quote before the pause
        ("بَلَغَ 3.5 مِلْيُونًا", "بَلَغَ 3.5 مِلْيُونَا"),  # a decimal point is no pause
        ("تَطْبِيقُ WhatsApp", "تَطْبِيقُ WhatsApp"),  # a Latin word is paused on
        ("مُنَظَّمَةُ أُوبِك.", "مُنَظَّمَةُ أُوبِكْ."),
        ("", ""),
    ],
)
def test_pause_forms(text: str, expected: str) -> None:
    assert pause_forms(text) == expected


def test_pause_forms_are_stable() -> None:
    once = pause_forms("قَالَ الْوَزِيرُ، إِنَّ الْمَدِينَةَ جَدِيدَةٌ عَامًا.")
    assert pause_forms(once) == once
