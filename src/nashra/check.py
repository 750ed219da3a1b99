"""`nashra check`: lint the published feed and its media against what directories require.

It reads `output/feed.xml` as a podcast app would, with a strict XML parser and
no knowledge of how it was made, follows every URL under `base_url` back to its
file in `output/`, and reports each problem as a `Finding` naming the rule and
the item. Errors are what Apple, Spotify or Podcasting 2.0 apps reject or get
wrong; warnings are what they merely recommend. The rules follow §11 of the
shared podcast-feed requirements.
"""

from __future__ import annotations

import contextlib
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from nashra import artwork, tagging
from nashra.errors import AudioError, NashraError, UsageError
from nashra.languages import is_arabic
from nashra.project import (
    PLACEHOLDER_BASE_URL,
    PLACEHOLDER_EMAIL,
    SAMPLE_ARTICLE,
    SAMPLE_ARTICLE_NAME,
)
from nashra.settings import Settings
from nashra.state import BuildState
from nashra.writer import atomic_write

ERROR = "error"
WARNING = "warning"

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
_NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}

MAX_DESCRIPTION_BYTES = 4000
DURATION_TOLERANCE = 2.0
"""Seconds `itunes:duration` may differ from the audio."""
CHAPTER_TOLERANCE = 1.0
"""Seconds an ID3 chapter may differ from the JSON one."""
_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/x-m4a", ".mp4": "video/mp4"}
_TRANSCRIPT_TYPES = {
    "text/vtt",
    "application/x-subrip",
    "application/json",
    "text/html",
    "text/plain",
}
_VTT_TIME = re.compile(r"^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$")
_SRT_TIME = re.compile(r"^(\d+):(\d{2}):(\d{2}),(\d{3})$")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    item: str
    """`channel`, or the episode (its enclosure's file name, else its guid or title)."""
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: [{self.rule}] {self.item}: {self.message}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def check_project(settings: Settings, *, now: datetime) -> list[Finding]:
    """Check `output/feed.xml` of a built project, and every file it points to.

    Raises `UsageError` when nothing has been built yet: there is nothing to check.
    """
    state_file = settings.work_dir / "state.json"
    feed_file = settings.output_dir / "feed.xml"
    if not feed_file.exists() and not state_file.exists():
        raise UsageError(f"{feed_file}: nothing has been built yet; run `nashra build` first")
    known: dict[str, str] = {}
    try:
        state = BuildState.load(state_file)
        known = {r.file: r.guid for r in state.episodes.values()}
    except NashraError:
        pass
    memo = _FileMemo(settings.work_dir / "check-memo.json")
    checker = _Checker(settings, now, known, memo)
    findings = checker.run(feed_file)
    memo.save()
    return settings_warnings(settings) + findings


def settings_warnings(settings: Settings) -> list[Finding]:
    """What podcast.toml allows but is probably not meant: a language other than
    Arabic, and what `nashra init` filled in for the user to replace."""
    found: list[Finding] = []
    if not is_arabic(settings.language):
        found.append(
            Finding(
                "language",
                WARNING,
                "channel",
                f"`language` is {settings.language!r}, not Arabic, but the episodes are "
                "voiced in Arabic; directories will list the show under that language",
            )
        )
    if urlsplit(settings.base_url).hostname == urlsplit(PLACEHOLDER_BASE_URL).hostname:
        found.append(
            Finding(
                "placeholder",
                WARNING,
                "channel",
                f"`base_url` is {settings.base_url}, a placeholder; set it in "
                "podcast.toml to where output/ will be published",
            )
        )
    if settings.owner.email.lower() == PLACEHOLDER_EMAIL:
        found.append(
            Finding(
                "placeholder",
                WARNING,
                "channel",
                f"`owner.email` is {settings.owner.email}, a placeholder; directories "
                "send the ownership code there, so set it in podcast.toml to your address",
            )
        )
    sample = settings.articles_dir / SAMPLE_ARTICLE_NAME
    try:
        is_sample = sample.read_text(encoding="utf-8").replace("\r\n", "\n") == SAMPLE_ARTICLE
    except (OSError, UnicodeDecodeError):
        is_sample = False
    if is_sample:
        found.append(
            Finding(
                "placeholder",
                WARNING,
                f"articles/{SAMPLE_ARTICLE_NAME}",
                "is `nashra init`'s sample article; delete it or replace it with your own",
            )
        )
    return found


class _FileMemo:
    """The slow per-file results (MP3 facts, ID3 chapters, cover checks), kept by file.

    Keyed by path, size and modification time, so a file that changes is checked
    again. A warm build of 100 unchanged episodes spent 3.4 s of its 5 re-parsing
    every MP3 and decoding every cover; with the memo it reads only the feed.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, list[Any]] = {}
        self.dirty = False
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.data = loaded
        except (OSError, ValueError):
            pass

    def get(self, kind: str, file: Path, compute: Callable[[], Any]) -> Any:
        """`compute()`'s JSON-able result for `file`; an error it raises is remembered too."""
        try:
            stat = file.stat()
        except OSError:
            return compute()
        key = f"{kind}:{file}"
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        hit = self.data.get(key)
        if hit is None or hit[0] != stamp:
            try:
                hit = [stamp, "ok", compute()]
            except NashraError as exc:
                hit = [stamp, "error", str(exc)]
            self.data[key] = hit
            self.dirty = True
        if hit[1] == "error":
            raise AudioError(str(hit[2]))
        return hit[2]

    def save(self) -> None:
        if self.dirty:
            text = json.dumps(self.data, ensure_ascii=False, sort_keys=True)
            atomic_write(self.path, text.encode("utf-8"), durable=False)


def _cover_problem(path: Path) -> str | None:
    try:
        artwork.check_cover(path)
    except NashraError as exc:
        return str(exc)
    return None


def _id3_chapters(path: Path) -> list[list[Any]]:
    return [[c.start, c.end, c.title] for c in tagging.read_chapters(path)]


class _Checker:
    def __init__(
        self,
        settings: Settings,
        now: datetime,
        known_guids: dict[str, str],
        memo: _FileMemo,
    ) -> None:
        self.settings = settings
        self.now = now
        self.known_guids = known_guids
        self.memo = memo
        self.output = settings.output_dir.resolve()
        self.findings: list[Finding] = []

    def facts(self, path: Path) -> tagging.Mp3Facts:
        values = self.memo.get("mp3", path, lambda: list(astuple(tagging.mp3_facts(path))))
        return tagging.Mp3Facts(*values)

    def add(self, rule: str, item: str, message: str, severity: str = ERROR) -> None:
        self.findings.append(Finding(rule, severity, item, message))

    # ------------------------------------------------------------ the feed

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
        namespaces: set[str] = set()
        try:
            for _, (_, uri) in ET.iterparse(BytesIO(data), events=("start-ns",)):
                namespaces.add(uri)
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
        for prefix, uri in (("itunes", ITUNES), ("podcast", PODCAST)):
            if uri not in namespaces:
                self.add("namespaces", "channel", f"the {prefix} namespace {uri} is not declared")
        self.channel(channel)
        items = channel.findall("item")
        if not items:
            self.add("items", "channel", "the feed has no episodes (Spotify needs at least one)")
        for item in items:
            self.item(item)
        self.across_items(items)
        return self.findings

    def channel(self, channel: ET.Element) -> None:
        for tag in ("title", "description", "link", "language"):
            self.required_text(channel, tag, "channel")
        for tag, why in (
            ("itunes:author", "Spotify shows and requires it"),
            ("itunes:category", "Apple requires it"),
        ):
            if channel.find(tag, _NS) is None:
                self.add("channel-required", "channel", f"<{tag}> is missing: {why}")
        for tag in ("podcast:guid", "podcast:locked"):
            if channel.find(tag, _NS) is None:
                self.add(
                    "channel-required",
                    "channel",
                    f"<{tag}> is missing (Podcasting 2.0 recommends it)",
                    WARNING,
                )
        self.explicit(channel, "channel")
        self.description(channel, "channel")
        email = channel.findtext("itunes:owner/itunes:email", default="", namespaces=_NS)
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email.strip()):
            self.add(
                "owner-email",
                "channel",
                "<itunes:owner><itunes:email> is missing or not an address: "
                "Spotify and YouTube send the ownership code there",
            )
        selfs = [
            a for a in channel.findall("atom:link", _NS) if a.get("rel") == "self" and a.get("href")
        ]
        if len(selfs) != 1:
            self.add("channel-required", "channel", 'needs exactly one <atom:link rel="self">')
        else:
            self.url(selfs[0].get("href", ""), "channel", "atom:link")
        image = channel.find("itunes:image", _NS)
        if image is None or not image.get("href"):
            self.add("channel-required", "channel", "<itunes:image> is missing: Apple requires it")
        else:
            self.image(image.get("href", ""), "channel")

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
        duration = self.duration(item, name, audio)
        image = item.find("itunes:image", _NS)
        if image is not None:
            self.image(image.get("href", ""), name)
        self.chapters(item, name, audio)
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

    # ------------------------------------------------------------ fields

    def required_text(self, parent: ET.Element, tag: str, name: str) -> None:
        text = parent.findtext(tag, namespaces=_NS)
        rule = "channel-required" if name == "channel" else "item-required"
        if text is None or not text.strip():
            self.add(rule, name, f"<{tag}> is missing or empty")
        elif text != text.strip():
            self.add(rule, name, f"<{tag}> has leading or trailing spaces", WARNING)

    def explicit(self, parent: ET.Element, name: str, *, required: bool = True) -> None:
        values = [e.text or "" for e in parent.findall("itunes:explicit", _NS)]
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

    def url(self, url: str, name: str, what: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc:
            self.add("url", name, f"{what} {url!r} must be an absolute https URL")
            return False
        if not url.isascii() or any(c.isspace() for c in url):
            self.add(
                "url", name, f"{what} {url!r} holds raw non-ASCII or spaces; percent-encode them"
            )
            return False
        return True

    def local(self, url: str, name: str, what: str) -> Path | None:
        """The file in `output/` that a public URL points to, when it is one of ours."""
        if not self.url(url, name, what):
            return None
        base = self.settings.base_url + "/"
        if not url.startswith(base):
            self.add("url", name, f"{what} {url} is not under base_url; not checked", WARNING)
            return None
        relative = unquote(urlsplit(url[len(base) :]).path)
        path = (self.output / relative).resolve()
        if self.output not in path.parents:
            self.add("url", name, f"{what} {url} points outside output/")
            return None
        if not path.is_file():
            self.add("media-missing", name, f"{what} {url}: no such file {path}")
            return None
        return path

    def enclosure(self, enclosure: ET.Element, name: str, guid: str) -> Path | None:
        url = enclosure.get("url", "")
        path = self.local(url, name, "the enclosure")
        suffix = Path(urlsplit(url).path).suffix.lower()
        expected = _TYPES.get(suffix)
        if expected is None:
            self.add("enclosure-type", name, f"{suffix or 'no extension'} is not a podcast format")
        elif enclosure.get("type") != expected:
            self.add(
                "enclosure-type",
                name,
                f"type is {enclosure.get('type')!r}; a {suffix} file is {expected}",
            )
        if path is None:
            return None
        size = path.stat().st_size
        length = enclosure.get("length", "")
        if not length.isdigit() or int(length) != size:
            self.add(
                "enclosure-length",
                name,
                f"length is {length!r} but the file has {size} bytes; apps use it to resume",
            )
        relative = path.relative_to(self.output).as_posix()
        known = self.known_guids.get(relative)
        if known is not None and guid and guid != known:
            self.add(
                "guid-stable",
                name,
                f"<guid> is {guid} but it was published as {known}; "
                "a changed guid makes apps download the episode again",
            )
        try:
            facts = self.facts(path)
        except NashraError as exc:
            self.add("audio", name, str(exc))
            return None
        if facts.bitrate < 96_000:
            self.add("audio", name, f"bitrate {facts.bitrate // 1000} kbps; Spotify needs ≥ 96")
        if facts.sample_rate not in (44100, 48000):
            self.add("audio", name, f"sample rate {facts.sample_rate} Hz; use 44100 or 48000")
        return path

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

    def duration(self, item: ET.Element, name: str, audio: Path | None) -> float | None:
        text = (item.findtext("itunes:duration", namespaces=_NS) or "").strip()
        actual = self.facts(audio).duration if audio else None
        if not text:
            self.add("duration", name, "<itunes:duration> is missing", WARNING)
            return actual
        if not text.isdigit():
            self.add("duration", name, f"<itunes:duration> {text!r}: use whole seconds", WARNING)
            return actual
        if actual is not None and abs(int(text) - actual) > DURATION_TOLERANCE:
            self.add(
                "duration",
                name,
                f"<itunes:duration> says {text} s but the audio lasts {actual:.1f} s",
            )
        return actual if actual is not None else float(text)

    def image(self, url: str, name: str) -> None:
        path = self.local(url, name, "the image")
        if path is None:
            return
        problem = self.memo.get("cover", path, lambda: _cover_problem(path))
        if problem:
            self.add("image", name, str(problem))

    # ------------------------------------------------------------ chapters and transcripts

    def chapters(self, item: ET.Element, name: str, audio: Path | None) -> None:
        element = item.find("podcast:chapters", _NS)
        if element is None:
            return
        if element.get("type") != "application/json+chapters":
            self.add("chapters", name, "podcast:chapters type must be application/json+chapters")
        path = self.local(element.get("url", ""), name, "the chapters file")
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            starts = [float(c["startTime"]) for c in data["chapters"]]
            titles = [c.get("title") for c in data["chapters"]]
            if not isinstance(data.get("version"), str):
                raise ValueError("`version` must be a string")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.add("chapters", name, f"{path.name} is not a JSON chapters file: {exc}")
            return
        if not starts or starts != sorted(starts) or starts[0] != 0:
            self.add("chapters", name, f"{path.name}: chapters must start at 0 and ascend")
        if not all(isinstance(t, str) and t for t in titles):
            self.add("chapters", name, f"{path.name}: every chapter needs a title", WARNING)
        if audio is None:
            return
        try:
            id3 = [
                tagging.TagChapter(*chapter)
                for chapter in self.memo.get("chapters", audio, lambda: _id3_chapters(audio))
            ]
        except NashraError as exc:
            self.add("chapters", name, str(exc))
            return
        if len(id3) != len(starts) or any(
            abs(a.start - b) > CHAPTER_TOLERANCE for a, b in zip(id3, starts, strict=False)
        ):
            self.add(
                "chapters",
                name,
                f"the MP3's ID3 chapters ({len(id3)}) differ from {path.name} ({len(starts)})",
            )

    def transcripts(self, item: ET.Element, name: str, duration: float | None) -> None:
        for element in item.findall("podcast:transcript", _NS):
            mime = element.get("type", "")
            if mime not in _TRANSCRIPT_TYPES:
                self.add("transcript", name, f"transcript type {mime!r} is not one apps know")
            if not element.get("language"):
                self.add("transcript", name, "transcript has no language", WARNING)
            path = self.local(element.get("url", ""), name, "the transcript")
            if path is None:
                continue
            try:
                text = path.read_text(encoding="utf-8")
                if mime == "text/vtt":
                    ends = list(_vtt_ends(text))
                elif mime == "application/x-subrip":
                    ends = list(_srt_ends(text))
                else:
                    continue
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                self.add("transcript", name, f"{path.name} cannot be parsed: {exc}")
                continue
            if not ends:
                self.add("transcript", name, f"{path.name} has no cues")
            elif duration is not None and max(ends) > duration + 1:
                self.add(
                    "transcript",
                    name,
                    f"{path.name} runs to {max(ends):.1f} s, past the audio's {duration:.1f} s",
                )


def _vtt_ends(text: str) -> Iterator[float]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].startswith("WEBVTT"):
        raise ValueError("a WebVTT file starts with WEBVTT")
    for line in lines:
        if "-->" in line:
            start, end = (part.strip().split()[0] for part in line.split("-->", 1))
            begin, finish = _vtt_seconds(start), _vtt_seconds(end)
            if finish < begin:
                raise ValueError(f"a cue ends before it starts: {line}")
            yield finish


def _vtt_seconds(stamp: str) -> float:
    match = _VTT_TIME.match(stamp)
    if not match:
        raise ValueError(f"bad timestamp {stamp!r}")
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _srt_ends(text: str) -> Iterator[float]:
    for block in text.lstrip("\ufeff").strip().split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) < 3 or not lines[0].strip().isdigit() or "-->" not in lines[1]:
            raise ValueError(f"not an SRT cue: {block[:40]!r}")
        start, end = (part.strip() for part in lines[1].split("-->", 1))
        times = []
        for stamp in (start, end):
            match = _SRT_TIME.match(stamp)
            if not match:
                raise ValueError(f"bad timestamp {stamp!r}")
            h, m, s, ms = (int(g) for g in match.groups())
            times.append(h * 3600 + m * 60 + s + ms / 1000)
        yield times[1]
