"""What the read stage learnt about each article file, kept for the next build.

Reading an article from the content cache still costs its bytes, a hash and
unpickling its script, and its content key costs a hash of that script: a
fraction of a millisecond, which an archive of 30,000 articles turns into
seconds of a rebuild that changes nothing. So for each article the build
remembers the file's identity (size, modification and change times, inode),
everything its content key was made from besides the article (nashra itself,
the settings, the lexicon, the cover's file), and the key. When all of these are
as they were, and the article's episode is current, the article is not read at
all, and its record is left as it is: the build that kept the memo entry saved
that record from this very file (the builder saves the memo after the state).
An entry is small (an archive's memo is held whole during a build).

The memo is one pickle in `.nashra/cache/`, like the content cache: written and
read only by nashra; a damaged one is only a miss.
"""

from __future__ import annotations

import logging
import os
import pickle
import struct
from dataclasses import dataclass
from pathlib import Path

from nashra.storage.writer import atomic_write

log = logging.getLogger(__name__)

MEMO_VERSION = 4
"""2: without the article's lead; 3: without any of the article's metadata, the file's
identity packed; 4: with the article's own voice."""

Stat = bytes
"""A file's size, modification and change times and inode, packed (see `file_stat`)."""
_STAT = struct.Struct("<4q")


@dataclass(frozen=True, slots=True)
class Known:
    """One article file as the last build read it."""

    stat: Stat
    salt: str
    content_key: str
    share: float
    """The share of Arabic among its letters."""
    art: str | None
    """The cover file the content key hashed, if any."""
    art_stat: Stat | None
    voice: str | None = None
    """The article's own voice (front matter `voice`), which its episode's voice id names."""


def file_stat(path: str | Path) -> Stat | None:
    """What changes whenever the file's bytes may have: a copy, an edit, a touch."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    # 32 bytes, where a tuple of four integers takes 200.
    return _STAT.pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


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

    def get(self, name: str, source: str | Path) -> Known | None:
        """What the last build knew of the article `name` (at `source`), if neither it nor
        what its key hashed changed."""
        known = self._old.get(name)
        if known is None or known.salt != self.salt or known.stat != file_stat(source):
            return None
        if known.art is not None and file_stat(known.art) != known.art_stat:
            return None
        return known

    def keep(self, name: str, known: Known) -> None:
        """Remember `known` of the article `name` for the next build (articles not kept
        are forgotten)."""
        self._new[name] = known

    def save(self) -> None:
        """Write what this build learnt (if anything changed), then let go of it: an
        archive's entries are not held through publishing."""
        if self._new != self._old:
            data = pickle.dumps((MEMO_VERSION, self._new), protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write(self.path, data, durable=False)
        self._old, self._new = {}, {}
