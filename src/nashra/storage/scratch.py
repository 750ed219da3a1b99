"""Scratch space for a build's temporary audio: `.nashra/tmp/`, never the system's /tmp.

An episode's joined PCM takes 44 kB a second (160 MB an hour at 22,050 Hz),
too much for a RAM-backed /tmp, and it belongs with the project it was made
for. Each use is a folder of its own removed when the use ends, whatever the
ending; folders left by a build that was killed outright are removed by the
next build (which holds the project lock, so no other build is using them),
with the temporary files a killed build left in the work folder and its caches.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nashra.core.errors import AudioError
from nashra.storage import paths
from nashra.storage.writer import remove_stale_parts

PCM_BYTES_PER_SECOND = 24_000 * 2
"""The most PCM a second of speech takes (16-bit mono at the highest clip rate, Google's)."""
SPARE = 1.25
"""Room asked for beyond the estimate, which can come out short."""


@contextlib.contextmanager
def scratch_folder(work_dir: Path, *, seconds: float = 0.0) -> Iterator[Path]:
    """A new empty folder in the project's scratch space, removed when the block ends.

    With `seconds` (the expected length of the audio to spool there), first
    check that the disk has room for it, so a long episode fails at once with
    a clear message instead of filling the disk halfway.
    """
    root = paths.scratch_dir(work_dir)
    root.mkdir(parents=True, exist_ok=True)
    needed = int(seconds * PCM_BYTES_PER_SECOND * SPARE)
    free = shutil.disk_usage(root).free
    if needed > free:
        raise AudioError(
            f"not enough room in {root} for the episode's temporary audio: about "
            f"{needed // 2**20} MB needed, {free // 2**20} MB free"
        )
    with tempfile.TemporaryDirectory(prefix="nashra-", dir=root) as folder:
        yield Path(folder)


def remove_stale(work_dir: Path) -> int:
    """Remove what killed builds left in the scratch space, and the temporary files
    (`.*.part`) they left in the work folder and its caches; return how many.

    The scratch space is there afterwards: a local cluster's workers, which see the
    project, make their episodes in it (`nashra.stages.cluster.tasks`)."""
    count = sum(
        remove_stale_parts(folder, recursive=False)
        for folder in (
            work_dir,
            work_dir / "cache",
            paths.clip_dir(work_dir),
            paths.article_cache_dir(work_dir),
            paths.art_cache_dir(work_dir),
        )
    )
    root = paths.scratch_dir(work_dir)
    root.mkdir(parents=True, exist_ok=True)
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        count += 1
    return count


def own_prefix(prefix: str) -> str:
    """`prefix` with this process's id: temporary files named so, in a folder that other
    programs share (the system's temporary folder), can be told apart once their
    process is gone (`remove_orphans`)."""
    return f"{prefix}{os.getpid()}-"


def remove_orphans(folder: Path, prefix: str) -> int:
    """Remove what processes that have ended left in `folder` under `own_prefix(prefix)`
    names (a killed publish's file lists, a killed cluster worker's episode folder);
    return how many. Another process's, still running, are left alone."""
    count = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        pid, dash, _ = entry.name.removeprefix(prefix).partition("-")
        if not entry.name.startswith(prefix) or not dash or not pid.isdigit():
            continue
        if _running(int(pid)):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
        count += 1
    return count


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
