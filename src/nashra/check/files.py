"""Reading the published files for the check: a memo of per-file facts, XML namespace
declarations, and transcript timings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

from nashra.check.findings import SRT_TIME, VTT_TIME
from nashra.core.errors import AudioError, NashraError
from nashra.render import artwork, tagging
from nashra.storage.writer import atomic_write

MP3_FACTS = "mp3-2"
"""The memo's kind for an MP3's facts (duration, bitrate, sample rate, channels). Its
version moves when the facts are measured differently ("mp3-2": a short CBR episode's
bitrate is its frames', not 95999 for 96k), so facts remembered before are measured
again; the build's decide stage reads the same kind to find a damaged MP3."""


class FileMemo:
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

    @staticmethod
    def damaged(path: Path, kind: str) -> dict[str, list[int]]:
        """The files whose `kind` facts failed when last computed, each with the stamp
        (size, modification time, inode) it had then, from the memo at `path`."""
        memo = FileMemo(path).data
        prefix = f"{kind}:"
        return {
            key.removeprefix(prefix): hit[0]
            for key, hit in memo.items()
            if key.startswith(prefix) and isinstance(hit, list) and hit[1:2] == ["error"]
        }

    def save(self) -> None:
        if self.dirty:
            text = json.dumps(self.data, ensure_ascii=False, sort_keys=True)
            atomic_write(self.path, text.encode("utf-8"), durable=False)


def cover_problem(path: Path) -> str | None:
    try:
        artwork.check_cover(path)
    except NashraError as exc:
        return str(exc)
    return None


def id3_chapters(path: Path) -> list[list[Any]]:
    return [[c.start, c.end, c.title] for c in tagging.read_chapters(path)]


def declarations(data: bytes) -> list[tuple[str, str, str]]:
    """(element's local name, prefix, namespace) of each namespace declaration, in order."""
    found: list[tuple[str, str, str]] = []
    pending: list[tuple[str, str]] = []
    for event, value in ET.iterparse(BytesIO(data), events=("start-ns", "start")):
        if event == "start-ns":
            pending.append(value)
        else:
            element = value.tag.rpartition("}")[2]
            found += [(element, prefix, uri) for prefix, uri in pending]
            pending = []
    return found


def vtt_ends(text: str) -> Iterator[float]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].startswith("WEBVTT"):
        raise ValueError("a WebVTT file starts with WEBVTT")
    for line in lines:
        if "-->" in line:
            start, end = (part.strip().split()[0] for part in line.split("-->", 1))
            begin, finish = vtt_seconds(start), vtt_seconds(end)
            if finish < begin:
                raise ValueError(f"a cue ends before it starts: {line}")
            yield finish


def vtt_seconds(stamp: str) -> float:
    match = VTT_TIME.match(stamp)
    if not match:
        raise ValueError(f"bad timestamp {stamp!r}")
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def srt_ends(text: str) -> Iterator[float]:
    for block in text.lstrip("\ufeff").strip().split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) < 3 or not lines[0].strip().isdigit() or "-->" not in lines[1]:
            raise ValueError(f"not an SRT cue: {block[:40]!r}")
        start, end = (part.strip() for part in lines[1].split("-->", 1))
        times = []
        for stamp in (start, end):
            match = SRT_TIME.match(stamp)
            if not match:
                raise ValueError(f"bad timestamp {stamp!r}")
            h, m, s, ms = (int(g) for g in match.groups())
            times.append(h * 3600 + m * 60 + s + ms / 1000)
        yield times[1]


TIME_KEYS = ("startTime", "endTime")


def json_transcript_ends(text: str) -> Iterator[float]:
    """The segments' ends of a Podcasting 2.0 JSON transcript; ValueError when it is not one."""
    data = json.loads(text)
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list):
        raise ValueError("a JSON transcript holds a list of `segments`")
    for number, segment in enumerate(segments, 1):
        times = [segment.get(k) if isinstance(segment, dict) else None for k in TIME_KEYS]
        if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in times):
            raise ValueError(f"segment {number} has no startTime and endTime in seconds")
        if not isinstance(segment.get("body"), str):
            raise ValueError(f"segment {number} has no body")
        begin, finish = float(times[0]), float(times[1])  # type: ignore[arg-type]
        if not 0 <= begin <= finish:
            raise ValueError(f"segment {number} ends before it starts")
        yield finish
