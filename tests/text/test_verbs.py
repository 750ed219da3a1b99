"""News verbs told apart from the other words their letters spell, by their context.

Sentences from the SaudiNewsNet archive; the expected reading is the grammar's:
وَقَّعَ "signed" when a party that signs is its subject or a thing signed follows,
وَقَعَ "happened" otherwise; كَرَّمَ "honoured" after a particle only a verb follows;
a past form II verb has the vowels of one (فَعَّلَ active, فُعِّلَ passive).
"""

from __future__ import annotations

import pytest

from nashra.engines.espeak import spelling
from nashra.engines.espeak.engine import phonemes
from nashra.text.diacritize import diacritize, shadda_first
from nashra.text.verbs import past_form_ii, verbs_in_context


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # Signed: the subject signs, or what is signed follows in the clause.
        ("وسبق أن وقع الرئيس المصري", "وسبق أن وقّع الرئيس المصري"),
        ("وقعت إدارة نادي الفتح مع مدافع", "وقّعت إدارة نادي الفتح مع مدافع"),
        ("إلا أنه وقع لنادي الشباب", "إلا أنه وقّع لنادي الشباب"),
        ("ووقع اللاعب عقدا جديدا", "ووقّع اللاعب عقدا جديدا"),
        ("جميع الدول التي وقعت على الاتفاق", "جميع الدول التي وقّعت على الاتفاق"),
        ("إن طهران وقعت اتفاقا الأسبوع الماضي", "إن طهران وقّعت اتفاقا الأسبوع الماضي"),
        ("ووقعت الجامعة العديد من مذكرات التفاهم", "ووقّعت الجامعة العديد من مذكرات التفاهم"),
        ("فوقع الاتحاد الأوروبي وسويسرا اتفاقا", "فوقّع الاتحاد الأوروبي وسويسرا اتفاقا"),
        # Happened, fell: an event, a preposition first, or nothing that signs.
        ("ووقع الحادث في متنزه", "ووقع الحادث في متنزه"),
        ("التفجير الذي وقع في بغداد", "التفجير الذي وقع في بغداد"),
        ("ووقعت اشتباكات بين عناصر المقاومة", "ووقعت اشتباكات بين عناصر المقاومة"),
        ("ووقع اختيار 12 فريقاً عليها", "ووقع اختيار 12 فريقاً عليها"),
        ("وقع خلاف حول الاتفاق", "وقع خلاف حول الاتفاق"),
        ("الحوادث التي وقعت على هذا الطريق", "الحوادث التي وقعت على هذا الطريق"),
        ("إلا أن الطلاق وقع أيضا، وقبل أشهر", "إلا أن الطلاق وقع أيضا، وقبل أشهر"),
        ("وقع، الاتفاق", "وقع، الاتفاق"),  # the clause ends at the comma
        ("حيث وقعت الإدارة النصراوية في مأزق", "حيث وقعت الإدارة النصراوية في مأزق"),
        ("أحداث وقعت على مدى العقدين الأخيرين", "أحداث وقعت على مدى العقدين الأخيرين"),
        ("وقع الرئيس ضحية", "وقع الرئيس ضحية"),
        # Honoured: after a particle only a verb follows.
        ("ثم كرم سموه المتفوقين", "ثم كرّم سموه المتفوقين"),
        ("فيما كرم مدير شرطة جازان", "فيما كرّم مدير شرطة جازان"),
        ("وقد كرم المركز المتميزين", "وقد كرّم المركز المتميزين"),
        ("على حسن الاستقبال وكرم الضيافة", "على حسن الاستقبال وكرم الضيافة"),
        ("فادي كرم: إن إيران", "فادي كرم: إن إيران"),
        # A word the writer vowelled is theirs.
        ("وَقَعَ الرئيس", "وَقَعَ الرئيس"),
    ],
)
def test_verbs_in_context(written: str, spoken: str) -> None:
    assert verbs_in_context(written) == spoken


@pytest.mark.parametrize(
    ("vowelled", "mended"),
    [
        ("الَّذِي قُدَّمَ إِلَى", "الَّذِي قُدِّمَ إِلَى"),  # passive: فُعِّلَ
        ("الَّذِي عُيَّنَ فِي", "الَّذِي عُيِّنَ فِي"),
        ("وَعُيَّنَ بَدِيلًا", "وَعُيِّنَ بَدِيلًا"),
        ("مِلْيُونُ دِرْهَمٍ نُفَّذَتْ", "مِلْيُونُ دِرْهَمٍ نُفِّذَتْ"),
        ("وَلَوْ قُدَّرَ لَهُمْ", "وَلَوْ قُدِّرَ لَهُمْ"),
        ("الَّتِي صَمِّمَتْ", "الَّتِي صَمَّمَتْ"),  # active: فَعَّلَ
        ("وَ قَدِّمَ", "وَ قَدَّمَ"),
        ("زَيِّنَتْ", "زَيَّنَتْ"),
        # Nouns of the same letters and vowels are left.
        ("جَيِّدَ", "جَيِّدَ"),  # فَيْعِل
        ("رَبِّكَ", "رَبِّكَ"),  # a noun and the pronoun ك
        ("سُكَّرَ الدَّمِ", "سُكَّرَ الدَّمِ"),  # فُعَّل
        ("قُوَّاتِ", "قُوَّاتِ"),
        ("قَدِّمْ", "قَدِّمْ"),  # the imperative
    ],
)
def test_past_form_ii(vowelled: str, mended: str) -> None:
    assert past_form_ii(shadda_first(vowelled)) == shadda_first(mended)


def ipa(text: str) -> str:
    drop = {ord(char): None for char in "_ˈˌ."}
    return " ".join(word.translate(drop) for word in phonemes(text).split())


@pytest.mark.parametrize(
    ("sentence", "word", "said"),
    [
        # The verb's doubled consonant, in espeak-ng's notation (qː; rr for a doubled r).
        ("وسبق أن وقع الرئيس المصري الاتفاقية", 2, "waqːaʕa"),
        ("ووقعت الجامعة العديد من مذكرات التفاهم", 0, "qːaʕat"),
        ("ثم كرم الرعاة والداعمين للحدث في نسخته الرابعة", 1, "karrama"),
        ("وفي الختام كرم النادي رئيس مركز النابية", 2, "karrama"),
    ],
)
def test_espeak_says_the_verb_of_the_context(sentence: str, word: int, said: str) -> None:
    words = ipa(spelling.for_espeak(diacritize(sentence))).split()
    assert said in words[word], words
