"""An RSS or Atom feed's items: the one adapter of feedparser.

feedparser reads every flavour of RSS and Atom, survives small errors in the XML
and cleans the HTML it hands back. It is given the feed's bytes, never an address
(it would fetch one itself, past the importer's limits).
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser


class NotAFeed(ValueError):
    """The bytes are not an RSS or Atom feed; the message says what they are."""


@dataclass(frozen=True)
class FeedItem:
    link: str | None
    """The item's page (its `link`, else its GUID when that is an address)."""
    key: str
    """What names the item from one run to the next: its GUID, else its link."""
    fingerprint: str
    """Changes when the item does (a new date, title or text): the page is fetched again."""
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    content_html: str | None = None
    """The item's own full content (`content:encoded`, Atom `content`), if any."""


def parse_feed(body: bytes) -> list[FeedItem]:
    """The items of the feed in `body`, or `NotAFeed`."""
    parsed = feedparser.parse(body, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.get("entries"):
        error = parsed.get("bozo_exception")
        why = f" ({str(error)[:160]})" if error else ""
        raise NotAFeed(f"not an RSS or Atom feed{why}")
    items = []
    for entry in parsed.get("entries", []):
        item = _item(entry)
        if item is not None:
            items.append(item)
    return items


def _item(entry: Any) -> FeedItem | None:
    link = _text(entry.get("link"))
    guid = _text(entry.get("id"))
    if not link and guid and guid.lower().startswith(("http://", "https://")):
        link = guid
    key = guid or link
    if not key:
        return None
    content = None
    for part in entry.get("content") or []:
        value = _text(part.get("value"))
        if value and (content is None or len(value) > len(content)):
            content = value
    published = _when(entry.get("published_parsed") or entry.get("updated_parsed"))
    stamp = _text(entry.get("published")) or _text(entry.get("updated")) or ""
    title = _text(entry.get("title"))
    digest = hashlib.sha256()
    for part in (key, link or "", stamp, title or "", content or ""):
        digest.update(part.encode("utf-8", errors="replace") + b"\0")
    return FeedItem(
        link=link,
        key=key,
        fingerprint=digest.hexdigest()[:20],
        title=title,
        author=_text(entry.get("author")),
        published=published,
        content_html=content,
    )


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None
