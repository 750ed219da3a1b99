"""What the read stage learnt about each article file, kept for the next build.

Reading an article from the content cache still costs its bytes, a hash and
unpickling its script, and its content key costs a hash of that script: a
fraction of a millisecond, which an archive of 30,000 articles turns into
seconds of a rebuild that changes nothing. So for each article the build
remembers the file's identity (size, modification and change times, inode),
everything its content key was made from besides the article (nashra's code,
the settings, the lexicon, the cover's file), and what a published episode's
record takes from the article (but its lead: the content key hashes it, so the
record of an episode that is current holds the same). When all of these are as they were, and the
article's episode is current, the article is not read at all.

The memo is one pickle in `.nashra/cache/`, like the content cache: written and
read only by nashra; a damaged one is only a miss.
"""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from nashra.writer import atomic_write

log = logging.getLogger(__name__)

MEMO_VERSION = 2
"""2: without the article's lead, which the published record holds (see `known_job`)."""

Stat = tuple[int, int, int, int]


@dataclass(frozen=True)
class Known:
    """One article file as the last build read it."""

    stat: Stat
    salt: str
    content_key: str
    title: str
    author: str | None
    date: str | None
    """ISO 8601, or None when the article names no date."""
    url: str | None
    image: str | None
    share: float
    """The share of Arabic among its letters."""
    art: str | None
    """The cover file the content key hashed, if any."""
    art_stat: Stat | None


def file_stat(path: Path) -> Stat | None:
    """What changes whenever the file's bytes may have: a copy, an edit, a touch."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class ReadMemo:
    def __init__(self, path: Path, salt: str) -> None:
        self.path = path
        self.salt = salt
        self._old: dict[str, Known] = {}
        self._new: dict[str, Known] = {}
        try:
            version, entries = pickle.loads(path.read_bytes())
            if version == MEMO_VERSION and isinstance(entries, dict):
                self._old = entries
        except FileNotFoundError:
            pass
        except Exception as exc:  # a damaged memo of any kind is only a miss
            log.debug("ignoring unreadable read memo %s: %s", path, exc)

    def get(self, source: Path) -> Known | None:
        """What the last build knew of `source`, if neither it nor what its key hashed changed."""
        known = self._old.get(source.name)
        if known is None or known.salt != self.salt or known.stat != file_stat(source):
            return None
        if known.art is not None and file_stat(Path(known.art)) != known.art_stat:
            return None
        return known

    def keep(self, source: Path, known: Known) -> None:
        """Remember `known` for the next build (articles not kept are forgotten)."""
        self._new[source.name] = known

    def save(self) -> None:
        if self._new == self._old:
            return
        data = pickle.dumps((MEMO_VERSION, self._new), protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(self.path, data, durable=False)
