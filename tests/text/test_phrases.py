"""Cuts inside a phrase: name chains, constructs, prepositions (cases from the archive)."""

from __future__ import annotations

import pytest

from nashra.text.phrases import inside_phrase
from nashra.text.sentences import pack_chunks

# (word before the cut, word after, whether the cut breaks a phrase), from the
# 100-character requests of the corpus and of unseen archive days.
CUTS = [
    ("بن", "عبدالعزيز", True),  # 11-aleqtisadiya: الملك سلمان بن ‖ عبدالعزيز
    ("سلمان", "بن", True),  # فيصل ‖ بن فهد
    ("الأميرة", "ريم", True),  # 2015-08-11: صاحبة السمو الملكي الأميرة ‖ ريم
    ("ريم", "بنت", True),
    ("هيئة", "كبار", True),  # 07-3alyoum: رئيس هيئة ‖ كبار العلماء
    ("ولي", "ولي", True),  # 08-almadina: ولي ‖ ولي العهد
    ("ومعالي", "وزير", True),  # 08-almadina: ومعالي ‖ وزير الثقافة
    ("مدينة", "أبها", True),  # 2015-08-02: من داخل مدينة ‖ أبها
    ("في", "السنة", True),  # 12-alyaum: في ‖ السنة الأولى
    ("إلى", "مستويات", True),
    ("وفي", "المدينة", True),
    ("«في", "المدينة»", True),
    ("خلال", "الفترة", True),
    ("الذي", "ورثه", True),  # 2015-08-02: لقصة العشق الأزلي الذي ‖ ورثه الآباء
    ("الأعضاء،", "حول", False),  # after a comma
    ("في", "«المدينة»", False),  # a quotation begins: a clause mark
    ("الاجتماعي", "ودشنوا", False),
    ("النفط", "وتراجع", False),
    ("وزير", "الدفاع", True),
    ("الدفاع", "أمس", False),
]


@pytest.mark.parametrize(("previous", "word", "expected"), CUTS)
def test_inside_phrase(previous: str, word: str, expected: bool) -> None:
    assert inside_phrase(previous, word) is expected


@pytest.mark.parametrize(
    "sentence",
    [
        # 11-aleqtisadiya: was cut at الملك سلمان بن ‖ عبدالعزيز.
        "كما اشتملت الطوابع على عرض كم هائل من الطوابع البريدية التذكارية التي صدرت في عهد "
        "الملك سلمان بن عبدالعزيز آل سعود ـ حفظه الله ـ منذ توليه الحكم للبلاد.",
        # 12-alyaum: was cut at في ‖ السنة الأولى.
        "ويبدو أن تراجع أسعار النفط في الحالات الثلاث لم يتسبب في تغيير مسار معدلات نمو "
        "الاقتصاد العالمي في السنة الأولى من تراجع الأسعار.",
        # 08-almadina: was cut at ومعالي ‖ وزير.
        "ويضم الوفد الرسمي المرافق لسمو ولي ولي العهد معالي وزير الشؤون الاجتماعية الدكتور "
        "ماجد القصبي ومعالي وزير الثقافة والإعلام الدكتور عادل الطريفي.",
    ],
)
def test_chunks_do_not_end_inside_a_phrase(sentence: str) -> None:
    chunks = pack_chunks(sentence, 100)
    assert len(chunks) == 2  # still the fewest requests
    assert " ".join(chunks) == sentence
    assert not inside_phrase(chunks[0].split()[-1], chunks[1].split()[0]), chunks
