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
from pathlib import Path

from nashra.errors import UsageError
from nashra.model import EpisodeRecord
from nashra.writer import atomic_write

log = logging.getLogger(__name__)

STATE_VERSION = 1


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
