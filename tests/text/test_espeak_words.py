"""Words and endings espeak-ng misreads whatever their vowels, judged by its own phonemes.

Each expected reading is the grammar's (عَرَبِيٌّ is /ʕarabijjun/, هَذَا /haːðaː/, قَالُوا
/qaːluː/), in espeak-ng's notation: its `iː_j` for ijj (the i before a doubled j),
`ː` for a doubled consonant it writes as one phoneme, its diphthong `au`, `s̪` for ص. The texts
are vowelled as the diacritizer leaves them (shadda before the vowel, the sun letter
after the article without its shadda) and prepared as espeak-ng is given them.
"""

from __future__ import annotations

import pytest

from nashra.engines.espeak import spelling, words
from nashra.engines.espeak.engine import phonemes
from nashra.text.lexicon import compound_names

FATHA, DAMMA, KASRA, SUKUN, SHADDA = "\u064e", "\u064f", "\u0650", "\u0652", "\u0651"
DAMMATAN, KASRATAN, DAGGER = "\u064c", "\u064d", "\u0670"


def ipa(text: str) -> str:
    """espeak-ng's phonemes with stress marks and separators dropped: one string per word."""
    drop = {ord(char): None for char in "_ˈˌ."}
    return " ".join(word.translate(drop) for word in phonemes(text).split())


def said(vowelled: str) -> str:
    return ipa(spelling.for_espeak(vowelled))


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        # The nisba's doubled ي with the tanween: -ijjun, -ijjin, not -iːjiːn.
        ("مَوْقِفٌ عَرَبِي" + SHADDA + DAMMATAN + " مُهِمٌّ", "mauqifun ʕarabiːjun muhimm"),
        ("قَرَارٌ دَوْلِي" + SHADDA + KASRATAN + " جَدِيدٌ", "qaraːrun dauliːjin dʒadiːd"),
        ("دَعْمٌ مَالِي" + SHADDA + KASRATAN + " كَبِيرٌ", "daʕmun maːliːjin kabiːr"),
        # Its genitive -ijji, the last vowel short.
        ("فِي الْمَوْقِفِ الْعَرَبِي" + SHADDA + KASRA + " الْجَدِيدِ", "fi lmauqifi lʕarabiːji ldʒadiːd"),
        ("لِأَي" + SHADDA + KASRA + " سَبَبٍ", "liʔaiji sabab"),
        # -ائي keeps its long ī and no n.
        ("مَعَ أَصْدِقَائِي فِي الْبَيْتِ", "maʕa ʔas̪diqaːʔiː fi lbait"),
    ],
)
def test_ya_with_kasra(vowelled: str, expected: str) -> None:
    assert said(vowelled) == expected


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        ("لَا تَذْهَبُوا إِلَى هُنَاكَ", "laː taðhabuː ʔilaː hunaːk"),
        ("وَقَالُوا لَهُ", "waqaːluː lah"),
        ("أَبَوْا أَنْ يَأْتُوا", "ʔabau ʔan jaʔtuː"),
        ("هَبُوْا لِلْمُسَاعَدَةِ", "habuː lilmusaːʕadah"),
        ("قَالُوا الْكَلِمَةَ", "qaːlu lkalimah"),  # before a connecting alif: short
        ("عُضْوًا", "ʕudˤwaː"),  # a tanween's alif is not the plural's
    ],
)
def test_plural_alif(vowelled: str, expected: str) -> None:
    assert said(vowelled) == expected


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        # espeak-ng doubles every sun letter after a word-initial ال but ط.
        ("الطَرِيقُ قَصِيرٌ", "ʔat̪ːariːqu qas̪iːr"),
        ("الطَائِرَةُ", "ʔat̪ːaːʔirah"),
        ("الشَمْسُ", "ʔaʃʃams"),
        # After لِ the article's lam is not said: the sun letter is doubled.
        ("لِلطُلَّابِ", "lit̪ːullaːb"),
        ("وَلِلسَلَامِ", "walissalaːm"),
        ("لِلن" + SHADDA + FATHA + "اسِ", "linnaːs"),
        ("لِلْمَدِينَةِ", "lilmadiːnah"),  # a moon letter keeps the lam
    ],
)
def test_article_sun_letter(vowelled: str, expected: str) -> None:
    assert said(vowelled) == expected


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        # Form VIII of a root with ل: its lam is said, its alif silent after a vowel.
        ("وَالْتَزَمَ الرَجُلُ", "waltazamar radʒul"),
        ("فَالْتَحَقَ بِالْجَامِعَةِ", "faltaħaqa bildʒaːmiʕah"),
        ("ثُم" + SHADDA + FATHA + " الْتَقَى", "θumma ltaqaː"),
        ("الْتَحَقَ بِهَا", "ʔiltaħaqa bihaː"),
        # The article before ت is assimilated as before.
        ("وَالتَعْلِيمِ", "watːaʕliːm"),
    ],
)
def test_form_viii_of_a_root_with_lam(vowelled: str, expected: str) -> None:
    assert said(vowelled) == expected


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        ("هَذَا كِتَابٌ", "haːðaː kitaːb"),
        ("هَذَا الْكِتَابُ", "haːða lkitaːb"),
        ("هَذِهِ الْمَدِينَةُ", "haːðihi lmadiːnah"),
        ("بِذَلِكَ", "biðaːlik"),
        ("كَذَلِكَ قَالَ", "kaðaːlika qaːl"),
        ("وَلَكِن" + SHADDA + FATHA + "هُ", "walaːkinnah"),
        ("لَكِنْ", "laːkin"),
        ("هَؤُلَاءِ", "haːʔulaːʔ"),
        # The name of God: one doubled l and its long ā.
        ("الل" + SHADDA + DAGGER + "هُ أَكْبَرُ", "ʔallaːhu ʔakbar"),
        ("عَبْدُ الل" + SHADDA + FATHA + "هِ", "ʕabdul laːh"),
        ("وَالل" + SHADDA + DAGGER + "هِ", "wallaːh"),
        ("لِل" + SHADDA + FATHA + "هِ", "lillaːh"),
        ("وَلِل" + SHADDA + DAGGER + "هِ الْحَمْدُ", "walillaːhi lħamd"),
        ("الْإِلَهُ", "alʔilaːh"),
    ],
)
def test_unwritten_alif(vowelled: str, expected: str) -> None:
    assert said(vowelled) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("عبدالله", "عبد الله"),
        ("وعبدالكريم بن عبدالعزيز", "وعبد الكريم بن عبد العزيز"),
        ("لعبدالرحمن", "لعبد الرحمن"),
        ("عبده والعبد", "عبده والعبد"),
    ],
)
def test_compound_names(text: str, expected: str) -> None:
    assert compound_names(text) == expected


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        ("أِسْرَائِيلُ", "إِسْرَائِيلْ"),
        ("إَثْرَ الْحَادِثِ", "إِثْرَ ٱلْحَادِثْ"),
        ("إُلَى", "إِلَى"),
    ],
)
def test_hamza_seat(vowelled: str, expected: str) -> None:
    assert spelling.for_espeak(vowelled) == expected


def test_kasra_on_ya_leaves_other_vowels() -> None:
    assert words.kasra_on_ya("عَرَبِيْيُنْ") == "عَرَبِيْيُنْ"
    assert words.kasra_on_ya("عَرَبِيْيِنْ") == "عَرَبِيْي\u0640ِنْ"
