"""Each normalization step against a table of cases, most of them taken from the corpus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nashra.text import normalize as n


def cases(
    step: Callable[[str], str], table: list[tuple[str, str]]
) -> list[tuple[Callable[[str], str], str, str]]:
    return [(step, given, expected) for given, expected in table]


TABLE = [
    *cases(
        n.strip_tatweel,
        [
            # 11-aleqtisadiya: the Hijri year marker and a parenthetical drawn with kashidas.
            ('"أبها يجمعنا" 1436هـ، إلى جانب', '"أبها يجمعنا" 1436ه، إلى جانب'),
            ("الملك عبدالعزيز ـ طيب الله ثراه ـ،", "الملك عبدالعزيز  طيب الله ثراه ،"),
            ("الســـلام", "السلام"),
            ("بلا كشيدة", "بلا كشيدة"),
        ],
    ),
    *cases(
        n.strip_invisible,
        [
            ("\u200fواتساب\u200f", "واتساب"),
            ("فيس\u200cبوك", "فيسبوك"),
            ("\u202bالرياض\u202c", "الرياض"),
            ("\u2067عين اليوم\u2069", "عين اليوم"),
            ("\ufeffخبر", "خبر"),
            ("نص عادي", "نص عادي"),
        ],
    ),
    *cases(
        n.persian_letters,
        [
            ("فیس بوک", "فيس بوك"),
            ("کتاب", "كتاب"),
            ("فيس بوك", "فيس بوك"),
        ],
    ),
    *cases(
        n.nfc,
        [
            ("\u0627\u0653خر", "آخر"),  # alef + madda above composes to آ
            ("\u0627\u0654حمد", "أحمد"),  # alef + hamza above composes to أ
            ("أحمد", "أحمد"),
        ],
    ),
    *cases(
        n.percentages,
        [
            ("90% من ديون التعاون مسددة", "90 بالمئة من ديون التعاون مسددة"),  # 01-alwatan title
            ("بحوالي 0.4% من الناتج", "بحوالي 0.4 بالمئة من الناتج"),  # 12-alyaum
            ("بحوالي 1.0% في عامي", "بحوالي 1.0 بالمئة في عامي"),  # 12-alyaum
            ("نسبة ٥٠٪ فقط", "نسبة ٥٠ بالمئة فقط"),
            ("نسبة ١٢٫٥ ٪ فقط", "نسبة ١٢٫٥ بالمئة فقط"),
            ("نسبة 12,5 % فقط", "نسبة 12,5 بالمئة فقط"),
            ("نسبة %20 فقط", "نسبة 20 بالمئة فقط"),
            ("نسبة ٪ ٣٠ فقط", "نسبة ٣٠ بالمئة فقط"),
            ("المؤشر 0.2 في المئة", "المؤشر 0.2 في المئة"),  # 02-alyaum already spells it out
            ("علامة % وحدها", "علامة % وحدها"),
        ],
    ),
    *cases(
        n.strip_emoji,
        [
            ("وسم السعودية 😀👍", "وسم السعودية  "),  # espeak: "a face with a wide smile"
            ("علم 🇸🇦 المملكة", "علم   المملكة"),
            ("نص بلا رموز", "نص بلا رموز"),
        ],
    ),
    *cases(
        n.years,
        [
            # 11-aleqtisadiya and 12-alyaum
            ('"أبها يجمعنا" 1436هـ، إلى جانب', '"أبها يجمعنا" 1436 هجرية، إلى جانب'),
            ("منذ منتصف عام 2014م، يعود", "منذ منتصف عام 2014، يعود"),
            ("في عامي 2015، 2016م، وسيرتفع", "في عامي 2015، 2016، وسيرتفع"),
            ("عام 1436 ه", "عام 1436 هجرية"),
            ("عام 2014 م.", "عام 2014."),
            ("نحو 50 مليونا", "نحو 50 مليونا"),  # م starting a word stays
            ("المئة 2014 مليار", "المئة 2014 مليار"),
        ],
    ),
    *cases(
        n.month_glosses,
        [
            ("في 15 يوليو (تموز) 2014", "في 15 يوليو 2014"),
            ("أكتوبر ( تشرين الأول )", "أكتوبر"),
            ("يوليو (الماضي)", "يوليو (الماضي)"),
        ],
    ),
    *cases(
        n.unglue_digits,
        [
            ("حلت في27 يوليو ذكرى", "حلت في 27 يوليو ذكرى"),  # 10-okaz
            ("يوليو2015", "يوليو 2015"),
            ("2015يوليو", "2015 يوليو"),
            ("و50 دولارا", "و50 دولارا"),  # the conjunction stays on its number
        ],
    ),
    *cases(
        n.thousands,
        [
            ("1,250 ريالا", "1250 ريالا"),
            ("١٬٢٥٠ ريالا", "١٢٥٠ ريالا"),  # espeak: "one, two hundred and fifty"
            ("1,250,000 دولار", "1250000 دولار"),
            ("في عامي 2015, 2016", "في عامي 2015, 2016"),
            ("12,5 %", "12,5 %"),
        ],
    ),
    *cases(
        n.decimal_separator,
        [
            ("٣٫٥ بالمئة", "٣.٥ بالمئة"),  # espeak skips ٫ and its فاصل
            ("3.5 في المئة", "3.5 في المئة"),
            ("البالغ 7ر10 مليار", "البالغ 10.7 مليار"),  # the archive's aleqtisadiya
            ("أطوالهم 83ر1 متر", "أطوالهم 1.83 متر"),
            ("ربع ر1", "ربع ر1"),
        ],
    ),
    *cases(
        n.times,
        [
            ("الساعة 08:30 صباحا", "الساعة الثامنة والنصف صباحا"),
            ("عند 14:45", "عند الثالثة إلا الربع"),
            ("عند 9:00", "عند التاسعة"),
            ("عند 12:15", "عند الثانية عشرة والربع"),
            ("عند 10:20", "عند العاشرة و20 دقيقة"),
            ("فاز 2:1", "فاز 2:1"),  # a score, not a time
            ("قال: 30", "قال: 30"),
        ],
    ),
    *cases(
        n.ranges,
        [
            ("موسم 2014-2015", "موسم 2014 إلى 2015"),
            ("من 10 - 15 يوما", "من 10 إلى 15 يوما"),
            ("1- التطورات الأخيرة", "1- التطورات الأخيرة"),  # 12-alyaum heading
            ("فاز 5-4 بعد", "فاز 5 - 4 بعد"),  # a score: two numbers, not a range
            ("بين 70-50 في المائة", "بين 70 و50 في المائة"),  # archive
            ("2-الفوائض النفطية", "2-الفوائض النفطية"),
        ],
    ),
    *cases(
        n.currencies,
        [
            ("بسعر $50", "بسعر 50 دولار"),
            ("بسعر 50$", "بسعر 50 دولار"),
            ("نحو €1.5 مليار", "نحو 1.5 مليار يورو"),  # the currency goes last
            ("قيمتها $50 مليون", "قيمتها 50 مليون دولار"),
            ("قيمتها 40$ مليار", "قيمتها 40 مليار دولار"),
            ("قيمتها 50 ر.س", "قيمتها 50 ريال سعودي"),  # Google spells ر.س letter by letter
            ("قيمتها 20 د.إ.", "قيمتها 20 درهم إماراتي"),
            ("249.7 مليون ريال", "249.7 مليون ريال"),  # 02-alyaum, read right already
        ],
    ),
    *cases(
        n.units,
        [
            ("مسافة 10 كم", "مسافة 10 كيلومتر"),
            ("وزنه 5كجم", "وزنه 5 كيلوغرام"),
            ("كم عددهم", "كم عددهم"),  # "how many"
        ],
    ),
    *cases(
        n.abbreviations,
        [
            ("قال د. أحمد", "قال الدكتور أحمد"),  # espeak pauses after the full stop
            ("ود. سامي", "والدكتور سامي"),
            ("م. خالد", "المهندس خالد"),  # espeak: "mīm"
            ("أ.د. محمد", "الأستاذ الدكتور محمد"),  # espeak: "hamza on alef, dal"
            ("ص.ب 123", "صندوق بريد 123"),
            ("الأحافير والنحاسيات إلخ.", "الأحافير والنحاسيات إلى آخره."),
            ("عام 2014 م.", "عام 2014 م."),  # left to `years`
            ("مدير دار", "مدير دار"),
        ],
    ),
    *cases(
        n.links,
        [
            ("الرابط http://sabq.org/m7Dgde", "الرابط sabq دوت org"),
            ("موقع www.alriyadh.com/1070936 للمزيد", "موقع alriyadh دوت com للمزيد"),
            ("راسلونا info@spa.gov.sa", "راسلونا info آت spa دوت gov دوت sa"),
            ("نهاية الجملة. وبداية", "نهاية الجملة. وبداية"),
        ],
    ),
    *cases(
        n.hashtags,
        [
            ("دشنوا #السعودية_تنتصر اليوم", "دشنوا هاشتاغ السعودية تنتصر اليوم"),
            ("&#1234;", "&#1234;"),
        ],
    ),
    *cases(
        n.collapse_whitespace,
        [
            # 03-sabq: runs of spaces and no-break spaces between sentences.
            ("الأمنية.\xa0 \xa0وكان", "الأمنية. وكان"),
            ("  تحليل نفسية المستخدمين\xa0", "تحليل نفسية المستخدمين"),
            ("سطر\nوسطر\tآخر", "سطر وسطر آخر"),
        ],
    ),
]


@pytest.mark.parametrize(("step", "given", "expected"), TABLE)
def test_step(step: Callable[[str], str], given: str, expected: str) -> None:
    assert step(given) == expected


def test_pipeline_has_every_step_once() -> None:
    names = [step.__name__ for step in n.PIPELINE]
    assert len(names) == len(set(names))
    assert names[-1] == "collapse_whitespace"


def test_normalize_applies_the_steps_together() -> None:
    text = "\u200f  زادت   الأرباح ٪١٠ في 1436هـ \u200c في فیس بوک\xa0"
    assert n.normalize(text) == (
        "زادت الأرباح عشرة بالمئة في ألف وأربعمئة وستة وثلاثين هجرية في فيس بوك"
    )


def test_percent_made_of_invisible_gap_still_spoken() -> None:
    # Steps that remove invisible characters must run before the percent step.
    assert n.normalize("90\u200f%") == "تسعون بالمئة"


def test_normalize_is_idempotent_on_the_seed() -> None:
    seed = Path(__file__).parents[1] / "data" / "corpus" / "seed" / "whatsapp-privacy.txt"
    once = n.normalize(seed.read_text(encoding="utf-8"))
    assert n.normalize(once) == once
    assert "\xa0" not in once


@pytest.mark.parametrize(
    "text",
    [
        # Read right by both engines already: left exactly as written.
        "صندوق IMF وتطبيق WhatsApp",  # espeak switches to English; Google reads Latin itself
        "زاد المؤشر اثنين في المئة",  # numbers already in words
        "ولد في الخامس والعشرين من يناير",
    ],
)
def test_text_read_right_is_not_changed(text: str) -> None:
    assert n.normalize(text) == text
