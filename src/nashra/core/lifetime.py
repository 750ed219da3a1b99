"""Child processes end with the build that started them, however it ends.

A build killed outright (SIGKILL, the out-of-memory killer) runs no clean-up of
its own, so each child looks after itself: on Linux the kernel sends it SIGKILL
when its parent dies (`PR_SET_PDEATHSIG`); everywhere, a worker also watches
its parent's process id and exits when it changes (an orphan is adopted by
another process). Workers ignore SIGINT: a Ctrl-C at the terminal reaches the
whole process group, and the build itself decides how its workers stop.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""
WATCH_INTERVAL = 0.25
"""Seconds between two looks at the parent's process id."""


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


_PRCTL = _prctl()


def kill_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux; elsewhere nothing).

    Safe as a `subprocess` `preexec_fn`: one system call, nothing allocated.
    """
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def die_with_parent(parent: int) -> None:
    """In a worker process started by `parent`: end as soon as `parent` has ended."""
    kill_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="nashra-parent-watch").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


def worker_started(parent: int) -> None:
    """Everything a worker process does first: die with `parent`, leave SIGINT to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the build's handlers; SIGTERM ends a worker at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)


def child_options() -> dict[str, Any]:
    """`subprocess` keyword arguments for a helper program (ffmpeg) that must die with us."""
    if _PRCTL is None:
        return {}
    return {"preexec_fn": kill_with_parent}


# ---------------------------------------------------------------- stopping on request

_running: set[subprocess.Popen[bytes]] = set()
# Reentrant: the signal handler calls `stop_children` in the main thread, which may
# be inside `run` holding it.
_running_lock = threading.RLock()
_stopping = threading.Event()


def run(
    command: list[str], on_line: Callable[[bytes], None] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`subprocess.run(command, capture_output=True, check=True)` for a helper program
    that dies with the build and that `stop_children` can end at once.

    With `on_line`, each line of the program's output is handed to it as it comes
    (the program's error output must then stay small: it is read at the end).
    """
    with _running_lock:
        if _stopping.is_set():
            raise InterruptedError(f"not starting {Path(command[0]).name}: the build is stopping")
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **child_options()
        )
        _running.add(process)
    try:
        if on_line is not None:
            assert process.stdout is not None and process.stderr is not None
            lines = []
            for line in process.stdout:
                lines.append(line)
                on_line(line)
            err = process.stderr.read()
            process.wait()
            out = b"".join(lines)
        else:
            out, err = process.communicate()
    finally:
        with _running_lock:
            _running.discard(process)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, out, err)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def stop_children() -> None:
    """End every helper program and worker process now; start no new helper program.

    Called when the build is interrupted: what the children were making is
    thrown away (their files are temporary), so they are killed, not asked.
    """
    _stopping.set()
    with _running_lock:
        running = list(_running)
    for process in running:
        with contextlib.suppress(OSError):
            process.kill()
    for child in multiprocessing.active_children():
        child.kill()


def stopping() -> bool:
    """Whether `stop_children` was called: long loops check it to give up early."""
    return _stopping.is_set()
