"""The connecting alif across words, judged by espeak-ng's own phonemes.

Each expected reading is the standard one (فِي الْبَيْتِ is /fil.bajti/, عَلَى الشَّمْسِ
/ʕalaʃ.ʃamsi/), in espeak-ng's notation: words as it splits them, its diphthong `ai`,
its `χ` for خ and `ː` for a doubled consonant it writes as one phoneme. The texts are
vowelled as the diacritizer leaves them (shadda before the vowel, the sun letter after
the article without its shadda) and respelled without the pause forms, so that each
word's own ending shows.
"""

from __future__ import annotations

import pytest

from nashra.engines.espeak import spelling, wasl
from nashra.engines.espeak.engine import phonemes
from nashra.text import diacritize

FATHA, DAMMA, KASRA, SUKUN, SHADDA = "\u064e", "\u064f", "\u0650", "\u0652", "\u0651"
WASLA = "\u0671"


def ipa(text: str) -> str:
    """espeak-ng's phonemes with stress marks and separators dropped: one string per word."""
    drop = {ord(char): None for char in "_ˈˌ."}
    return " ".join(word.translate(drop) for word in phonemes(text).split())


def said(vowelled: str) -> str:
    return ipa(spelling.respell(vowelled))


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        # The article after a long vowel, which is shortened (fil-, not fiːl-).
        ("فِي الْبَيْتِ", "fi lbaiti"),
        ("عَلَى الْبَيْتِ", "ʕala lbaiti"),
        ("ذُو الْقَعْدَةِ", "ðu lqaʕdati"),
        ("أَبُو الْقَاسِمِ", "ʔabu lqaːsimi"),
        ("قَالُوا الْكَلِمَةَ", "qaːlu lkalimata"),  # the plural's alif goes with the و
        ("هُمَا الْبَابَانِ", "huma lbaːbaːni"),
        # Before a sun letter the lam is the letter's doubling, across the space.
        ("عَلَى الشَمْسِ", "ʕalaʃ ʃamsi"),
        ("عَلَى الش" + SHADDA + FATHA + "مْسِ", "ʕalaʃ ʃamsi"),
        ("فِي الن" + SHADDA + FATHA + "ادِي", "fin naːdiː"),
        ("فِي الل" + SHADDA + FATHA + "يْلِ", "fil laili"),
        ("عَبْدُ الل" + SHADDA + "\u0670هِ", "ʕabdul laːhi"),
        ("فِي ال" + SHADDA + FATHA + "ذِي", "fil laðiː"),  # one lam written for two
        # After a short vowel, the diacritizer's helping vowel included.
        ("مِنَ الْمَدِينَةِ", "mina lmadiːnati"),
        ("عَنِ الْبَيْتِ", "ʕani lbaiti"),
        ("هُمُ الْكِبَارُ", "humu lkibaːru"),
        ("كَتَبَ الْكِتَابَ", "kataba lkitaːba"),
        # After a silent consonant the helping vowel is written: مِنَ before the article,
        # the plural's damma after مْ, a kasra otherwise.
        ("مِنْ الْمَدِينَةِ", "mina lmadiːnati"),
        ("هُمْ الْكِبَارُ", "humu lkibaːru"),
        ("هَلْ الْبَيْتُ", "hali lbaitu"),
        ("قَدْ انْتَهَى", "qadi ntahaː"),
        ("مِنْ اسْمِهِ", "mini smihi"),
        # The article's helping kasra before a connecting alif, both alifs silent.
        ("يَوْمُ الِاثْنَيْنِ", "jaumu liθnaini"),
        # Stems with a connecting alif.
        ("فِي انْتِخَابِ", "fi ntiχaːbi"),
        ("عَلَى اسْمِ", "ʕala smi"),
        ("هُمَا اثْنَانِ", "huma θnaːni"),
        ("كَانَتِ امْرَأَةً", "kaːnati mraʔatan"),
        ("خَالِدُ ابْنُ سَعِيدٍ", "χaːlidu bnu saʕiːdin"),
        ("ثُم" + SHADDA + FATHA + " اسْتَقْبَلَ", "θumma staqbala"),
        ("فِي ات" + SHADDA + KASRA + "جَاهِ", "fi tːidʒaːhi"),
        ("فِي ازْدِهَارٍ", "fi zdihaːrin"),
        # A hamza the writer left out, which the diacritizer vowels: said with its ʔ.
        ("فِي اَكْثَرِ", "fiː ʔakθari"),
        ("ذَهَبَ اِلَى الْبَيْتِ", "ðahaba ʔila lbaiti"),
        ("مَعَ اُسْرَتِهِ", "maʕa ʔusratihi"),
        ("الْاَسْمَاكِ", "alʔasmaːki"),
        ("وَاِقَامَتُهُ", "waʔiqaːmatuhu"),
        # Real hamzas keep their ʔ, and the long vowel before them.
        ("فِي أَكْبَرِ", "fiː ʔakbari"),
        ("عَلَى إِثْرِ", "ʕalaː ʔiθri"),
        # Nothing to join: the vowel before a word without a connecting alif stays long.
        ("فِي بَيْتِ", "fiː baiti"),
        ("كَانَ لَا يَزَالُ", "kaːna laː jazaːlu"),
    ],
)
def test_espeak_says_the_words_joined_as_a_reader_does(vowelled: str, expected: str) -> None:
    assert said(vowelled) == expected, spelling.respell(vowelled)


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        # A pause restarts with the hamza: at a chunk's start, after punctuation.
        ("الشَمْسُ", "ʔaʃʃamsu"),
        ("فِي، الشَمْسِ", "fiː ʔaʃʃamsi"),
        ("فِي «الشَمْسِ»", "fiː ʔaʃʃamsi"),
        # A stem's connecting alif after a pause is said with its kasra (اِنْتَهَى, not antahaː),
        # with a damma before a passive's damma; the nouns ابن، اسم keep the kasra.
        ("انْتَهَى الْعَمَلُ", "ʔintaha lʕamalu"),
        ("وَقَالَ: اسْتَقْبَلَ", "waqaːla ʔistaqbala"),
        ("ات" + SHADDA + KASRA + "فَاقٌ", "ʔitːifaːqun"),
        ("ابْنُ سَعِيدٍ", "ʔibnu saʕiːdin"),
        ("اسْمُهُ", "ʔismuhu"),
        ("اسْتُخْدِمَ", "ʔustuχdima"),
        ("انْتُخِبَ", "ʔuntuχiba"),
    ],
)
def test_after_a_pause_the_alif_is_said(vowelled: str, expected: str) -> None:
    assert said(vowelled) == expected, spelling.respell(vowelled)


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        # انّ is إنّ after a pause, after قال and its forms, after حيث and ف; أنّ elsewhere,
        # and always after لِ and كَ; إنّما wherever it stands.
        ("قَالَ ان" + SHADDA + FATHA + "هُ", "qaːla ʔinnahu"),
        ("وَقَالَتْ ان" + SHADDA + FATHA + "هَا", "waqaːlat ʔinnahaː"),
        ("وَان" + SHADDA + FATHA + "هَا", "waʔinnahaː"),
        ("فَان" + SHADDA + FATHA, "faʔinna"),
        ("أَك" + SHADDA + FATHA + "دَ ان" + SHADDA + FATHA + "هُ", "ʔakːada ʔannahu"),
        ("بَعْدَ ان" + SHADDA + FATHA, "baʕda ʔanna"),
        ("لِان" + SHADDA + FATHA + "هُمْ", "liʔannahum"),
        ("كَان" + SHADDA + FATHA + "هُ", "kaʔannahu"),
        ("هُوَ ان" + SHADDA + FATHA + "مَا", "huːa ʔinnamaː"),
        # Any other doubled letter after a bare alif: a form II verb's hamza (أكّد، أسّس).
        ("وَاك" + SHADDA + FATHA + "دَ", "waʔakːada"),
        ("اس" + SHADDA + FATHA + "سَ", "ʔassasa"),
        # Form VIII's assimilated ت keeps its connecting alif.
        ("فِي ات" + SHADDA + KASRA + "فَاقٍ", "fi tːifaːqin"),
    ],
)
def test_a_hamza_left_out_before_a_doubled_letter(vowelled: str, expected: str) -> None:
    # انّ's hamza is chosen in the diacritizer's mending (`bare_anna`), the rest here.
    given = diacritize.bare_anna(vowelled)
    assert said(given) == expected, spelling.respell(given)


@pytest.mark.parametrize(
    "vowelled",
    [
        "الْبَيْتُ",  # a chunk's start
        "فِي، الْبَيْتِ",
        "فِي «الْبَيْتِ»",
        "فِي 3 الْبُيُوتِ",
        "مَدِينَةٌ الْكُبْرَى",  # a tanween: left (espeak-ng carries its n into the article)
        "كِتَابًا الْيَوْمَ",
        "غُوتِيرِيز الْمُعَسْكَرُ",  # a bare last consonant: a name the diacritizer left alone
        "وَلِي" + SHADDA + " الْعَهْدِ",  # a bare shadda: no vowel to join on
        "فِي الَّا",  # too short for the article: إلّا with its hamza unwritten
        "فِي الَى",  # the lam's own vowel: no article
        # A bare alif before a pattern that is not a connecting stem's.
        "مِنْ ابْنَاءِ",  # أبناء, a plural أفعال
        "فِي ابْطَالِ",
        "فِي اسْمَاءِ",
        "فِي وَاتْسَابْ",
    ],
)
def test_left_as_it_is(vowelled: str) -> None:
    assert wasl.connected_speech(vowelled) == vowelled
    assert WASLA not in spelling.respell(vowelled)


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        ("اَنْتَ", "أَنْتَ"),
        ("اِلَى", "إِلَى"),
        ("اُسْرَةٍ", "أُسْرَةٍ"),
        ("وَاِقَامَتِهَا", "وَإِقَامَتِهَا"),
        ("لِلْاَسْوَاقِ", "لِلْأَسْوَاقِ"),
        (
            "اَل" + SHADDA + FATHA + "ا",
            "أَل" + SHADDA + FATHA + "ا",
        ),  # ألّا, too short for the article
        # Left: the article's own alif, a bare alif, the alif after the article's kasra.
        ("اَلْفِئَةِ", "اَلْفِئَةِ"),
        ("وَاَلل" + SHADDA + "\u0670هِ", "وَاَلل" + SHADDA + "\u0670هِ"),
        ("انْتِخَابِ", "انْتِخَابِ"),
        ("الِاِتِنِينَ", "الِاِتِنِينَ"),
        ("كَانَ", "كَانَ"),
    ],
)
def test_omitted_hamza(vowelled: str, expected: str) -> None:
    assert wasl.omitted_hamza(vowelled) == expected


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        ("فِي الْبَيْتِ الْكَبِيرِ", "فِ ٱلْبَيْتِ ٱلْكَبِيرِ"),
        ("عَلَى الشَمْسِ", "عَلَ ٱش" + SHADDA + FATHA + "مْسِ"),
        ("هَذِهِ اَلْفِئَةِ", "هَذِهِ ٱلْفِئَةِ"),  # the diacritizer's vowel on the article's alif
        ("رَأَوْا الْبَيْتَ", "رَأَوُ ٱلْبَيْتَ"),
        ("أَوْ الْبَيْتِ", "أَوِ ٱلْبَيْتِ"),
        ("عَلَيْهِمْ الْبَيْتُ", "عَلَيْهِمُ ٱلْبَيْتُ"),
        ("عَلَى\u0670 الْبَيْتِ", "عَلَ ٱلْبَيْتِ"),
    ],
)
def test_connected_speech(vowelled: str, expected: str) -> None:
    assert wasl.connected_speech(vowelled) == expected


def test_a_respelled_text_is_respelled_the_same() -> None:
    once = spelling.for_espeak("فِي الْبَيْتِ، مِنْ الْمَدِينَةِ عَلَى الشَمْسِ اَكْثَرَ")
    assert spelling.for_espeak(once) == once


@pytest.mark.parametrize(
    ("vowelled", "expected"),
    [
        # The diacritizer may leave the article's lam bare before a moon letter (archive,
        # 2015-08-02: في حال عملت تحت كفالة مواطن … الوَقْتِ); joined after a vowel, the
        # glide after it is still a consonant: fil-waqti, not fi luːaqti.
        ("فِي الوَقْتِ", "fi lwaqti"),
        ("فِي اليَوْمِ", "fi ljaumi"),
        ("وَالوَزِيرُ", "walwaziːru"),
        ("بِالوَقْتِ", "bilwaqti"),
        ("مِنَ الوَقْتِ", "mina lwaqti"),
    ],
)
def test_a_bare_article_lam_keeps_the_glide_after_it(vowelled: str, expected: str) -> None:
    assert said(vowelled) == expected
