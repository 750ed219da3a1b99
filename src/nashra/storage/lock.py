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
    work_dir.mkdir(parents=True, exist_ok=True)
    path = paths.lock_file(work_dir)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=wait)
    except Timeout as exc:
        raise BuildLocked(
            f"another nashra build is running in {work_dir.parent} (lock file {path}); "
            "wait for it to finish, or pass --wait SECONDS"
        ) from exc
    try:
        yield
    finally:
        lock.release()
