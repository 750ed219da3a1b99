"""`[import]`: the feeds `nashra update` follows, and how politely pages are fetched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from nashra.core.errors import SettingsError
from nashra.readers.sanitize import LinkRejected, web_link


@dataclass(frozen=True)
class Import:
    feeds: tuple[str, ...] = ()
    """RSS or Atom feed addresses (or feed files) that `nashra update` imports."""
    rate: float = 1.0
    """Requests a second to one site, at most."""
    robots: bool = True
    """Obey each site's robots.txt."""
    timeout: float = 30.0
    """Seconds to wait for an answer, and for each part of it."""
    retries: int = 5
    """Tries per request (timeouts, dropped connections, 429, 5xx), the first included."""
    backoff: float = 1.0
    """Seconds before the first retry, doubled for each further one."""
    max_page_mb: float = 10.0
    """A page or feed larger than this is refused."""


def validate_import(fail: Callable[[str], SettingsError], value: Import) -> Import:
    """`value` checked, its feeds a tuple (TOML gives a list; settings are frozen)."""
    if not isinstance(value.feeds, list | tuple) or not all(
        isinstance(f, str) for f in value.feeds
    ):
        raise fail("`import.feeds` must be a list of feed addresses (strings)")
    for feed in value.feeds:
        if feed.lower().startswith(("http://", "https://")):
            try:
                web_link(feed)
            except LinkRejected as exc:
                raise fail(f"`import.feeds`: {feed!r} is not a feed address: {exc}") from None
        elif ":" in feed.split("/")[0]:
            raise fail(f"`import.feeds`: {feed!r}: only http(s) addresses and files are read")
    if not 0 < value.rate <= 100:
        raise fail("`import.rate` must be a number of requests a second, above 0 and at most 100")
    if not 0 < value.timeout <= 600:
        raise fail("`import.timeout` must be a number of seconds, above 0 and at most 600")
    if not 1 <= value.retries <= 20:
        raise fail("`import.retries` must be between 1 and 20")
    if not 0 <= value.backoff <= 120:
        raise fail("`import.backoff` must be between 0 and 120 seconds")
    if not 0 < value.max_page_mb <= 1024:
        raise fail("`import.max_page_mb` must be above 0 and at most 1024")
    return replace(value, feeds=tuple(value.feeds))
