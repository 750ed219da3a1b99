"""What the feed importer remembers between runs, in `.nashra/import-feeds.json`.

For each feed: the `ETag` and `Last-Modified` its server sent (so that the next
request is conditional and an unchanged feed costs one 304), and the fingerprint
of each item that was imported (so that an item seen before, unchanged, costs no
request at all). The file is rewritten only when something in it changed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nashra.storage.paths import FEEDS_STATE_FILE
from nashra.storage.writer import atomic_write

log = logging.getLogger(__name__)


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    items: dict[str, str] = field(default_factory=dict)
    """Item key → fingerprint of the items imported."""


class FeedStates:
    def __init__(self, work_dir: Path) -> None:
        self.path = work_dir / FEEDS_STATE_FILE
        self._feeds: dict[str, FeedState] = {}
        self._saved: Any = None
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raw = {}
        except (OSError, ValueError) as exc:
            log.warning("%s: unreadable (%s); every feed is read afresh", self.path, exc)
            raw = {}
        feeds = raw.get("feeds") if isinstance(raw, dict) else None
        for source, value in (feeds or {}).items():
            if isinstance(source, str) and isinstance(value, dict):
                items = value.get("items")
                self._feeds[source] = FeedState(
                    etag=_str(value.get("etag")),
                    last_modified=_str(value.get("last_modified")),
                    items={
                        k: v
                        for k, v in (items if isinstance(items, dict) else {}).items()
                        if isinstance(k, str) and isinstance(v, str)
                    },
                )
        self._saved = self._data()

    def get(self, source: str) -> FeedState:
        return self._feeds.setdefault(source, FeedState())

    def save(self) -> bool:
        """Write the states if they changed; whether they did."""
        data = self._data()
        if data == self._saved:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        atomic_write(self.path, text.encode("utf-8"))
        self._saved = data
        return True

    def _data(self) -> dict[str, Any]:
        return {
            "feeds": {
                source: {
                    "etag": state.etag,
                    "last_modified": state.last_modified,
                    "items": dict(state.items),
                }
                for source, state in self._feeds.items()
                if state.etag or state.last_modified or state.items
            }
        }


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
