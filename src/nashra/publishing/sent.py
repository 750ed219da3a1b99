"""What nashra sent to storage that reports no hash of a file (generic WebDAV, FTP).

Such a server gives each upload its own modification time (the time it arrived, unless
the client may set it), so comparing times with `output/` would send every file again.
Instead, just after a publish, the size and time the server reports for each file are
kept with the MD5 of what was sent, in `.nashra/publish-sent.json`. A later publish that
finds the same size and time on the server knows it still holds those bytes, and
compares their MD5 with the local file's; a file changed on the server (another size or
time) is compared as before. Keyed by the target as shown, so no credential is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from nashra.publishing.rclone import RemoteFile
from nashra.storage.writer import atomic_write


class _Local(Protocol):
    @property
    def size(self) -> int: ...

    @property
    def md5(self) -> str: ...


class SentFiles:
    def __init__(self, path: Path, target: str) -> None:
        self.path = path
        self.target = target

    def _load(self) -> dict[str, dict[str, list[object]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        targets = data.get("targets") if isinstance(data, dict) else None
        return targets if isinstance(targets, dict) else {}

    def vouch(self, remote: Mapping[str, RemoteFile]) -> dict[str, RemoteFile]:
        """`remote`, with the MD5 of what was sent for each file the server reports no
        hash of, when its size and time are those it reported just after the upload."""
        known = self._load().get(self.target, {})
        vouched = dict(remote)
        for path, theirs in remote.items():
            entry = known.get(path)
            if theirs.hashes or not theirs.mtime or not isinstance(entry, list):
                continue
            if len(entry) == 3 and entry[:2] == [theirs.size, theirs.mtime]:
                vouched[path] = replace(theirs, hashes={"md5": str(entry[2])})
        return vouched

    def record(
        self,
        remote: Mapping[str, RemoteFile],
        local: Mapping[str, _Local],
        paths: Iterable[str],
    ) -> None:
        """Keep, for each of `paths` the server now holds whole and reports no hash of,
        the size and time it reports and the MD5 of the local file sent there."""
        entries: dict[str, list[object]] = {}
        for path in sorted(paths):
            theirs, mine = remote.get(path), local.get(path)
            if theirs and mine and not theirs.hashes and theirs.mtime and theirs.size == mine.size:
                entries[path] = [theirs.size, theirs.mtime, mine.md5]
        targets = self._load()
        if not entries and self.target not in targets:
            return
        targets[self.target] = entries
        body = json.dumps({"targets": targets}, indent=1, sort_keys=True) + "\n"
        atomic_write(self.path, body.encode("utf-8"))
