"""What `nashra check` reports: findings, their severities, and the names its rules use."""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
PSC = "http://podlove.org/simple-chapters"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}
PREFIXES = {
    ITUNES: "itunes",
    PODCAST: "podcast",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md": "podcast",
    PSC: "psc",
    ATOM: "atom",
    CONTENT: "content",
}
"""The prefixes feeds conventionally give the namespaces podcast apps read."""

MAX_DESCRIPTION_BYTES = 4000
DURATION_TOLERANCE = 2.0
"""Seconds `itunes:duration` may differ from the audio."""
CHAPTER_TOLERANCE = 1.0
"""Seconds an ID3 chapter may differ from the JSON one."""
MEDIA_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/x-m4a", ".mp4": "video/mp4"}
TRANSCRIPT_TYPES = {
    "text/vtt",
    "application/x-subrip",
    "application/json",
    "text/html",
    "text/plain",
}
VTT_TIME = re.compile(r"^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$")
SRT_TIME = re.compile(r"^(\d+):(\d{2}):(\d{2}),(\d{3})$")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    item: str
    """`channel`, or the episode (its enclosure's file name, else its guid or title)."""
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: [{self.rule}] {self.item}: {self.message}"


def count_errors(findings: list[Finding]) -> int:
    return sum(f.severity == ERROR for f in findings)
