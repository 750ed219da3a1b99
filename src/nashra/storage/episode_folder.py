"""What `output/episodes/` holds: one listing, kept small.

An episode has up to six files there (its MP3, cover, chapters and two
transcripts), so an archive of 10,000 episodes lists 50,000 names: held as
strings, twice (what is there, and what the records name), they were the
largest thing a rebuild of the archive allocated. Publishing asks only two
questions of the folder: is this file there, and which files does no record
name. So the listing is kept as one small integer per file stem
(`<slug>` or `<slug>-vN`): a bit for each of the suffixes present.

Only names ending in one of `paths.EPISODE_SUFFIXES` count; the episodes'
web pages (`<slug>.html`) share the folder and are the site's to manage.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from nashra.core.model import EpisodeRecord
from nashra.storage import paths

_BITS = {suffix: 1 << n for n, suffix in enumerate(paths.EPISODE_SUFFIXES)}


def _split(name: str) -> tuple[str, int] | None:
    """A file name as its stem and its suffix's bit, or None if it is not an episode's."""
    for suffix, bit in _BITS.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], bit
    return None


def _in_folder(relative: str) -> tuple[str, int] | None:
    """`episodes/<name>` (relative to `output/`) split as `_split` does; None elsewhere."""
    folder, name = posixpath.split(posixpath.normpath(relative))
    return _split(name) if folder == paths.EPISODES_DIR else None


class EpisodeFolder:
    """The episode files in `output/episodes/` when it was scanned."""

    def __init__(self, folder: Path, stems: dict[str, int]) -> None:
        self.folder = folder
        self._stems = stems

    @classmethod
    def scan(cls, output_dir: Path) -> EpisodeFolder:
        folder = output_dir / paths.EPISODES_DIR
        stems: dict[str, int] = {}
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    split = _split(entry.name)
                    if split is not None and entry.is_file():
                        stem, bit = split
                        stems[stem] = stems.get(stem, 0) | bit
        except FileNotFoundError:
            pass
        return cls(folder, stems)

    def __contains__(self, relative: object) -> bool:
        """Whether `relative` (`episodes/<name>`, relative to `output/`) was there."""
        split = _in_folder(relative) if isinstance(relative, str) else None
        return split is not None and bool(self._stems.get(split[0], 0) & split[1])

    def __len__(self) -> int:
        return sum(bin(bits).count("1") for bits in self._stems.values())

    def collect(self, records: Iterable[EpisodeRecord]) -> int:
        """Remove the files of the listing that none of `records` names: older versions,
        and leftovers of killed builds. Return how many went."""
        unnamed = dict(self._stems)
        for record in records:
            for relative in paths.record_files(record):
                split = _in_folder(relative)
                if split is not None and split[0] in unnamed:
                    unnamed[split[0]] &= ~split[1]
        removed = 0
        for stem, bits in unnamed.items():
            for suffix, bit in _BITS.items():
                if bits & bit:
                    (self.folder / f"{stem}{suffix}").unlink(missing_ok=True)
                    removed += 1
        return removed
