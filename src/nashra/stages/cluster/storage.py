"""Shared storage for a cluster build, named by a URL: fsspec's adapter.

`file:///mnt/nashra` (a folder every machine mounts) or `s3://bucket/prefix`
(any S3-compatible store; endpoint and keys come from fsspec's usual
configuration, e.g. `FSSPEC_S3_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`). Under the
root, `clips/` holds clips exactly as the local clip cache lays them out, and
`episodes/<key>/` an episode a worker made and the coordinator has not taken
yet. Every object appears whole: object stores write an object at once, and a
local folder is written through a temporary name and renamed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from nashra.core.errors import UsageError
from nashra.core.model import Clip
from nashra.storage import clip_words
from nashra.storage.cache import FORMATS, HEAD, clip_problem

log = logging.getLogger(__name__)


class StorageError(UsageError):
    """The shared storage cannot be used."""


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
        import fsspec.config
    except ImportError as exc:
        raise UsageError(
            "building on a cluster needs the cluster extra: pip install 'nashra[cluster]'"
        ) from exc
    # fsspec reads its FSSPEC_* variables when first imported; read them again, so the
    # environment of this build is the one that counts.
    fsspec.config.set_conf_env(fsspec.config.conf)
    try:
        fs, root = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise StorageError(f"shared storage {url!r} cannot be opened: {exc}") from exc
    return fs, str(root).rstrip("/")


class SharedStore:
    """The root of the shared storage; paths below it are `/`-separated."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fs, self.root = _filesystem(url)
        self.local = "file" in _protocols(self.fs)

    @classmethod
    def probe(cls, url: str, relative: str) -> str:
        """Why `relative`, which the coordinator wrote, cannot be read at `url` from
        here; "" when it can."""
        try:
            store = cls(url)
            seen = store.read(relative)
        except Exception as exc:  # each storage backend fails in its own way
            return f"the shared storage {url} is not reachable there: {exc}"
        if seen is None:
            return (
                f"the shared storage {url} is not the coordinator's there "
                f"(the file {relative} that the coordinator wrote is missing)"
            )
        return ""

    def path(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    def exists(self, relative: str) -> bool:
        return bool(self.fs.exists(self.path(relative)))

    def read(self, relative: str) -> bytes | None:
        try:
            data: bytes = self.fs.cat_file(self.path(relative))
        except FileNotFoundError:
            return None
        return data

    def write(self, relative: str, data: bytes) -> None:
        """Put `data` at `relative`, whole or not at all."""
        if not self.local:
            self.fs.pipe_file(self.path(relative), data)
            return
        with self._renamed_into(relative) as temporary:
            Path(temporary).write_bytes(data)

    def upload(self, local: Path, relative: str) -> None:
        """A local file into the store, whole or not at all."""
        if not self.local:
            self.fs.put_file(str(local), self.path(relative))
            return
        with self._renamed_into(relative) as temporary:
            shutil.copyfile(local, temporary)

    @contextlib.contextmanager
    def _renamed_into(self, relative: str) -> Iterator[str]:
        """A temporary name in a local folder, renamed to `relative` after the block."""
        target = self.path(relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = f"{target}.part-{uuid.uuid4().hex}"
        try:
            yield temporary
            with open(temporary, "rb+") as handle:
                os.fsync(handle.fileno())  # whole on disk before it has its name
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(temporary)

    def open(self, relative: str) -> IO[bytes]:
        stream: IO[bytes] = self.fs.open(self.path(relative), "rb")
        return stream

    def remove(self, relative: str) -> None:
        """Remove a file or a folder with what it holds; nothing if it is not there."""
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm(self.path(relative), recursive=True)


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


class SharedClips:
    """The clip cache in shared storage, laid out as the local one (`nashra.storage.cache`)."""

    def __init__(self, store: SharedStore) -> None:
        self.store = store

    def _relative(self, key: str, fmt: str) -> str:
        return f"clips/{key[:2]}/{key}.{fmt}"

    def _words_relative(self, key: str) -> str:
        return f"clips/{key[:2]}/{key}{clip_words.SUFFIX}"

    def __contains__(self, key: str) -> bool:
        """Whether the clip is there and whole (its header read, as the local cache does)."""
        for fmt in FORMATS:
            path = self.store.path(self._relative(key, fmt))
            try:
                with self.store.fs.open(path, "rb") as stream:
                    head = stream.read(HEAD)
                size = int(self.store.fs.size(path))
            except FileNotFoundError:
                continue
            if not clip_problem(head, size, fmt):
                return True
        return False

    def get(self, key: str) -> Clip | None:
        """The clip with its word timings; None when it is missing or damaged. Damaged
        word timings are left out (with a warning): the episode is still made."""
        for fmt in FORMATS:
            data = self.store.read(self._relative(key, fmt))
            if data and not clip_problem(data[:HEAD], len(data), fmt):
                companion = self.store.read(self._words_relative(key))
                try:
                    words = clip_words.decode(companion) if companion is not None else ()
                except ValueError as exc:
                    log.warning("the word timings of clip %s are damaged (%s)", key, exc)
                    words = ()
                return Clip(data, "mp3" if fmt == "mp3" else "wav", words)
        return None

    def put(self, key: str, clip: Clip) -> None:
        if not clip.data:
            raise ValueError("refusing to cache an empty clip")
        # The words first, as the local cache does.
        if clip.words:
            self.store.write(self._words_relative(key), clip_words.encode(clip.words))
        else:
            self.store.remove(self._words_relative(key))
        self.store.write(self._relative(key, clip.format), clip.data)

    def keys(self) -> frozenset[str]:
        try:
            found = self.store.fs.find(self.store.path("clips"))
        except FileNotFoundError:
            return frozenset()
        keys: set[str] = set()
        for path in found:
            stem, _, fmt = str(path).rsplit("/", 1)[-1].partition(".")
            if fmt in FORMATS:
                keys.add(stem)
        return frozenset(keys)
