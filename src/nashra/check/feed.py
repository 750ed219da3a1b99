"""The rules on the feed itself: XML, namespaces, channel and item tags, dates, links."""

from __future__ import annotations

import contextlib
import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from nashra.check.files import declarations
from nashra.check.findings import (
    ITUNES,
    MAX_DESCRIPTION_BYTES,
    NS,
    PODCAST,
    PREFIXES,
    WARNING,
    Finding,
)
from nashra.check.media import MediaRules
from nashra.storage import paths


class FeedRules(MediaRules):
    """Every rule: the feed's, and (inherited) those on the files it points to."""

    def run(self, feed_path: Path) -> list[Finding]:
        try:
            data = feed_path.read_bytes()
        except OSError as exc:
            self.add(
                "feed-parse",
                "channel",
                f"cannot read {feed_path}: {exc.strerror}; `nashra build` writes it again",
            )
            return self.findings
        declared: list[tuple[str, str, str]] = []
        try:
            declared = declarations(data)
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            self.add("feed-parse", "channel", f"not well-formed XML: {exc}")
            return self.findings
        if not data.lstrip().startswith(b"<?xml") or b"UTF-8" not in data[:100].upper():
            self.add("feed-parse", "channel", "must start with an XML declaration naming UTF-8")
        channel = root.find("channel")
        if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
            self.add("feed-parse", "channel", 'the root must be <rss version="2.0"> with a channel')
            return self.findings
        self.namespaces(declared)
        self.channel(channel)
        items = channel.findall("item")
        if not items:
            self.add("items", "channel", "the feed has no episodes (Spotify needs at least one)")
        for item in items:
            self.item(item)
        self.across_items(items)
        return self.findings

    def namespaces(self, declared: list[tuple[str, str, str]]) -> None:
        """Every namespace declared once, on <rss>, under its usual prefix: some parsers
        match `psc:` or `itunes:` rather than the namespace."""
        uris = {uri for _, _, uri in declared}
        for prefix, uri in (("itunes", ITUNES), ("podcast", PODCAST)):
            if uri not in uris:
                self.add("namespaces", "channel", f"the {prefix} namespace {uri} is not declared")
        for uri, prefix in dict.fromkeys((u, p) for _, p, u in declared):
            usual = PREFIXES.get(uri)
            if usual is not None and prefix != usual:
                self.add(
                    "namespaces",
                    "channel",
                    f"{uri} has the prefix {f'{prefix}:' if prefix else 'none'}; "
                    f"apps that match prefixes look for {usual}:",
                )
        below: dict[str, list[str]] = {}
        for element, _, uri in declared:
            if element != "rss":
                below.setdefault(uri, []).append(element)
        for uri, elements in below.items():
            self.add(
                "namespaces",
                "channel",
                f"{uri} is declared on {len(elements)} element(s) below <rss>, "
                f"such as <{elements[0]}>; declare it once, on <rss>",
                WARNING,
            )
        on_root = Counter(uri for element, _, uri in declared if element == "rss")
        for uri, count in on_root.items():
            if count > 1:
                self.add(
                    "namespaces", "channel", f"{uri} is declared {count} times on <rss>", WARNING
                )

    def channel(self, channel: ET.Element) -> None:
        for tag in ("title", "description", "link", "language"):
            self.required_text(channel, tag, "channel")
        for tag, why in (
            ("itunes:author", "Spotify shows and requires it"),
            ("itunes:category", "Apple requires it"),
        ):
            if channel.find(tag, NS) is None:
                self.add("channel-required", "channel", f"<{tag}> is missing: {why}")
        for tag in ("podcast:guid", "podcast:locked"):
            if channel.find(tag, NS) is None:
                self.add(
                    "channel-required",
                    "channel",
                    f"<{tag}> is missing (Podcasting 2.0 recommends it)",
                    WARNING,
                )
        self.ai_content(channel)
        self.explicit(channel, "channel")
        self.description(channel, "channel")
        email = channel.findtext("itunes:owner/itunes:email", default="", namespaces=NS)
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email.strip()):
            self.add(
                "owner-email",
                "channel",
                "<itunes:owner><itunes:email> is missing or not an address: "
                "Spotify and YouTube send the ownership code there",
            )
        selfs = [
            a for a in channel.findall("atom:link", NS) if a.get("rel") == "self" and a.get("href")
        ]
        if len(selfs) != 1:
            self.add("channel-required", "channel", 'needs exactly one <atom:link rel="self">')
        else:
            self.url(selfs[0].get("href", ""), "channel", "atom:link")
        image = channel.find("itunes:image", NS)
        if image is None or not image.get("href"):
            self.add("channel-required", "channel", "<itunes:image> is missing: Apple requires it")
        else:
            self.image(image.get("href", ""), "channel")

    def ai_content(self, channel: ET.Element) -> None:
        """The feed says its voice is synthetic exactly when `ai_content` says it is."""
        said = any(
            t.get("purpose") == "ai-content" and (t.text or "").strip() == "true"
            for t in channel.findall("podcast:txt", NS)
        )
        if self.settings.ai_content and not said:
            self.add(
                "ai-content",
                "channel",
                '<podcast:txt purpose="ai-content">true</podcast:txt> is missing: the voice '
                "is synthetic (`ai_content = true`) and listeners are owed that; "
                "`nashra build` writes it",
            )
        elif said and not self.settings.ai_content:
            self.add(
                "ai-content",
                "channel",
                "the feed says its voice is synthetic but `ai_content = false`; "
                "`nashra build` writes the feed again",
                WARNING,
            )

    def item(self, item: ET.Element) -> None:
        name = self.item_name(item)
        self.required_text(item, "title", name)
        self.explicit(item, name, required=False)
        self.description(item, name)
        guid = item.findtext("guid", default="").strip()
        if not guid:
            self.add("guid", name, "<guid> is missing: apps use it to tell episodes apart")
        enclosures = item.findall("enclosure")
        if len(enclosures) != 1:
            self.add("enclosure", name, f"needs exactly one <enclosure>, has {len(enclosures)}")
        audio: Path | None = None
        if enclosures:
            audio = self.enclosure(enclosures[0], name, guid)
        self.pub_date(item, name)
        self.link(item, name)
        duration = self.duration(item, name, audio)
        image = item.find("itunes:image", NS)
        if image is not None:
            self.image(image.get("href", ""), name)
        self.chapters(item, name, audio)
        if audio is not None:
            self.chapter_order(name, audio)
        self.transcripts(item, name, duration)

    def item_name(self, item: ET.Element) -> str:
        enclosure = item.find("enclosure")
        url = enclosure.get("url", "") if enclosure is not None else ""
        if url:
            return unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or url
        return item.findtext("guid") or item.findtext("title") or "an item"

    def across_items(self, items: list[ET.Element]) -> None:
        guids = Counter(g for i in items if (g := i.findtext("guid", default="").strip()))
        for guid, count in sorted(guids.items()):
            if count > 1:
                self.add("guid", guid, f"{count} episodes share this <guid>; each needs its own")
        days: Counter[tuple[str, str]] = Counter()
        titles: Counter[str] = Counter()
        for item in items:
            title = item.findtext("title", default="").strip()
            day = ""
            with contextlib.suppress(TypeError, ValueError):
                day = parsedate_to_datetime(item.findtext("pubDate", default="")).date().isoformat()
            titles[title] += 1
            days[(title, day)] += 1
        for (title, day), count in sorted(days.items()):
            if count > 1:
                self.add(
                    "title-unique",
                    title,
                    f"{count} episodes have this title on {day or 'the same day'}; "
                    "AntennaPod merges them into one",
                )
        for title, count in sorted(titles.items()):
            if count > 1 and not any(days[(t, d)] > 1 for (t, d) in days if t == title):
                self.add("title-unique", title, f"{count} episodes share this title", WARNING)
        self.pub_date_order(items)

    def pub_date_order(self, items: list[ET.Element]) -> None:
        """Apps show the newest episode by its date: no two may share one, and the feed
        lists them newest first (what apps fall back to when dates tie)."""
        dated: list[tuple[str, datetime]] = []
        for item in items:
            with contextlib.suppress(TypeError, ValueError):
                when = parsedate_to_datetime(item.findtext("pubDate", default=""))
                if when.tzinfo is not None:
                    dated.append((self.item_name(item), when))
        shared = Counter(when for _, when in dated)
        for when, count in sorted(shared.items()):
            if count > 1:
                names = ", ".join(name for name, w in dated if w == when)
                self.add(
                    "pubdate-order",
                    names,
                    f"{count} episodes share the <pubDate> {format_datetime(when)}: apps "
                    "cannot tell which is newest; give the articles their own `date` "
                    "(Markdown front matter)",
                    WARNING,
                )
        for (name, when), (next_name, next_when) in itertools.pairwise(dated):
            if next_when > when:
                self.add(
                    "pubdate-order",
                    next_name,
                    f"is newer than {name}, listed before it: items go newest first",
                    WARNING,
                )

    # ------------------------------------------------------------ fields

    def required_text(self, parent: ET.Element, tag: str, name: str) -> None:
        text = parent.findtext(tag, namespaces=NS)
        rule = "channel-required" if name == "channel" else "item-required"
        if text is None or not text.strip():
            self.add(rule, name, f"<{tag}> is missing or empty")
        elif text != text.strip():
            self.add(rule, name, f"<{tag}> has leading or trailing spaces", WARNING)

    def explicit(self, parent: ET.Element, name: str, *, required: bool = True) -> None:
        values = [e.text or "" for e in parent.findall("itunes:explicit", NS)]
        if not values and required:
            self.add("explicit", name, "<itunes:explicit> is missing: Apple requires true/false")
        for value in values:
            if value.strip() not in ("true", "false"):
                self.add("explicit", name, f"<itunes:explicit> is {value!r}; use true or false")

    def description(self, parent: ET.Element, name: str) -> None:
        text = parent.findtext("description") or ""
        size = len(text.encode("utf-8"))
        if size > MAX_DESCRIPTION_BYTES:
            self.add(
                "description-bytes",
                name,
                f"<description> is {size} bytes; the limit is {MAX_DESCRIPTION_BYTES} "
                "(each Arabic letter takes two)",
            )

    def link(self, item: ET.Element, name: str) -> None:
        """The episode's web page: apps show it, or "Link not available" without one."""
        url = (item.findtext("link") or "").strip()
        if not url:
            self.add(
                "item-link",
                name,
                "<link> is missing: apps have no web page to show for the episode",
                WARNING,
            )
            return
        if not self.url(url, name, "the <link>"):
            return
        base = self.settings.base_url + "/"
        if url.startswith(base) or url == self.settings.base_url:
            relative = unquote(urlsplit(url[len(base) :]).path)
            if not relative or relative.endswith("/"):
                relative += paths.INDEX_PAGE  # what a web server answers for a folder
            path = (self.output / relative).resolve()
            if self.output not in path.parents or not path.is_file():
                self.add("item-link", name, f"the <link> {url} names no page in output/")

    def pub_date(self, item: ET.Element, name: str) -> None:
        text = item.findtext("pubDate")
        if not text:
            self.add("pubdate", name, "<pubDate> is missing (Spotify requires it)")
            return
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            self.add("pubdate", name, f"<pubDate> {text!r} is not an RFC 2822 date")
            return
        if when.tzinfo is None:
            self.add("pubdate", name, f"<pubDate> {text!r} has no time zone")
        elif when > self.now:
            self.add("pubdate", name, f"<pubDate> {text} is in the future; apps hide it or sort it")
