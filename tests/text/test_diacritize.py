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


def test_the_sun_letter_after_the_article_keeps_its_shadda() -> None:
    # The grammar's reading: the article's lam is assimilated and the sun letter doubled
    # (as-saʕuːdijja). Dropping that shadda is espeak-ng's business, in its respelling.
    vowelled = d.diacritize("أعلنت السعودية والشركة")
    assert "س" + SHADDA in vowelled.split()[1]
    assert "ش" + SHADDA in vowelled.split()[2]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("إجْمَالِي", "إِجْمَالِي"),  # bare
        ("إِسْتَاد", "إِسْتَاد"),  # already right
        ("إَثْرَ", "إِثْرَ"),  # the vowel of the أَثَر the model took it for
        ("الْإَعْلَامِ", "الْإِعْلَامِ"),
        ("وَإُ", "وَإِ"),
    ],
)
def test_hamza_below_always_takes_kasra(given: str, expected: str) -> None:
    assert d.hamza_below_kasra(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("أِنَّ", "أَنَّ"),  # a kasra would put the hamza on إ
        ("الْأِفْرِيقِيَّةِ", "الْأَفْرِيقِيَّةِ"),
        ("سُؤِال", "سُؤَال"),  # or on ئ
        ("ألْمَانِيَا", "أَلْمَانِيَا"),  # a word never starts without a vowel
        ("وَأعْتَقِدُ", "وَأَعْتَقِدُ"),
        ("لِلْأسْعَارِ", "لِلْأَسْعَارِ"),
        ("فَرَأيِي", "فَرَأيِي"),  # inside a word a bare hamza may be a sukun: رَأْي
        ("مَبْدَأٍ", "مَبْدَأٍ"),  # at the end the seat follows the vowel before it
        ("بَدَأ", "بَدَأ"),  # the ending is the model's to choose
        ("أُسْرَة", "أُسْرَة"),
        ("تَرَأ\u0651\u064eسَ", "تَرَأ\u0651\u064eسَ"),
    ],
)
def test_hamza_above_takes_a_vowel_its_seat_carries(given: str, expected: str) -> None:
    assert d.hamza_above_vowel(given) == expected


def test_the_writers_hamza_says_which_vowel() -> None:
    # From the test corpus: the model reads الأسعار as الْإِسْعَار and إثر as أَثَر.
    prices = d.diacritize("أولاً: الأسعار").split()[1]
    assert prices.startswith("الْأ" + FATHA) or prices.startswith("الأ" + FATHA)
    assert d.diacritize("إثر حادثة إطلاق نار").startswith("إ" + KASRA)


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


def test_a_symbol_in_the_text_does_not_undo_the_diacritization() -> None:
    # The model drops symbols, and its answer no longer lined up with the text.
    text = "الأمر الذي كبّد الشركة 😀 خسائر فادحة ©"
    result = d.diacritize(text)
    assert d.strip_harakat(result) == d.strip_harakat(text)
    assert result.split()[-3].startswith("خَ")


def test_words_say_whose_marks_they_carry() -> None:
    # الملك comes from the news lexicon, the writer's shadda on كبّد stays the writer's,
    # the rest is the model's; the marks add up to what `diacritize` returns.
    vowelled = d.diacritize_words("قال الملك كبّد")
    assert vowelled.text == d.diacritize("قال الملك كبّد")
    said, king, cost = vowelled.words
    assert (said.written, king.written, cost.written) == ("قال", "الملك", "كبّد")
    assert " ".join(word.vowelled for word in vowelled.words) == vowelled.text
    assert {letter.source for letter in said.letters} <= {"model", ""}
    assert [letter.source for letter in king.letters[1:4]] == ["lexicon"] * 3
    # the writer's shadda is kept; its vowel is the model's, or the past form II rule's
    assert "\u0651" in cost.letters[1].marks
    assert cost.letters[1].source in ("writer", "writer+model", "rule")
    assert not any(word.respelled for word in vowelled.words)
    (name,) = d.diacritize_words("عبدالعزيز").words
    assert name.respelled and d.strip_harakat(name.vowelled) == "عبد العزيز"


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
