"""A bulletin's date, said and written in Arabic: Gregorian, and Hijri (Umm al-Qura).

The one module that talks to `hijridate`. Spoken forms follow broadcast usage:
the weekday, the day as an ordinal in the genitive after `من`'s governing phrase
(الحادي والعشرين من مارس), the year as a cardinal in the genitive after عام (عام
ألفين وخمسة وعشرين), and for the Hijri date `للهجرة` after the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hijridate import Gregorian

from nashra.text.number_words import GREGORIAN_MONTHS, HIJRI_MONTHS, cardinal, ordinal

WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
"""Monday first, as `date.weekday()` counts."""
HIJRI_MONTHS_WRITTEN = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
    "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)  # fmt: skip
"""Hijri months as written standing alone (in the nominative)."""


@dataclass(frozen=True)
class HijriDate:
    year: int
    month: int
    day: int


def hijri(day: date) -> HijriDate:
    """The Umm al-Qura Hijri date of a Gregorian day (1924 to 2077, its tables' range)."""
    try:
        converted = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError as exc:
        raise ValueError(f"{day.isoformat()} is outside the Umm al-Qura calendar: {exc}") from exc
    return HijriDate(converted.year, converted.month, converted.day)


def spoken_gregorian(day: date, *, weekday: bool = True) -> str:
    """الأربعاء الثاني من ديسمبر عام ألفين وستة وعشرين."""
    said = (
        f"{ordinal(day.day, 'm', 'gen')} من {GREGORIAN_MONTHS[day.month - 1]} "
        f"عام {cardinal(day.year, 'm', 'gen')}"
    )
    return f"{WEEKDAYS[day.weekday()]} {said}" if weekday else said


def spoken_hijri(day: date) -> str:
    """الحادي عشر من جمادى الآخرة عام ألف وأربعمئة وثمانية وأربعين للهجرة."""
    h = hijri(day)
    return (
        f"{ordinal(h.day, 'm', 'gen')} من {HIJRI_MONTHS[h.month - 1]} "
        f"عام {cardinal(h.year, 'm', 'gen')} للهجرة"
    )


def written_gregorian(day: date) -> str:
    """As Arabic news sites write it: الأربعاء 2 ديسمبر 2026."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {GREGORIAN_MONTHS[day.month - 1]} {day.year}"


def written_hijri(day: date) -> str:
    """11 جمادى الآخرة 1448 هـ."""
    h = hijri(day)
    return f"{h.day} {HIJRI_MONTHS_WRITTEN[h.month - 1]} {h.year} هـ"


def spoken_date(day: date, *, with_hijri: bool) -> str:
    """The date a bulletin's opening says: Gregorian, then `الموافق` and the Hijri date
    (when the day is in the Umm al-Qura tables: an archive's articles may be older)."""
    said = spoken_gregorian(day)
    return f"{said}، الموافق {spoken_hijri(day)}" if with_hijri and _tabled(day) else said


def written_date(day: date, *, with_hijri: bool) -> str:
    """The date in a bulletin's title and pages (the Hijri one as `spoken_date` says it)."""
    written = written_gregorian(day)
    return f"{written} ({written_hijri(day)})" if with_hijri and _tabled(day) else written


def _tabled(day: date) -> bool:
    try:
        hijri(day)
    except ValueError:
        return False
    return True
