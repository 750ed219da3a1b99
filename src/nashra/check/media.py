"""The rules on the files a feed points to: enclosures, audio, images, chapters, transcripts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import astuple
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from nashra.check.files import (
    MP3_FACTS,
    FileMemo,
    cover_problem,
    id3_chapters,
    json_transcript_ends,
    srt_ends,
    vtt_ends,
)
from nashra.check.findings import (
    CHAPTER_TOLERANCE,
    DURATION_TOLERANCE,
    ERROR,
    MEDIA_TYPES,
    NS,
    TRANSCRIPT_TYPES,
    WARNING,
    Finding,
)
from nashra.config.settings import Settings
from nashra.core.errors import NashraError
from nashra.render import tagging


class MediaRules:
    """The shared state of a check and the rules on media; `FeedRules` adds the feed's."""

    def __init__(
        self,
        settings: Settings,
        now: datetime,
        known_guids: dict[str, str],
        memo: FileMemo,
    ) -> None:
        self.settings = settings
        self.now = now
        self.known_guids = known_guids
        self.memo = memo
        self.output = settings.output_dir.resolve()
        self.findings: list[Finding] = []

    def facts(self, path: Path) -> tagging.Mp3Facts:
        values = self.memo.get(MP3_FACTS, path, lambda: list(astuple(tagging.mp3_facts(path))))
        return tagging.Mp3Facts(*values)

    def add(self, rule: str, item: str, message: str, severity: str = ERROR) -> None:
        self.findings.append(Finding(rule, severity, item, message))

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

    # ------------------------------------------------------------ the media

    def enclosure(self, enclosure: ET.Element, name: str, guid: str) -> Path | None:
        url = enclosure.get("url", "")
        path = self.local(url, name, "the enclosure")
        suffix = Path(urlsplit(url).path).suffix.lower()
        expected = MEDIA_TYPES.get(suffix)
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

    def duration(self, item: ET.Element, name: str, audio: Path | None) -> float | None:
        text = (item.findtext("itunes:duration", namespaces=NS) or "").strip()
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
        problem = self.memo.get("cover", path, lambda: cover_problem(path))
        if problem:
            self.add("image", name, str(problem))

    # ------------------------------------------------------------ chapters and transcripts

    def chapters(self, item: ET.Element, name: str, audio: Path | None) -> None:
        element = item.find("podcast:chapters", NS)
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
                for chapter in self.memo.get("chapters", audio, lambda: id3_chapters(audio))
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

    def chapter_order(self, name: str, audio: Path) -> None:
        """ffmpeg, and every reader that lists an MP3's CHAP frames as stored rather than
        by its table of contents, shows the chapters in the order they are stored."""
        try:
            starts = self.memo.get(
                "chapter-frames", audio, lambda: tagging.stored_chapter_starts(audio)
            )
        except NashraError as exc:
            self.add("chapter-order", name, str(exc))
            return
        if starts != sorted(starts):
            listed = ", ".join(f"{start:g} s" for start in starts)
            self.add(
                "chapter-order",
                name,
                f"the MP3 stores its ID3 chapters out of time order ({listed}); "
                "ffmpeg and other readers list them so",
            )

    def transcripts(self, item: ET.Element, name: str, duration: float | None) -> None:
        for element in item.findall("podcast:transcript", NS):
            mime = element.get("type", "")
            if mime not in TRANSCRIPT_TYPES:
                self.add("transcript", name, f"transcript type {mime!r} is not one apps know")
            if not element.get("language"):
                self.add("transcript", name, "transcript has no language", WARNING)
            path = self.local(element.get("url", ""), name, "the transcript")
            if path is None:
                continue
            try:
                text = path.read_text(encoding="utf-8")
                if mime == "text/vtt":
                    ends = list(vtt_ends(text))
                elif mime == "application/x-subrip":
                    ends = list(srt_ends(text))
                elif mime == "application/json":
                    ends = list(json_transcript_ends(text))
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
