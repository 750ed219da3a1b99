"""The case of a whole number from its place in the sentence, against the grammar.

Each context is labelled with the case the grammar of العدد والمعدود gives a
number there (the reference's section 1: genitive after a preposition or a
noun in idafa, accusative as a verb's object, nominative as the subject or
where no governor is recognized), and the forms of each case are written out
by hand from the grammar's tables: the dual and tens end in ـين in the
genitive and accusative, and a unit joined to tens takes the tanween alif in
the accusative (خمسًا وثلاثين), written as news writes it (خمسا).
"""

from __future__ import annotations

import pytest

from nashra.text import number_case
from nashra.text.normalize import normalize

# The numbers said in each case: (written, nominative, genitive, accusative).
FORMS = [
    ("20 شخصا", "عشرون شخصا", "عشرين شخصا", "عشرين شخصا"),
    ("35 دولة", "خمس وثلاثون دولة", "خمس وثلاثين دولة", "خمسا وثلاثين دولة"),
    ("12 لاعبا", "اثنا عشر لاعبا", "اثني عشر لاعبا", "اثني عشر لاعبا"),
    ("150 طالبا", "مئة وخمسون طالبا", "مئة وخمسين طالبا", "مئة وخمسين طالبا"),
]

GENITIVE = [
    # prepositions
    "في", "من", "إلى", "على", "عن", "منذ", "حتى", "وفي", "ومن",
    # nouns and adverbs in idafa
    "خلال", "لمدة", "نحو", "حوالي", "قرابة", "بعد", "قبل", "أكثر من",
    # verbal nouns, listed or by their pattern (تفعيل، إفعال، افتعال، استفعال، فعالة، مفاعلة)
    "تكريم", "بعد تكريم", "إطلاق", "اختيار", "تم اختيار", "استقبال", "زراعة", "مشاركة",
    "وتدريب", "توظيف",
]  # fmt: skip
ACCUSATIVE = [
    # a verb of the data right before its object
    "تضم", "يضم", "وتضم", "كرمت", "كرّمت", "يكرم", "سيكرم", "أطلقت", "استقبلت", "سيستقبل",
    "حققت", "قطعت", "تجاوز", "يتجاوز", "بلغ", "وبلغ",
    # the verb, its subject, the object
    "كرمت الجامعة", "كرّمت الجامعة", "وأطلقت القوات", "كرمت جامعة الملك سعود",
    "بلغ عدد الطلاب", "استقبلت المدينة",
]  # fmt: skip
NOMINATIVE = [
    # the subject, a heading, a predicate: no governor
    "",
    "شارك",
    "وشارك",
    "قال المتحدث:",
    "المشاركون",
    "والحضور",
]


def _rows() -> list[tuple[str, str]]:
    rows = []
    for before, place in [(w, 2) for w in GENITIVE] + [(w, 3) for w in ACCUSATIVE]:
        for form in FORMS:
            rows.append((f"{before} {form[0]}", f"{before} {form[place]}"))
    for before in NOMINATIVE:
        for form in FORMS:
            rows.append((f"{before} {form[0]}".strip(), f"{before} {form[1]}".strip()))
    return rows


CASE_FROM_CONTEXT = _rows()


@pytest.mark.parametrize(("text", "expected"), CASE_FROM_CONTEXT)
def test_the_case_of_a_number_from_the_words_before_it(text: str, expected: str) -> None:
    assert normalize(text) == expected


IN_THE_NEWS = [
    # the examples of the grammar in news sentences
    ("كرّمت الجامعة 150 طالبًا", "كرّمت الجامعة مئة وخمسين طالبا"),
    ("في ( 35) دولةً", "في ( خمس وثلاثين) دولة"),
    ("بعد تكريم 150 طالبًا", "بعد تكريم مئة وخمسين طالبا"),
    ("تضم 40 موظفًا", "تضم أربعين موظفا"),
    ("تضم الإدارة 40 موظفًا.", "تضم الإدارة أربعين موظفا."),
    ("يضم الفريق 22 لاعبا", "يضم الفريق اثنين وعشرين لاعبا"),
    ("ضمت القائمة 23 لاعبا", "ضمت القائمة ثلاثة وعشرين لاعبا"),
    (
        "وارتفع المؤشر العام لسوق أبوظبي 0.6 في المئة",
        "وارتفع المؤشر العام لسوق أبوظبي صفر فاصل ستة في المئة",
    ),
    ("التي تراجع سهمها 1.8 في المئة", "التي تراجع سهمها واحد فاصل ثمانية في المئة"),
    ("وقد وصل سعر الهامور 90 ريالا", "وقد وصل سعر الهامور تسعين ريالا"),
    ("وصل 150 حاجا", "وصل مئة وخمسون حاجا"),  # after the verb alone: its subject
    ("عندما شاهدا جيل 16 عاما", "عندما شاهدا جيل ستة عشر عاما"),
    ("سيستمر 3 أيام", "سيستمر ثلاثة أيام"),
    ("سجلت 2 مليون زيارة", "سجلت مليوني زيارة"),
    ("يعادل 2.3%", "يعادل اثنين فاصل ثلاثة بالمئة"),
    ("ارتفع 32 في المئة", "ارتفع اثنين وثلاثين في المئة"),
    ("وصلت النسبة 32 في المئة", "وصلت النسبة اثنين وثلاثين في المئة"),
    ("النسبة 32 في المئة", "النسبة اثنان وثلاثون في المئة"),
    # gender from the counted noun across quotes and brackets
    ("أطلقت «25» قذيفة", "أطلقت «خمسا وعشرين» قذيفة"),
    ("أطلقت «3» قذائف", "أطلقت «ثلاث» قذائف"),
    ("في «13» دولة", "في «ثلاث عشرة» دولة"),
    ("من (22) سيارة", "من (اثنتين وعشرين) سيارة"),
    ("شارك (22) لاعبا", "شارك (اثنان وعشرون) لاعبا"),
    # ordinals agree with their noun's case
    ("احتل المركز الـ21", "احتل المركز الحادي والعشرين"),
    ("احتل المركز 21", "احتل المركز الحادي والعشرين"),
    ("في المركز الـ21", "في المركز الحادي والعشرين"),
    ("المركز الـ21 للفريق", "المركز الحادي والعشرون للفريق"),
    ("وحل الفريق في المرتبة الـ32", "وحل الفريق في المرتبة الثانية والثلاثين"),
    ("الدورة الـ20", "الدورة العشرون"),
    # a day of the month after a weekday, at the start of a line
    ("الخميس 7 مايو", "الخميس السابع من مايو"),
    ("الخبر\nالخميس 27 مايو", "الخبر الخميس السابع والعشرين من مايو"),
    # years, in the case of their place
    ("العام المالي 2027", "العام المالي ألفين وسبعة وعشرين"),
    ("السنة الدراسية 2022", "السنة الدراسية ألفين واثنين وعشرين"),
    ("رؤية 2030", "رؤية ألفين وثلاثين"),
    ("هذا العام 1435 1436،", "هذا العام ألف وأربعمئة وخمسة وثلاثين ألف وأربعمئة وستة وثلاثين،"),
    ("2022 كان عام التحول", "ألفان واثنان وعشرون كان عام التحول"),
    # money with its cents
    ("السعر 1,250.50 ريال.", "السعر ألف ومئتان وخمسون ريالا وخمسون هللة."),
    ("بلغ 1,250.50 ريال", "بلغ ألف ومئتين وخمسين ريالا وخمسين هللة"),
    ("بسعر 3.25 دولار", "بسعر ثلاثة دولارات وخمسة وعشرين سنتا"),
    ("بلغ 1250.50 ريال سعودي، و", "بلغ ألف ومئتين وخمسين ريالا سعوديا وخمسين هللة، و"),
    ("بسعر 100.05 ريال", "بسعر مئة ريال وخمس هللات"),
]


@pytest.mark.parametrize(("text", "expected"), IN_THE_NEWS)
def test_numbers_in_their_place_in_news_sentences(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("word", "verb"),
    [("كرمت", True), ("يكرمون", True), ("وسيستقبل", True), ("يطلق", True), ("ترتفع", True),
     ("يوم", False), ("تكريم", False), ("بيت", False), ("المركز", False)],
)  # fmt: skip
def test_verbs_are_told_by_their_derived_forms(word: str, verb: bool) -> None:
    assert number_case.is_verb(word) is verb


@pytest.mark.parametrize(
    ("word", "verbal_noun"),
    [("تكريم", True), ("إطلاق", True), ("اختيار", True), ("انخفاض", True), ("استقبال", True),
     ("زراعة", True), ("مشاركة", True), ("وتدريب", True), ("التكريم", False), ("يوم", False),
     ("كرمت", False)],
)  # fmt: skip
def test_verbal_nouns_are_told_by_their_pattern(word: str, verbal_noun: bool) -> None:
    assert number_case.is_verbal_noun(word) is verbal_noun
