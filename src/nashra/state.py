"""The build state: what has been published, recorded durably between builds.

`.nashra/state.json` remembers, per episode, when it was first published (its
pubDate never changes afterwards), its GUID, which engine voiced it, and the
hash of everything that shaped its audio. The feed is rendered from this record
alone, so an article that fails to build keeps its previously published episode.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from nashra.errors import UsageError
from nashra.sidecars import Chapter, Cue
from nashra.writer import atomic_write

log = logging.getLogger(__name__)

STATE_VERSION = 1


__all__ = ["BuildState", "Chapter", "Cue", "EpisodeRecord"]


@dataclass(frozen=True)
class EpisodeRecord:
    slug: str
    source: str
    """The article's path relative to the project."""
    guid: str
    first_published: str
    """ISO 8601; the pubDate when the article names no date. Never changed once set."""
    content_key: str
    engine: str
    voice_id: str
    file: str
    """The MP3, relative to `output/`."""
    length: int
    duration: float
    title: str
    description: str
    author: str | None
    pub_date: str
    link: str | None = None
    chapters: tuple[Chapter, ...] = field(default=())
    cues: tuple[Cue, ...] = field(default=())
    """The transcript: one cue per speech chunk, with its written text."""
    image: str | None = None
    """The episode's own cover, relative to `output/`."""

    @property
    def pub_datetime(self) -> datetime:
        return datetime.fromisoformat(self.pub_date)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EpisodeRecord:
        chapters = tuple(Chapter(float(c["start"]), str(c["title"])) for c in data["chapters"])
        cues = tuple(
            Cue(float(c["start"]), float(c["end"]), str(c["text"])) for c in data.get("cues", ())
        )
        return cls(**{**data, "chapters": chapters, "cues": cues})


@dataclass
class BuildState:
    podcast_guid: str | None = None
    episodes: dict[str, EpisodeRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> BuildState:
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_VERSION:
                raise ValueError(f"unknown state version {data.get('version')!r}")
            episodes = {
                slug: EpisodeRecord.from_json(record) for slug, record in data["episodes"].items()
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise UsageError(
                f"{path}: the build state cannot be read ({why}). It records first-publication "
                "dates and GUIDs; restore it from a backup, or delete it to start afresh "
                "(episodes then get new dates)."
            ) from exc
        return cls(podcast_guid=data.get("podcast_guid"), episodes=episodes)

    def save(self, path: Path) -> None:
        data = {
            "version": STATE_VERSION,
            "podcast_guid": self.podcast_guid,
            "episodes": {slug: asdict(self.episodes[slug]) for slug in sorted(self.episodes)},
        }
        encoded = (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
        if path.is_file() and path.read_bytes() == encoded:
            return  # a build that changed nothing writes (and flushes) nothing
        atomic_write(path, encoded)
