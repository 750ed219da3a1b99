"""Safe writes: every file lands whole or not at all, and never outside its folder.

A podcast app may fetch `output/` at any moment, so nothing is written in place:
data goes to a temporary file in the same folder, is flushed to disk, and is
renamed over the old file (atomic on POSIX). Paths built from article names are
joined through `safe_join`, which refuses anything that would escape the folder.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nashra.core.errors import OutputError


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing absolute paths and `..` that escape `root`."""
    if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
        raise OutputError(f"refusing to write {relative!r}: not a relative path under {root}")
    root_resolved = _resolved(root)
    target = (root_resolved / relative).resolve()
    if target != root_resolved and root_resolved not in target.parents:
        raise OutputError(f"refusing to write {relative!r}: it would land outside {root}")
    return target


def read_join(root: Path, relative: str) -> Path:
    """`root / relative` for reading a path nashra itself recorded: `safe_join`'s refusals
    without resolving the path (a rebuild of an archive looks at tens of thousands)."""
    plain = bool(relative) and "\\" not in relative and "\x00" not in relative
    if plain and all(part not in ("", ".", "..") for part in relative.split("/")):
        return root / relative
    return safe_join(root, relative)


def resolved(root: Path) -> Path:
    """`root.resolve()`, once per root."""
    return _resolved(root)


@functools.lru_cache(maxsize=16)
def _resolved(root: Path) -> Path:
    """`root.resolve()`, once per root: a build joins a thousand paths to the same few."""
    return root.resolve()


def atomic_write(
    path: Path, data: bytes, *, durable: bool = True, temp_dir: Path | None = None
) -> None:
    """Write `data` to `path` through a temporary file and a rename."""
    with atomic_path(path, durable=durable, temp_dir=temp_dir) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def atomic_path(
    path: Path, *, durable: bool = True, temp_dir: Path | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it over `path` if the block succeeds.

    For writers that need a file name (ffmpeg, mutagen) rather than bytes.
    On failure the temporary file is removed and `path` is left as it was.
    `durable=False` skips the flushes to disk, for files that are only a cache:
    the rename still keeps a killed process from leaving half a file.
    `temp_dir` (on the same file system) holds the temporary file instead: a cache
    of many folders keeps them in its top folder, where `remove_stale_parts` finds
    a killed process's without walking the whole cache.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = temp_dir or path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if durable:
            _fsync(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        if durable:
            fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_dir(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk too.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_if_changed(path: Path, data: bytes) -> bool:
    """`atomic_write` unless the file already holds exactly `data`; whether it wrote."""
    if path.is_file() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def remove_stale_parts(folder: Path, *, recursive: bool = True) -> int:
    """Delete temporary files a killed build left behind; return how many."""
    count = 0
    if folder.is_dir():
        for part in folder.rglob(".*.part") if recursive else folder.glob(".*.part"):
            part.unlink(missing_ok=True)
            count += 1
    return count


def stamp(path: Path) -> tuple[int, int, int] | None:
    """A file's identity and version (None when there is none): a file put in place by a
    rename, as every file here is, has a new inode."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
