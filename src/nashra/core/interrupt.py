"""SIGINT and SIGTERM: stop at once, clean up, and say so.

`install` (called by the command line only) turns either signal into an
`Interrupted` exception in the main thread, after ending every helper program
and worker process (`lifetime.stop_children`), so nothing keeps running once
the build has decided to stop. Files being written are temporary and go with
their writer; `withdraw` takes back the episodes a build made but did not yet
publish. A second signal while that happens is ignored: the clean-up is short.
"""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import FrameType

    from nashra.config.settings import Settings
    from nashra.core.model import EpisodeRecord

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The process was asked to stop by `signum`.

    A BaseException, like KeyboardInterrupt, so no `except Exception` swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.reported = False
        """Whether the user was already told what the interrupt left behind."""
        self.stage = _stage[0]
        """What the program was doing when the signal came ("starting" before a command
        has begun its work); a build's progress view names its stages more closely."""
        self.published = False
        """Whether an interrupted build had already put a new feed in place."""

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def status(self) -> int:
        """The exit status a shell reports for this signal: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


_received = [False]
"""Whether a signal came already (handlers run in the main thread only)."""
_stage = ["starting"]


def doing(stage: str) -> None:
    """Name what the program is doing, for the message if a signal stops it now."""
    _stage[0] = stage


def _handler(signum: int, frame: FrameType | None) -> None:
    if _received[0]:
        return
    _received[0] = True
    # Every child process is started by a module that loads `lifetime` first, so
    # until it has loaded there is nothing to stop. Importing it here instead could
    # run while the signal interrupted that very import.
    lifetime = sys.modules.get("nashra.core.lifetime")
    if lifetime is not None:
        lifetime.stop_children()
    raise Interrupted(signum)


def install() -> None:
    """Make SIGINT and SIGTERM raise `Interrupted` (from the main thread only).

    This module imports nothing slow (no `lifetime`, which loads ctypes and
    multiprocessing), so that the command line holds the signals within a few
    milliseconds of starting: a Ctrl+C that comes earlier still meets Python's
    own KeyboardInterrupt.
    """
    for signum in SIGNALS:
        signal.signal(signum, _handler)


def withdraw(settings: Settings, before: Mapping[str, EpisodeRecord]) -> list[str]:
    """Take back what an interrupted build made but did not publish; return those slugs.

    `before` is the build state's episodes as the build found them. An episode
    whose new MP3 `output/feed.xml` does not name has its old record put back
    (or none, if it is new), and every episode file that neither the old nor the
    restored records name is deleted: the new MP3s, covers and companions,
    including those of episodes finished in the very moment of the interrupt.
    An old file that the feed no longer names is kept only while a web page still
    names it (the build stopped between writing the feed and the pages). So
    `output/` holds no MP3 that neither the feed nor a page names, and the next
    build makes those episodes again from the clips in the cache.
    """
    # Imported here: the command line installs `install` before anything heavy loads.
    from nashra.stages.publish import collect_garbage
    from nashra.storage import paths
    from nashra.storage.state import BuildState

    state_file = paths.state_file(settings.work_dir)
    state = BuildState.load(state_file)
    try:
        feed_text = (settings.output_dir / paths.FEED_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        feed_text = ""
    withdrawn: list[str] = []
    for slug, new in list(state.episodes.items()):
        old = before.get(slug)
        if (old is not None and new.file == old.file) or f"/{new.file}" in feed_text:
            continue
        if old is None:
            del state.episodes[slug]
        else:
            state.episodes[slug] = old
        withdrawn.append(slug)
    if withdrawn:
        state.save(state_file)
    replaced = {
        slug
        for slug, record in before.items()
        if (now := state.episodes.get(slug)) is None or now.file != record.file
    }
    pages = _pages_naming(settings, replaced) if replaced else ""
    kept = [
        record
        for slug, record in before.items()
        if slug not in replaced
        or f"/{record.file}" in feed_text
        or record.file.rsplit("/", 1)[-1] in pages
    ]
    collect_garbage(settings, [*state.episodes.values(), *kept])
    return sorted(withdrawn)


def _pages_naming(settings: Settings, slugs: set[str]) -> str:
    """The text of the web pages that may name these episodes' files."""
    out = settings.output_dir
    pages = [out / "index.html", *(out / "episodes" / f"{slug}.html" for slug in sorted(slugs))]
    pages += sorted((out / "archive").glob("*.html"))
    texts = []
    for page in pages:
        try:
            texts.append(page.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return "\n".join(texts)
