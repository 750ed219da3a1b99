"""SIGINT and SIGTERM: stop at once, clean up, and say so.

`install` (called by the command line only) turns either signal into an
`Interrupted` exception in the main thread, after ending every helper program
and worker process (`lifetime.stop_children`), so nothing keeps running once
the build has decided to stop. Files being written are temporary and go with
their writer; the build takes back the episodes it made but did not yet publish
(`nashra.stages.publish.withdraw`). A second signal while that happens is ignored:
the clean-up is short.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import FrameType

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
_raised: list[Interrupted] = []
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
    _raised.append(Interrupted(signum))
    raise _raised[0]


def pending() -> Interrupted | None:
    """The `Interrupted` a signal raised, if one came.

    A handler's exception is lost where Python cannot raise it (a hook that runs at a
    fork, `__del__`: "Exception ignored"), yet the children are already stopped. Code
    that then meets what that left behind (a worker pool broken) stops with this
    instead of failing with it."""
    return _raised[0] if _raised else None


def _unraisable(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """`hook`, but silent about an `Interrupted` Python could not raise: `pending` keeps it."""

    def quiet(unraisable: Any) -> object:
        if isinstance(unraisable.exc_value, Interrupted):
            return None
        return hook(unraisable)

    return quiet


def install() -> None:
    """Make SIGINT and SIGTERM raise `Interrupted` (from the main thread only).

    This module imports nothing slow (no `lifetime`, which loads ctypes and
    multiprocessing), so that the command line holds the signals within a few
    milliseconds of starting: a Ctrl+C that comes earlier still meets Python's
    own KeyboardInterrupt.
    """
    for signum in SIGNALS:
        signal.signal(signum, _handler)
    sys.unraisablehook = _unraisable(sys.unraisablehook)
