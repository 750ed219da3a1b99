"""Which bulletin an article belongs to: periods, closing hours, late articles."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nashra.config.bulletin import Bulletin
from nashra.stages.bulletins.periods import following, parse_day, period_of, plan_bulletins

RIYADH = Bulletin(enabled=True, timezone="Asia/Riyadh")  # UTC+3 all year


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("config", "moment", "key"),
    [
        (RIYADH, "2025-03-01T20:59:59", "2025-03-01"),  # 23:59:59 in Riyadh
        (RIYADH, "2025-03-01T21:00:00", "2025-03-02"),  # midnight in Riyadh
        (RIYADH, "2025-02-28T21:00:00", "2025-03-01"),
        # Closing at 18:00: what comes after the close goes into the next day's bulletin.
        (Bulletin(timezone="Asia/Riyadh", closes_at=18), "2025-03-01T14:59:00", "2025-03-01"),
        (Bulletin(timezone="Asia/Riyadh", closes_at=18), "2025-03-01T15:00:00", "2025-03-02"),
        # Weeks run Monday to Sunday (ISO weeks); 2 March 2025 is a Sunday.
        (Bulletin(period="week"), "2025-02-24T00:00:00", "2025-W09"),
        (Bulletin(period="week"), "2025-03-02T23:59:59", "2025-W09"),
        (Bulletin(period="week"), "2025-03-03T00:00:00", "2025-W10"),
        # The week of New Year 2025-12-29 .. 2026-01-04 is ISO week 1 of 2026.
        (Bulletin(period="week"), "2025-12-31T12:00:00", "2026-W01"),
    ],
)
def test_period_of(config: Bulletin, moment: str, key: str) -> None:
    assert period_of(utc(moment), config).key == key


def test_a_period_runs_from_one_close_to_the_next() -> None:
    period = period_of(utc("2025-03-01T10:00:00"), RIYADH)
    assert period.start == utc("2025-02-28T21:00:00")
    assert period.end == utc("2025-03-01T21:00:00")
    assert period.day == date(2025, 3, 1)
    assert following(period, RIYADH).key == "2025-03-02"
    week = parse_day("2025-W09", Bulletin(period="week"))
    assert (week.key, week.day) == ("2025-W09", date(2025, 3, 2))


def test_a_period_of_the_other_kind_is_refused_naming_the_right_one() -> None:
    # A week asked of a daily project would be read as its Sunday; a day asked of a
    # weekly project as its week: neither is the bulletin asked for.
    with pytest.raises(ValueError, match=r"2025-W09 is a week.*daily.*YYYY-MM-DD"):
        parse_day("2025-W09", RIYADH)
    with pytest.raises(ValueError, match=r"2025-02-26 is a day.*weekly.*2025-W09"):
        parse_day("2025-02-26", Bulletin(period="week"))


def test_a_date_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("2025-02-30", RIYADH)


DATES = {
    "a": utc("2025-02-27T06:00:00"),
    "b": utc("2025-02-27T12:00:00"),
    "c": utc("2025-02-28T06:00:00"),
    "d": utc("2025-03-01T06:00:00"),  # its period is still open
}
NOW = utc("2025-03-01T12:00:00")


def test_only_closed_periods_with_articles_get_a_bulletin() -> None:
    plans = plan_bulletins(RIYADH, DATES, {}, set(), NOW)
    assert [(p.period.key, p.slugs) for p in plans] == [
        ("2025-02-27", ("a", "b")),
        ("2025-02-28", ("c",)),
    ]
    forced = plan_bulletins(RIYADH, DATES, {}, set(), NOW, forced={"2025-03-01"})
    assert forced[-1].slugs == ("d",)


def test_max_articles_keeps_the_earliest() -> None:
    config = Bulletin(timezone="Asia/Riyadh", max_articles=1)
    plans = plan_bulletins(config, DATES, {}, set(), NOW)
    assert (plans[0].slugs, plans[0].left_out) == (("a",), ("b",))


def test_a_late_article_goes_into_the_next_bulletin_not_yet_out() -> None:
    late = {**DATES, "late": utc("2025-02-27T18:00:00")}
    assigned = {"a": "2025-02-27", "b": "2025-02-27", "c": "2025-02-28"}
    out = {"2025-02-27", "2025-02-28"}
    plans = plan_bulletins(RIYADH, late, assigned, out, NOW)
    # The next bulletin not yet out is 1 March's, still open: it waits for it.
    assert [(p.period.key, p.slugs) for p in plans] == [
        ("2025-02-27", ("a", "b")),
        ("2025-02-28", ("c",)),
    ]
    later = plan_bulletins(RIYADH, late, assigned, out, utc("2025-03-02T00:00:00"))
    assert later[-1].period.key == "2025-03-01"
    assert later[-1].slugs == ("late", "d")


def test_a_late_article_amends_its_own_bulletin_when_asked() -> None:
    config = Bulletin(timezone="Asia/Riyadh", late="amend")
    late = {**DATES, "late": utc("2025-02-27T18:00:00")}
    assigned = {"a": "2025-02-27", "b": "2025-02-27", "c": "2025-02-28"}
    plans = plan_bulletins(config, late, assigned, {"2025-02-27", "2025-02-28"}, NOW)
    assert plans[0].slugs == ("a", "b", "late")


def test_a_bulletin_made_on_demand_stays_out_before_its_period_closes() -> None:
    out = {"2025-03-01"}
    plans = plan_bulletins(RIYADH, DATES, {"d": "2025-03-01"}, out, NOW)
    assert [p.period.key for p in plans] == ["2025-02-27", "2025-02-28", "2025-03-01"]
