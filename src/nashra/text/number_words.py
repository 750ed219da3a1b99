"""Numbers into Arabic words: cardinals in every gender and case, ordinals, digits,
decimals, and numeric dates (Gregorian and Hijri)."""

from __future__ import annotations

import re
from typing import Literal

from nashra.text.letters import LETTERS

Gender = Literal["m", "f"]
Case = Literal["nom", "gen", "acc"]
"""Nominative, genitive or accusative. The last two are written alike (the
dual and tens end in ـين) except for the tanween alif of a unit joined to
tens: أربعًا وثلاثين as an object, أربعٍ وثلاثين after a preposition."""


TANWEEN_ALIF = "ا"
"""The accusative ending of an indefinite noun, written as the news writes it
(عاما for عامًا): the voice, or the diacritizer, puts the tanween on it."""

# The forms said with a masculine and with a feminine counted noun: from 3 to
# 10 the one said with a masculine noun is the one that looks feminine.
_ONES_M = ("", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة")
_ONES_F = ("", "واحدة", "اثنتان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع", "عشر")
_TENS_STEM = ("", "", "عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")
_HUNDREDS = (
    "", "مئة", "", "ثلاثمئة", "أربعمئة", "خمسمئة", "ستمئة", "سبعمئة", "ثمانمئة", "تسعمئة",
)  # fmt: skip
_ORDINALS_M = (
    "", "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع",
    "العاشر",
)  # fmt: skip
_ORDINALS_F = (
    "", "الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة", "الثامنة",
    "التاسعة", "العاشرة",
)  # fmt: skip
# (singular, dual stem, plural) of the counting words, largest first.
_SCALES = (
    (10**12, "تريليون", "تريليونات"),
    (10**9, "مليار", "مليارات"),
    (10**6, "مليون", "ملايين"),
    (10**3, "ألف", "آلاف"),
)
_LARGEST = 10**15
_DIGIT_NAMES = ("صفر", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة")
DECIMAL_POINT = "فاصل"

GREGORIAN_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
    "نوفمبر", "ديسمبر",
)  # fmt: skip
HIJRI_MONTHS = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
    "رمضان", "شوال", "ذي القعدة", "ذي الحجة",
)  # fmt: skip
"""Hijri months as said after من: ذو القعدة becomes ذي القعدة in the genitive."""
ONE_WORD_MONTHS = frozenset(
    {
        *GREGORIAN_MONTHS,
        *("إبريل", "ابريل", "اغسطس", "أغسطس", "اكتوبر", "أيار", "آذار", "شباط", "نيسان"),
        *("حزيران", "تموز", "آب", "أيلول", "محرم", "صفر", "رجب", "شعبان", "رمضان", "شوال"),
    }
)
TWO_WORD_MONTHS = {
    "ربيع": ("الأول", "الآخر", "الثاني"),
    "جمادى": ("الأولى", "الآخرة", "الثانية", "الأول"),
    "ذو": ("القعدة", "الحجة"),
    "ذي": ("القعدة", "الحجة"),
    "تشرين": ("الأول", "الثاني"),
    "كانون": ("الأول", "الثاني"),
}
YEAR_MARKS = frozenset({"هجرية", "هجري", "ميلادية", "ميلادي", "للهجرة", "للميلاد"})
YEAR_NOUNS = frozenset({"عام", "العام", "لعام", "للعام", "عامي", "سنة", "السنة", "لسنة"})
PERCENT_WORDS = frozenset({"بالمئة", "بالمائة"})
CONNECTORS = frozenset({"أو", "إلى", "الى", "حتى", "و"})
OBLIQUE_CONNECTORS = frozenset({"إلى", "الى", "حتى"})
# Words that follow a number without being what it counts.
NOT_NOUNS = frozenset(
    {
        *("من", "في", "على", "إلى", "الى", "عن", "أو", "و", "ثم", "أي", "ما", "لا", "لم", "لن"),
        *("قد", "إن", "أن", "التي", "الذي", "الذين", "هي", "هو", "هم", "مع", "بين", "حيث", "كما"),
        *("بعد", "قبل", "منذ", "حتى", "فقط", "تقريبا", "بينما", "فيما", "عند", "نحو", "لكل"),
    }
)
# Nisba adjectives that come after currencies (ريال سعودي) and agree with them.
CURRENCY_ADJECTIVES = frozenset(
    {
        *("سعودي", "إماراتي", "مصري", "كويتي", "قطري", "بحريني", "عماني", "أمريكي", "أميركي"),
        *("أردني", "إسترليني", "استرليني", "أسترالي", "كندي", "عراقي", "سوداني", "مغربي", "جزائري"),
        *("تونسي", "ليبي", "يمني", "لبناني", "سوري", "تركي", "إيراني", "هندي", "صيني"),
    }
)


def ones(n: int, gender: Gender) -> str:
    return (_ONES_M if gender == "m" else _ONES_F)[n]


def below_hundred(n: int, gender: Gender, case: Case) -> str:
    """1..99 counting a noun of `gender` (3 to 10 look the opposite: ثلاثة أيام)."""
    obl = case != "nom"
    if n == 1:
        return ones(1, gender) + ("ا" if case == "acc" and gender == "m" else "")
    if n == 2:
        return ("اثنين" if obl else "اثنان") if gender == "m" else ("اثنتين" if obl else "اثنتان")
    if n <= 10:
        return ones(n, gender)
    if n == 11:
        return "أحد عشر" if gender == "m" else "إحدى عشرة"
    if n == 12:
        if gender == "m":
            return "اثني عشر" if obl else "اثنا عشر"
        return "اثنتي عشرة" if obl else "اثنتا عشرة"
    if n < 20:
        return f"{ones(n - 10, gender)} {'عشر' if gender == 'm' else 'عشرة'}"
    tens = _TENS_STEM[n // 10] + ("ين" if obl else "ون")
    unit = n % 10
    if unit == 0:
        return tens
    if unit == 1:
        first = "واحد" if gender == "m" else "إحدى"
    elif unit == 8 and gender == "f":
        first = "ثمانيا" if case == "acc" else "ثمان"  # ثمانٍ وعشرون سنة
    else:
        first = below_hundred(unit, gender, case)
    if case == "acc" and not first.endswith(("ة", "ى", "ين", "ا")):
        first += "ا"  # واحدًا وعشرين، أربعًا وثلاثين
    return f"{first} و{tens}"


def _below_thousand(n: int, gender: Gender, case: Case, construct: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts: list[str] = []
    if hundreds == 2:
        if rest == 0 and construct:
            parts.append("مئتي" if case != "nom" else "مئتا")
        else:
            parts.append("مئتين" if case != "nom" else "مئتان")
    elif hundreds:
        parts.append(_HUNDREDS[hundreds])
    if rest:
        parts.append(below_hundred(rest, gender, case))
    return " و".join(parts)


def dual_of(singular: str, case: Case, construct: bool) -> str | None:
    """مليون → مليونان / مليونين, or مليونا / مليوني in idafa; None where unsure."""
    if singular.endswith(("ى", "ي", "ا")):
        return None
    stem = singular[:-1] + "ت" if singular.endswith("ة") else singular
    if construct:
        return stem + ("ي" if case != "nom" else "ا")
    return stem + ("ين" if case != "nom" else "ان")


def cardinal(n: int, gender: Gender = "m", case: Case = "nom", *, construct: bool = False) -> str:
    """`n` in words, counting a noun of `gender`, in `case`.

    `construct` says that a counted noun follows in the genitive, so that a
    last counting word takes no tanween and a dual loses its ن: أربعون ألف
    دولار, ألفا دولار, مئتا رجل (and standing alone أربعون ألفًا, ألفان).
    Numbers of a quadrillion and more are read digit by digit.
    """
    if n < 0:
        return f"سالب {cardinal(-n, gender, case, construct=construct)}"
    if n == 0:
        return "صفر"
    if n >= _LARGEST:
        return digits(str(n))
    parts: list[str] = []
    rest = n
    for value, singular, plural in _SCALES:
        count, rest = divmod(rest, value)
        if not count:
            continue
        last = rest == 0
        if count == 1:
            parts.append(singular)
        elif count == 2:
            parts.append(dual_of(singular, case, construct and last) or singular)
        else:
            words = cardinal(count, "m", case)
            tail = count % 100
            if 3 <= tail <= 10:
                noun = plural
            elif tail >= 11 and not (last and construct):
                noun = singular + TANWEEN_ALIF
            else:
                noun = singular
            parts.append(f"{words} {noun}")
    if rest:
        parts.append(_below_thousand(rest, gender, case, construct))
    return " و".join(parts)


def ordinal(n: int, gender: Gender = "m", case: Case = "nom") -> str:
    """1..99 as an ordinal with the article: الأول, الحادي عشر, الحادية والعشرون."""
    if not 1 <= n <= 99:
        raise ValueError(f"ordinals are said for 1 to 99, not {n}")
    table = _ORDINALS_M if gender == "m" else _ORDINALS_F
    if n <= 10:
        return table[n]
    ten = "عشر" if gender == "m" else "عشرة"
    if n == 11:
        return f"{'الحادي' if gender == 'm' else 'الحادية'} {ten}"
    if n < 20:
        return f"{table[n - 10]} {ten}"
    tens = "ال" + _TENS_STEM[n // 10] + ("ين" if case != "nom" else "ون")
    unit = n % 10
    if unit == 0:
        return tens
    first = ("الحادي" if gender == "m" else "الحادية") if unit == 1 else table[unit]
    return f"{first} و{tens}"


def digits(text: str) -> str:
    """Each digit by its name: for codes and numbers with a leading zero."""
    return " ".join(_DIGIT_NAMES[int(d)] for d in text if d.isdigit())


def decimal(text: str, case: Case = "nom") -> str:
    """12.4 → اثنا عشر فاصل أربعة; 3.0 → ثلاثة; 0.05 → صفر فاصل صفر خمسة.

    An accusative decimal is read as a genitive one: no tanween on its parts.
    """
    if case == "acc":
        case = "gen"
    whole, _, fraction = text.replace(",", ".").partition(".")
    said = cardinal(int(whole), "m", case)
    fraction = fraction.rstrip("0")
    if not fraction:
        return said
    zeros = len(fraction) - len(fraction.lstrip("0"))
    tail = " ".join(["صفر"] * zeros + [cardinal(int(fraction), "m", case)])
    return f"{said} {DECIMAL_POINT} {tail}"


# ---------------------------------------------------------------------------
# Numeric dates

_DATE_SEPARATOR = r"\s*[/\-–]\s*"
_DAY_FIRST_RE = re.compile(
    rf"(?<![\d/.])(\d{{1,2}}){_DATE_SEPARATOR}(\d{{1,2}}){_DATE_SEPARATOR}(\d{{4}})(?![\d/])"
    rf"(\s*هـ?(?![{LETTERS}]))?"
)
_YEAR_FIRST_RE = re.compile(
    rf"(?<![\d/.])(\d{{4}})\s*/\s*(\d{{1,2}})\s*/\s*(\d{{1,2}})(?![\d/])(\s*هـ?(?![{LETTERS}]))?"
)
_HIJRI_BEFORE = 1600
_SLASH_RE = re.compile(r"(?<=\d)\s*/\s*(?=\d)")


def _date(day: int, month: int, year: int, hijri_mark: bool) -> str | None:
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    months = HIJRI_MONTHS if year < _HIJRI_BEFORE else GREGORIAN_MONTHS
    said = f"{ordinal(day, 'm', 'gen')} من {months[month - 1]} {cardinal(year, 'm', 'gen')}"
    return f"{said} هجرية" if hijri_mark else said


def numeric_dates(text: str) -> str:
    """Say 12/7/2015 as الثاني عشر من يوليو ألفين وخمسة عشر (day first, as the Arab world writes).

    Years before 1600 are Hijri (10/10/1436 → العاشر من شوال …); the year-first
    form 1436/10/30هـ is read the same way. Slashes and dashes alike. A slash
    left between two numbers that are not a date is dropped.
    """

    def day_first(match: re.Match[str]) -> str:
        said = _date(int(match[1]), int(match[2]), int(match[3]), bool(match[4]))
        return match[0] if said is None else said

    def year_first(match: re.Match[str]) -> str:
        said = _date(int(match[3]), int(match[2]), int(match[1]), bool(match[4]))
        return match[0] if said is None else said

    text = _YEAR_FIRST_RE.sub(year_first, _DAY_FIRST_RE.sub(day_first, text))
    # Whatever slash is left between numbers (a score 3/2, a season 1436/1437)
    # is not said: espeak-ng says the English word "slash".
    return _SLASH_RE.sub(" ", text)
