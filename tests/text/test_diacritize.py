"""The diacritizer adapter: marks added, the writer's letters and marks kept, espeak's fixes."""

from __future__ import annotations

import pytest

from nashra.engines.espeak.engine import phonemes
from nashra.text import diacritize as d

FATHA, KASRA, DAMMA, SUKUN, SHADDA = "\u064e", "\u0650", "\u064f", "\u0652", "\u0651"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # lam, fatha, shadda (Unicode's order) -> lam, shadda, fatha
        ("ال\u0644\u064e\u0651ذِي", "ال\u0644\u0651\u064eذِي"),
        ("تَتِم\u064f\u0651", "تَتِم\u0651\u064f"),
        ("ال\u0644\u0651\u064eذِي", "ال\u0644\u0651\u064eذِي"),  # already right
        ("بلا تشكيل", "بلا تشكيل"),
    ],
)
def test_shadda_first(given: str, expected: str) -> None:
    assert d.shadda_first(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("الس\u0651\u064eعُودِيَّةِ", "الس\u064eعُودِيَّةِ"),  # espeak assimilates the lam itself
        ("وال\u0634\u0651\u064eرِكَة", "وال\u0634\u064eرِكَة"),  # with the clitic و
        ("ال\u0644\u0651\u064eذِي", "ال\u0644\u0651\u064eذِي"),  # lam keeps its shadda
        ("كَب\u0651\u064eدَ", "كَب\u0651\u064eدَ"),  # not after the article
    ],
)
def test_article_shadda(given: str, expected: str) -> None:
    assert d.article_shadda(given) == expected


def test_bare_hamza_below_gets_kasra() -> None:
    assert d.hamza_below_kasra("إجْمَالِي") == "إِجْمَالِي"
    assert d.hamza_below_kasra("إِسْتَاد") == "إِسْتَاد"


def test_written_marks_and_letters_win() -> None:
    # The writer's shadda on كبّد and the writer's hamza on إثر survive the model.
    assert d.keep_written_marks("كبّد إثر", "كَبَدُ أَثَرُ") == "كَب\u0651\u064eدُ إَثَرُ"
    assert d.keep_written_marks("كتب", "كَتَبَتْ") is None


def test_diacritize_real_sentence() -> None:
    # From the seed: every word gets marks, the letters and punctuation stay.
    text = "الأمر الذي كبّد الشركة خسائر فادحة."
    result = d.diacritize(text)
    assert d.strip_harakat(result) == d.strip_harakat(text)
    assert result.endswith(".")
    assert all(any(m in word for m in (FATHA, KASRA, DAMMA, SUKUN)) for word in result.split())
    # كبّد keeps its shadda, now before a vowel.
    assert "كَب" + SHADDA in result or "كُب" + SHADDA in result or "كِب" + SHADDA in result


def test_text_without_arabic_letters_is_untouched() -> None:
    assert d.diacritize("WhatsApp 2016") == "WhatsApp 2016"


def test_version_names_the_model() -> None:
    assert d.version().startswith("text2tashkeel ") and d.MODEL in d.version()


def test_chunks_of_a_sentence_are_diacritized_in_their_context() -> None:
    # في حالةِ ارتفاعِ أسعارِ النفط: ارتفاع is the second term of an idafa, genitive (-i);
    # the chunk alone starts a sentence and would take the nominative.
    first, second = d.diacritize_together(
        ["وينقلب هذا الدعم إلى ضرائب في حالة", "ارتفاع أسعار النفط العالمية"]
    )
    assert d.strip_harakat(first) == "وينقلب هذا الدعم إلى ضرائب في حالة"
    assert d.strip_harakat(second) == "ارتفاع أسعار النفط العالمية"
    assert second.split()[0].endswith("ع" + KASRA)
    # خلالَ السنواتِ: the object of a preposition-like adverb is genitive too.
    _, after = d.diacritize_together(["في أمريكا الشمالية خلال", "السنوات القليلة الماضية"])
    assert after.split()[0].endswith("ت" + KASRA)


def test_pieces_keep_their_own_text() -> None:
    pieces = ["قال الوزير:", "«المرحلة الثانية", "من البرنامج» تبدأ 2016"]
    together = d.diacritize_together(pieces)
    assert [d.strip_harakat(piece) for piece in together] == pieces
    assert d.diacritize_together(["كلمة"]) == [d.diacritize("كلمة")]
    assert d.diacritize_together([]) == []


def test_cut_refuses_what_does_not_add_up() -> None:
    assert d._cut("أَبْ جَدْ", [2, 2]) == ["أَبْ", "جَدْ"]
    assert d._cut("أَبْ جَدْ", [2, 3]) is None
    assert d._cut("أَبْجَدْ", [2, 2]) is None


def test_news_words_get_the_lexicons_vowels() -> None:
    # In this sentence the model alone reads الْمِلْك ("property") and بِنَ.
    vowelled = d.diacritize("الملك عبد اللّٰه بن")
    assert vowelled.startswith("الْمَلِك")
    said = phonemes(vowelled).split()[0]
    assert said.translate({ord("ˈ"): None, ord("ˌ"): None}).startswith(
        ("a_l_m_a_l_i_k", "ʔ_a_l_m_a_l_i_k")
    )


# The particle أنّ/إنّ written with a bare alif, which the model can leave unvowelled
# (archive, 2015-08-02: وليس لبيعها حيث ان لها حصة). Grammar: إنّ at a clause's start,
# after a verb of saying and after حيث and ف; أنّ elsewhere, and after ل ب ك (لأنّ، بأنّ).
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("حَيْثُ انَّ لَهَا", "حَيْثُ إِنَّ لَهَا"),
        ("قَالَ انَّ", "قَالَ إِنَّ"),
        ("انَّ الْوَقْتَ", "إِنَّ الْوَقْتَ"),
        ("الْجَوُّ، انَّهُ", "الْجَوُّ، إِنَّهُ"),
        ("فَانَّهَا", "فَإِنَّهَا"),
        ("وَيَرَى انَّهُ", "وَيَرَى أَنَّهُ"),
        ("لِانَّ", "لِأَنَّ"),
        ("بِانَّهُ", "بِأَنَّهُ"),
        ("كَانَّ", "كَأَنَّ"),
        ("اِنَّ", "اِنَّ"),  # vowelled: the respelling writes its hamza
        ("وَاتَّفَقَ", "وَاتَّفَقَ"),  # a connecting alif before a doubled ت
    ],
)
def test_bare_anna_gets_its_hamza(given: str, expected: str) -> None:
    assert d.bare_anna(d.shadda_first(given)) == d.shadda_first(expected)


def test_espeak_says_the_hamza_of_a_bare_anna() -> None:
    from nashra.engines.espeak import spelling

    said = phonemes(spelling.for_espeak(d.diacritize("وليس لبيعها حيث ان لها حصة")))
    words = [word.translate({ord(c): None for c in "_ˈˌ."}) for word in said.split()]
    assert words[3].startswith("ʔinna"), words
