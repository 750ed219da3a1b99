"""Scratch space for a build's temporary audio: `.nashra/tmp/`, never the system's /tmp.

An episode's joined PCM takes 44 kB a second (160 MB an hour at 22,050 Hz),
too much for a RAM-backed /tmp, and it belongs with the project it was made
for. Each use is a folder of its own removed when the use ends, whatever the
ending; folders left by a build that was killed outright are removed by the
next build (which holds the project lock, so no other build is using them).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nashra import paths
from nashra.errors import AudioError

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
    """Remove what killed builds left in the scratch space; return how many folders."""
    root = paths.scratch_dir(work_dir)
    if not root.is_dir():
        return 0
    count = 0
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        count += 1
    return count
