"""Which bulletin each article belongs to: periods, when they close, and late articles.

Everything here is pure: dates and plain mappings in, plain data out.

A day's period ends on that day at `closes_at` (local time; 24 is midnight at its
end) and began a day earlier; a week's ends on its Sunday. An article belongs to
the period its date falls in. Once a period's bulletin is out, an article dated
in it that arrives later goes into the next bulletin not yet out, or with
`late = "amend"` into its own period's bulletin, which is then rebuilt.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from nashra.config.bulletin import Bulletin


@dataclass(frozen=True)
class Period:
    key: str
    """`2026-12-02` for a day, `2026-W49` for a week: the bulletin's slug is made from it."""
    day: date
    """The day the bulletin is dated: the day itself, or the week's last day."""
    start: datetime
    end: datetime
    """Timezone-aware; the period is [start, end)."""

    @property
    def slug(self) -> str:
        return f"bulletin-{self.key}"


@dataclass(frozen=True)
class Planned:
    """A bulletin a build makes: its period and its articles' slugs, in order."""

    period: Period
    slugs: tuple[str, ...]
    left_out: tuple[str, ...] = ()
    """Articles past `max_articles`."""


def period_ending(day: date, config: Bulletin) -> Period:
    """The period whose bulletin is dated `day` (for a week, the week holding `day`)."""
    zone = ZoneInfo(config.timezone)
    if config.period == "week":
        day = day + timedelta(days=6 - day.weekday())
        year, week, _ = day.isocalendar()
        key, length = f"{year}-W{week:02d}", 7
    else:
        key, length = day.isoformat(), 1
    end_local = datetime(day.year, day.month, day.day) + timedelta(hours=config.closes_at)
    start_local = end_local - timedelta(days=length)
    return Period(key, day, start_local.replace(tzinfo=zone), end_local.replace(tzinfo=zone))


def period_of(moment: datetime, config: Bulletin) -> Period:
    """The period `moment` (timezone-aware) falls in."""
    local = moment.astimezone(ZoneInfo(config.timezone)).replace(tzinfo=None)
    day = (local - timedelta(hours=config.closes_at)).date() + timedelta(days=1)
    return period_ending(day, config)


def following(period: Period, config: Bulletin) -> Period:
    return period_ending(period.day + timedelta(days=7 if config.period == "week" else 1), config)


def plan_bulletins(
    config: Bulletin,
    dates: Mapping[str, datetime],
    assigned: Mapping[str, str],
    published: Collection[str],
    now: datetime,
    *,
    forced: Collection[str] = (),
) -> list[Planned]:
    """The bulletins of every closed period (and of the `forced` period keys, and those
    out already) with articles.

    `dates` is each published article's date by slug; `assigned` the period key
    each article already went out in; `published` the keys of bulletins out.
    """
    members: dict[str, list[tuple[datetime, str]]] = {}
    periods: dict[str, Period] = {}
    for slug, when in dates.items():
        period = period_of(when, config)
        if slug in assigned:
            period = period_ending(_day_of(assigned[slug], config), config)
        elif period.key in published and config.late == "next":
            while period.key in published:
                period = following(period, config)
        periods[period.key] = period
        members.setdefault(period.key, []).append((when, slug))
    planned = []
    for key in sorted(members):
        period = periods[key]
        if period.end > now and key not in forced and key not in published:
            continue  # a bulletin made on demand before its period closed stays out
        slugs = [slug for _, slug in sorted(members[key])]
        limit = config.max_articles or len(slugs)
        planned.append(Planned(period, tuple(slugs[:limit]), tuple(slugs[limit:])))
    return planned


def _day_of(key: str, config: Bulletin) -> date:
    if "-W" in key:
        year, week = key.split("-W")
        return date.fromisocalendar(int(year), int(week), 7)
    return date.fromisoformat(key)


def parse_day(text: str, config: Bulletin) -> Period:
    """`2026-12-02` (or a week key `2026-W49`) as the period of that bulletin.

    A period of the other kind than the project's is refused: a week of a daily
    project would be read as its Sunday, a day of a weekly one as its week.
    """
    text = text.strip()
    try:
        period = period_ending(_day_of(text, config), config)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date: write it as YYYY-MM-DD (or YYYY-Www for a week)"
        ) from None
    weekly = config.period == "week"
    if "-W" in text and not weekly:
        raise ValueError(
            f"{text} is a week, but this project's bulletins are daily "
            '([bulletin] period = "day"): give a day, YYYY-MM-DD'
        )
    if "-W" not in text and weekly:
        raise ValueError(
            f"{text} is a day, but this project's bulletins are weekly "
            f'([bulletin] period = "week"): give its week, {period.key}'
        )
    return period
