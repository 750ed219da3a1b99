"""The bulletins' own build state, `.nashra/bulletins.json`: the bulletin feed's GUID,
and per period the published bulletin's record and the articles it holds."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nashra.core.errors import UsageError
from nashra.core.model import EpisodeRecord
from nashra.storage.writer import atomic_write

VERSION = 1


@dataclass(frozen=True)
class Published:
    record: EpisodeRecord
    members: tuple[str, ...]


@dataclass
class BulletinState:
    podcast_guid: str | None = None
    bulletins: dict[str, Published] = field(default_factory=dict)
    """By period key."""

    @property
    def assigned(self) -> dict[str, str]:
        """The period key each article went out in."""
        return {slug: key for key, b in self.bulletins.items() for slug in b.members}

    @classmethod
    def load(cls, path: Path) -> BulletinState:
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                raise ValueError(f"unknown version {data.get('version')!r}")
            bulletins = {
                key: Published(EpisodeRecord.from_json(b["record"]), tuple(b["members"]))
                for key, b in data["bulletins"].items()
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(
                f"{path}: the bulletins' state cannot be read ({exc}); restore it from a "
                "backup, or delete it to publish the bulletins afresh (with new GUIDs)"
            ) from exc
        return cls(data.get("podcast_guid"), bulletins)

    def save(self, path: Path) -> None:
        data = {
            "version": VERSION,
            "podcast_guid": self.podcast_guid,
            "bulletins": {
                key: {"record": asdict(b.record), "members": list(b.members)}
                for key, b in sorted(self.bulletins.items())
            },
        }
        encoded = (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
        if path.is_file() and path.read_bytes() == encoded:
            return
        atomic_write(path, encoded)
