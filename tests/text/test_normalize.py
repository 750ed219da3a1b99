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
    assert n.normalize(text) == "زادت الأرباح ١٠ بالمئة في 1436ه في فيس بوك"


def test_percent_made_of_invisible_gap_still_spoken() -> None:
    # Steps that remove invisible characters must run before the percent step.
    assert n.normalize("90\u200f%") == "90 بالمئة"


def test_normalize_is_idempotent_on_the_seed() -> None:
    seed = Path(__file__).parents[1] / "data" / "corpus" / "seed" / "whatsapp-privacy.txt"
    once = n.normalize(seed.read_text(encoding="utf-8"))
    assert n.normalize(once) == once
    assert "\xa0" not in once
