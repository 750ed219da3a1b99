"""When each episode is published: the dates the feed gives its items.

An article's own date (front matter `date`) always wins. Without one, an episode
is dated by its first publication, recorded in the build state and never changed
afterwards. Articles first published by the same build would all get the build's
time, and podcast apps, unable to tell which is newest, fall back to feed order;
so each gets its own second instead: in the articles' order (sorted by file
name), one second apart, the last at the build's time. The feed lists episodes
newest first, so the last file name comes first, and the times depend only on
the build's time (`SOURCE_DATE_EPOCH` pins it) and the articles' names.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta

EARLIEST_DATE = datetime(1900, 1, 1, tzinfo=UTC)
END_OF_DATES = datetime(9999, 1, 1, tzinfo=UTC)
"""An episode's date is within these (the reader holds an article's `date` to them):
RFC 2822 dates in the feed have four-digit years (parsers read `Mon, 01 Jan 1` as
2001), and a date in the year 9999 overflows once moved to another timezone."""

STEP = timedelta(seconds=1)
"""Between episodes first published by one build; RFC 2822 dates count whole seconds."""


def first_published(
    slugs: Sequence[str],
    recorded: Mapping[str, datetime],
    now: datetime,
    *,
    taken: Collection[datetime] = (),
) -> dict[str, datetime]:
    """Each slug's first-publication time: as `recorded`, else a new one at or before `now`.

    `slugs` are the articles in their order. The new ones get distinct whole seconds,
    ascending in that order, the last at `now` (with its microseconds dropped). A
    second that a recorded time or one in `taken` (the other episodes' dates) holds
    is stepped over, back in time, so none shares a date with a published episode
    and none is dated in the future.
    """
    result = {slug: recorded[slug] for slug in slugs if slug in recorded}
    fresh = list(dict.fromkeys(slug for slug in slugs if slug not in recorded))
    used = {_second(t) for t in (*recorded.values(), *taken)}
    when = _second(now)
    for slug in reversed(fresh):
        while when in used:
            when -= STEP
        result[slug] = when
        used.add(when)
    return result


def pub_date(own: datetime | None, first: datetime) -> datetime:
    """The date an episode is published under: the article's own, else its first publication."""
    return own if own is not None else first


def _second(when: datetime) -> datetime:
    return when.replace(microsecond=0)
