"""Bulletin dates in Arabic. Hijri dates are the Umm al-Qura calendar's (Saudi Arabia's
official one), checked against announced dates: Ramadan 1446 began on Saturday
1 March 2025, Eid al-Fitr (1 Shawwal) was Sunday 30 March 2025, the day of Eid
al-Adha (10 Dhu al-Hijjah 1446) Friday 6 June 2025, and 1447 began on Thursday
26 June 2025. Spoken forms: the day as an ordinal in the genitive after the
weekday, `من` and the month (ذي in the genitive of ذو), the year as a genitive
cardinal after عام."""

from __future__ import annotations

from datetime import date

import pytest

from nashra.stages.bulletins import dates

TABLE = [
    # Gregorian day, spoken Gregorian, spoken Hijri, written Hijri
    (
        date(2025, 2, 28),
        "الجمعة الثامن والعشرين من فبراير عام ألفين وخمسة وعشرين",
        "التاسع والعشرين من شعبان عام ألف وأربعمئة وستة وأربعين للهجرة",
        "29 شعبان 1446 هـ",
    ),
    (  # the month changes in both calendars
        date(2025, 3, 1),
        "السبت الأول من مارس عام ألفين وخمسة وعشرين",
        "الأول من رمضان عام ألف وأربعمئة وستة وأربعين للهجرة",
        "1 رمضان 1446 هـ",
    ),
    (
        date(2025, 3, 30),
        "الأحد الثلاثين من مارس عام ألفين وخمسة وعشرين",
        "الأول من شوال عام ألف وأربعمئة وستة وأربعين للهجرة",
        "1 شوال 1446 هـ",
    ),
    (
        date(2025, 6, 6),
        "الجمعة السادس من يونيو عام ألفين وخمسة وعشرين",
        "العاشر من ذي الحجة عام ألف وأربعمئة وستة وأربعين للهجرة",
        "10 ذو الحجة 1446 هـ",
    ),
    (  # the Hijri year changes
        date(2025, 6, 25),
        "الأربعاء الخامس والعشرين من يونيو عام ألفين وخمسة وعشرين",
        "التاسع والعشرين من ذي الحجة عام ألف وأربعمئة وستة وأربعين للهجرة",
        "29 ذو الحجة 1446 هـ",
    ),
    (
        date(2025, 6, 26),
        "الخميس السادس والعشرين من يونيو عام ألفين وخمسة وعشرين",
        "الأول من محرم عام ألف وأربعمئة وسبعة وأربعين للهجرة",
        "1 محرم 1447 هـ",
    ),
]

GREGORIAN_ONLY = [
    # the Gregorian year changes
    (date(2025, 12, 31), "الأربعاء الحادي والثلاثين من ديسمبر عام ألفين وخمسة وعشرين"),
    (date(2026, 1, 1), "الخميس الأول من يناير عام ألفين وستة وعشرين"),
    (date(2026, 1, 11), "الأحد الحادي عشر من يناير عام ألفين وستة وعشرين"),
    (date(2000, 2, 29), "الثلاثاء التاسع والعشرين من فبراير عام ألفين"),
]


@pytest.mark.parametrize(("day", "gregorian", "hijri", "written"), TABLE)
def test_dates_are_said_in_both_calendars(
    day: date, gregorian: str, hijri: str, written: str
) -> None:
    assert dates.spoken_gregorian(day) == gregorian
    assert dates.spoken_hijri(day) == hijri
    assert dates.written_hijri(day) == written
    assert dates.spoken_date(day, with_hijri=True) == f"{gregorian}، الموافق {hijri}"
    assert dates.spoken_date(day, with_hijri=False) == gregorian


@pytest.mark.parametrize(("day", "gregorian"), GREGORIAN_ONLY)
def test_gregorian_dates_across_a_new_year(day: date, gregorian: str) -> None:
    assert dates.spoken_gregorian(day) == gregorian


def test_written_dates() -> None:
    assert dates.written_date(date(2025, 3, 1), with_hijri=False) == "السبت 1 مارس 2025"
    assert (
        dates.written_date(date(2025, 6, 26), with_hijri=True)
        == "الخميس 26 يونيو 2025 (1 محرم 1447 هـ)"
    )


def test_a_date_outside_the_calendar_says_so() -> None:
    with pytest.raises(ValueError, match="outside the Umm al-Qura calendar"):
        dates.hijri(date(2090, 1, 1))


@pytest.mark.parametrize("day", [date(1900, 1, 1), date(1924, 7, 31), date(2090, 1, 1)])
def test_a_bulletin_outside_the_hijri_tables_gives_only_the_gregorian_date(day: date) -> None:
    # An article may be dated 1900 (the reader's earliest): its bulletin is still made.
    assert dates.spoken_date(day, with_hijri=True) == dates.spoken_gregorian(day)
    assert dates.written_date(day, with_hijri=True) == dates.written_gregorian(day)
