"""`[bulletin]` in podcast.toml: what a bulletin covers and how it is framed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nashra.core.errors import SettingsError


@dataclass(frozen=True)
class Bulletin:
    """`[bulletin]`: one episode per closed period, built from its articles' own clips."""

    enabled: bool = False
    period: str = "day"
    """`day`, or `week` (Monday to Sunday)."""
    timezone: str = "UTC"
    """The IANA time zone the periods are counted in, e.g. `Asia/Riyadh`."""
    closes_at: int = 24
    """The hour (1 to 24, local time) at which a period's last day closes."""
    title: str = "نشرة {date}"
    """The bulletin's title; `{date}` is replaced by its date as news sites write it."""
    intro: str = ""
    outro: str = ""
    max_articles: int = 0
    """At most this many articles per bulletin, the earliest first; 0: no limit."""
    articles_in_main_feed: bool = True
    hijri: bool = False
    """Read the Hijri (Umm al-Qura) date after the Gregorian one."""
    late: str = "next"
    """An article dated in a period whose bulletin is out: `next` bulletin, or `amend` it."""


def validate_bulletin(fail: Callable[[str], SettingsError], b: Bulletin) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if b.period not in ("day", "week"):
        raise fail(f"`bulletin.period` must be `day` or `week`, got {b.period!r}")
    try:
        ZoneInfo(b.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(
            f"`bulletin.timezone` must be an IANA time zone such as `Asia/Riyadh`, "
            f"got {b.timezone!r}"
        ) from None
    if not 1 <= b.closes_at <= 24:
        raise fail("`bulletin.closes_at` must be an hour between 1 and 24 (24: midnight)")
    if b.max_articles < 0:
        raise fail("`bulletin.max_articles` must be 0 (no limit) or more")
    if b.late not in ("next", "amend"):
        raise fail(f"`bulletin.late` must be `next` or `amend`, got {b.late!r}")
    try:
        b.title.format(date="")
    except (KeyError, IndexError, ValueError):
        raise fail("`bulletin.title` may hold `{date}` and no other {…} field") from None
