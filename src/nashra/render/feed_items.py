"""The episodes a published `feed.xml` lists, read back: what a lost build state is
rebuilt from, and what `nashra publish` compares the new feed with.

Only the fields nashra writes are read (`feed.py`): GUID, enclosure, dates,
duration, title, description, author, the episode page and cover. A URL under
`base_url` becomes the path of its file relative to `output/`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

from nashra.render.feed import ITUNES_NS, PODCAST_NS


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    file: str | None
    """The enclosure, relative to `output/` (None when it is not under `base_url`)."""
    length: int
    pub_date: datetime | None
    duration: float = 0.0
    description: str = ""
    author: str | None = None
    page: str | None = None
    """The episode's web page, relative to `output/`."""
    image: str | None = None
    """The episode's own cover, relative to `output/`."""


@dataclass(frozen=True)
class PublishedFeed:
    podcast_guid: str | None
    """The channel's `podcast:guid`."""
    items: list[FeedItem]


def read_feed(data: bytes, base_url: str) -> PublishedFeed:
    """The RSS feed `data` and its items, in feed order; ValueError if it is no RSS feed."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed XML ({exc})") from exc
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ValueError("not an RSS feed")
    items = []
    for item in channel.iterfind("item"):
        guid = (item.findtext("guid") or "").strip()
        enclosure = item.find("enclosure")
        url = enclosure.get("url", "") if enclosure is not None else ""
        link = item.find(f"{{{ITUNES_NS}}}image")
        items.append(
            FeedItem(
                guid=guid,
                title=(item.findtext("title") or "").strip(),
                file=relative_path(url, base_url),
                length=_number(enclosure.get("length") if enclosure is not None else None),
                pub_date=_date(item.findtext("pubDate")),
                duration=float(_number(item.findtext(f"{{{ITUNES_NS}}}duration"))),
                description=(item.findtext("description") or "").strip(),
                author=(item.findtext(f"{{{ITUNES_NS}}}author") or "").strip() or None,
                page=relative_path(item.findtext("link") or "", base_url),
                image=relative_path(link.get("href", "") if link is not None else "", base_url),
            )
        )
    podcast_guid = (channel.findtext(f"{{{PODCAST_NS}}}guid") or "").strip()
    return PublishedFeed(podcast_guid or None, items)


def relative_path(url: str, base_url: str) -> str | None:
    """The file under `output/` that `url` names, if it is under `base_url`."""
    prefix = base_url.rstrip("/") + "/"
    url = url.strip()
    if not url.startswith(prefix):
        return None
    relative = unquote(url.removeprefix(prefix))
    parts = relative.split("/")
    if not relative or any(part in ("", ".", "..") for part in parts):
        return None
    return relative


def _number(text: str | None) -> int:
    try:
        return max(0, int(float(text or "0")))
    except ValueError:
        return 0


def _date(text: str | None) -> datetime | None:
    try:
        when = parsedate_to_datetime((text or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else None
