"""One build per project at a time: a lock file in the project's work folder."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from nashra.core.errors import BuildLocked
from nashra.storage import paths


@contextlib.contextmanager
def project_lock(work_dir: Path, *, wait: float = 0) -> Iterator[None]:
    """Hold the project's build lock, or raise `BuildLocked` after `wait` seconds."""
    with _held(paths.lock_file(work_dir), wait, "build"):
        yield


@contextlib.contextmanager
def update_lock(work_dir: Path, *, wait: float = 0) -> Iterator[None]:
    """Hold the lock of `nashra update` (import, build, publish), or raise `BuildLocked`
    after `wait` seconds. The build inside takes the build lock as any build does."""
    with _held(paths.update_lock_file(work_dir), wait, "update"):
        yield


@contextlib.contextmanager
def _held(path: Path, wait: float, what: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=wait)
    except Timeout as exc:
        raise BuildLocked(
            f"another nashra {what} is running in {path.parent.parent} (lock file {path}); "
            "wait for it to finish, or pass --wait SECONDS"
        ) from exc
    try:
        yield
    finally:
        lock.release()
