"""Publication dates: distinct, in the articles' order, stable, and an article's own date wins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from nashra.core.pubdates import first_published, pub_date

NOW = datetime(2026, 12, 2, 9, 30, 0, 400_000, tzinfo=UTC)
WHOLE_NOW = NOW.replace(microsecond=0)
EARLIER = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
RIYADH = timezone(timedelta(hours=3))


def seconds_before_now(slugs: list[str], *offsets: int) -> dict[str, datetime]:
    """Each slug dated `offset` seconds before the build's time."""
    return {slug: WHOLE_NOW - timedelta(seconds=s) for slug, s in zip(slugs, offsets, strict=True)}


@pytest.mark.parametrize(
    ("slugs", "recorded", "taken", "expected"),
    [
        # One new article: the build's time, to the second.
        (["01-alwatan"], {}, [], {"01-alwatan": WHOLE_NOW}),
        # Several: one second apart in the articles' order, the last at the build's time.
        (
            ["01-alwatan", "03-sabq", "04-alweeam"],
            {},
            [],
            seconds_before_now(["01-alwatan", "03-sabq", "04-alweeam"], 2, 1, 0),
        ),
        # Published before: kept as recorded, whatever the new ones get.
        (
            ["01-alwatan", "03-sabq", "04-alweeam"],
            {"03-sabq": EARLIER},
            [],
            {
                "01-alwatan": WHOLE_NOW - timedelta(seconds=1),
                "03-sabq": EARLIER,
                "04-alweeam": WHOLE_NOW,
            },
        ),
        # A second another episode holds (a rebuild within a second, or SOURCE_DATE_EPOCH
        # pinned) is skipped, going back in time, never into the future.
        (
            ["01-alwatan", "03-sabq"],
            {"00-old": WHOLE_NOW},
            [],
            seconds_before_now(["01-alwatan", "03-sabq"], 2, 1),
        ),
        # ... and so is one an article's own date holds (compared as instants).
        (
            ["01-alwatan", "03-sabq"],
            {},
            [WHOLE_NOW.astimezone(RIYADH)],
            seconds_before_now(["01-alwatan", "03-sabq"], 2, 1),
        ),
        # The same slug twice (two files, one slug) gets one time.
        (["03-sabq", "03-sabq"], {}, [], {"03-sabq": WHOLE_NOW}),
        ([], {}, [], {}),
    ],
)
def test_first_published(
    slugs: list[str],
    recorded: dict[str, datetime],
    taken: list[datetime],
    expected: dict[str, datetime],
) -> None:
    assert first_published(slugs, recorded, NOW, taken=taken) == expected


def test_distinct_ordered_and_never_after_now_for_many_articles() -> None:
    slugs = [f"{n:03d}-article" for n in range(200)]
    times = first_published(slugs, {}, NOW)
    assert [times[s] for s in slugs] == sorted(set(times.values()))
    assert max(times.values()) == WHOLE_NOW
    assert all(t.microsecond == 0 for t in times.values())


def test_deterministic_and_stable_across_rebuilds() -> None:
    slugs = ["01-alwatan", "03-sabq"]
    first = first_published(slugs, {}, NOW)
    assert first_published(slugs, {}, NOW) == first
    # The next build, later, with one more article: the first two keep their times.
    later = NOW + timedelta(hours=5)
    second = first_published([*slugs, "07-3alyoum"], first, later)
    assert second == {**first, "07-3alyoum": later.replace(microsecond=0)}


def test_the_articles_own_date_wins() -> None:
    own = datetime(2015, 8, 6, 4, 37, 47, tzinfo=RIYADH)
    assert pub_date(own, WHOLE_NOW) == own
    assert pub_date(None, WHOLE_NOW) == WHOLE_NOW
