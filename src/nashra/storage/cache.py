"""The clip cache: synthesized audio keyed by engine, voice settings and exact text.

Clips live under `.nashra/cache/clips/`, outside `output/`. A clip enters the
cache only whole (written through a temporary file, flushed to disk) and never
empty, so a crashed or failed synthesis can never poison a later build. A clip
is checked before it is used (`clip_problem`: its header, and the length the
header records against the file's): a damaged one (a disk or copy that lost its
tail) is removed and synthesized again instead of being joined as silence.
A clip's word timings, when its engine reported them, sit next to it
(`nashra.storage.clip_words`), checked as carefully.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Protocol

from nashra.core.model import Clip, WordTime
from nashra.storage import clip_words
from nashra.storage.writer import atomic_write

log = logging.getLogger(__name__)

FORMATS = ("wav", "mp3")
HEAD = 4096
"""Bytes read from a clip's start to check it: its headers, not its audio."""


def clip_problem(head: bytes, size: int, fmt: str) -> str:
    """Why a clip of `size` bytes starting with `head` is damaged; "" when it looks whole.

    A WAV records its own length twice (the RIFF and data chunk sizes), so a clip
    cut short or padded is found without decoding it. An MP3 must start with an
    ID3 tag whose recorded size fits the file and is followed by an MPEG frame,
    or with a frame.
    """
    if size <= 0:
        return "it is empty"
    if fmt == "wav":
        return _wav_problem(head, size)
    if head[:3] == b"ID3":
        if len(head) < 10:
            return "its ID3 header is cut short"
        tag = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(head[6:10]))
        if head[5] & 0x10:
            tag += 10  # a footer
        if tag + 2 > size:
            return f"its ID3 tag records {tag} bytes but the file has {size}"
        if tag + 2 <= len(head) and not _frame_sync(head[tag : tag + 2]):
            return "no MPEG frame follows its ID3 tag"
        return ""
    return "" if _frame_sync(head[:2]) else "it starts with neither an ID3 tag nor an MPEG frame"


def _frame_sync(two: bytes) -> bool:
    return len(two) == 2 and two[0] == 0xFF and two[1] & 0xE0 == 0xE0


def _wav_problem(head: bytes, size: int) -> str:
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return "it has no RIFF/WAVE header"
    recorded = int.from_bytes(head[4:8], "little") + 8
    if recorded != size:
        return f"its header records {recorded} bytes but the file has {size}"
    offset, fmt_seen = 12, False
    while offset + 8 <= min(len(head), size):
        chunk = head[offset : offset + 4]
        length = int.from_bytes(head[offset + 4 : offset + 8], "little")
        if chunk == b"fmt ":
            fmt_seen = True
        elif chunk == b"data":
            if not fmt_seen:
                return "its data comes before its format"
            if offset + 8 + length > size:
                return f"its data chunk records {length} bytes but the file ends before"
            return ""
        offset += 8 + length + (length & 1)
    if offset + 8 > size:
        return "it has no data chunk"
    return ""  # the data chunk lies beyond the bytes read; the lengths agree


def clip_key(engine_name: str, voice_id: str, text: str) -> str:
    """A content hash that changes whenever anything that shapes the audio changes."""
    payload = json.dumps([engine_name, voice_id, text], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ClipStore(Protocol):
    """Where clips are kept: this folder, or storage shared by a cluster's machines."""

    def __contains__(self, key: str) -> bool: ...

    def get(self, key: str) -> Clip | None: ...

    def put(self, key: str, clip: Clip) -> object: ...

    def keys(self) -> frozenset[str]: ...


class ClipCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str, fmt: str) -> Path:
        return self.folder / key[:2] / f"{key}.{fmt}"

    def _words_path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{clip_words.SUFFIX}"

    def _words(self, key: str) -> tuple[WordTime, ...]:
        """The clip's word timings: none without a companion; ValueError when it is bad."""
        try:
            data = self._words_path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return ()
        return clip_words.decode(data)

    def find(self, key: str) -> Path | None:
        """The clip's file, when it is there and whole; a damaged one is removed."""
        for fmt in FORMATS:
            path = self._path(key, fmt)
            try:
                with path.open("rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    problem = clip_problem(handle.read(HEAD), size, fmt)
            except (FileNotFoundError, IsADirectoryError):
                continue
            if not problem:
                try:
                    self._words(key)
                except ValueError as exc:
                    problem = f"its word timings {self._words_path(key).name} are damaged: {exc}"
                else:
                    return path
            log.warning("the cached clip %s is damaged (%s); voicing it again", path, problem)
            path.unlink(missing_ok=True)
            self._words_path(key).unlink(missing_ok=True)
        return None

    def __contains__(self, key: str) -> bool:
        return self.find(key) is not None

    def keys(self) -> frozenset[str]:
        """Every key with a clip, read from the folder at once (cheaper than many lookups)."""
        found: set[str] = set()
        if not self.folder.is_dir():
            return frozenset()
        for shard in self.folder.iterdir():
            if not shard.is_dir():
                continue
            for entry in os.scandir(shard):
                stem, _, fmt = entry.name.partition(".")
                if fmt in FORMATS and entry.is_file() and entry.stat().st_size > 0:
                    found.add(stem)
        return frozenset(found)

    def get(self, key: str) -> Clip | None:
        path = self.find(key)
        if path is None:
            return None
        fmt = path.suffix.lstrip(".")
        data = path.read_bytes()
        if clip_problem(data[:HEAD], len(data), fmt):
            return None  # damaged since `find` looked: voiced again by the next build
        try:
            words = self._words(key)
        except ValueError:
            return None  # as above
        return Clip(data, "mp3" if fmt == "mp3" else "wav", words)

    def put(self, key: str, clip: Clip) -> Path:
        if not clip.data:
            raise ValueError("refusing to cache an empty clip")
        problem = clip_problem(clip.data[:HEAD], len(clip.data), clip.format)
        if problem:
            raise ValueError(f"refusing to cache a damaged {clip.format} clip: {problem}")
        path = self._path(key, clip.format)
        # The words first: a clip is never there without the words it was made with.
        if clip.words:
            atomic_write(self._words_path(key), clip_words.encode(clip.words), temp_dir=self.folder)
        else:
            self._words_path(key).unlink(missing_ok=True)
        # Flushed to disk: a clip that a power cut left half written would otherwise
        # be found damaged and voiced again, at best.
        atomic_write(path, clip.data, temp_dir=self.folder)
        return path
