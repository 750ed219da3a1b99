"""Helpers for tests that run a real `nashra build` and watch its processes in /proc."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

PROC = Path("/proc")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of `pid`, None once it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def descendants(root: int) -> set[int]:
    """Every live process below `root`."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                children.setdefault(stat[1], []).append(int(entry.name))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def cpu_seconds(pids: set[int]) -> float:
    """The processor time `pids` have used, their reaped children's included (utime,
    stime, cutime and cstime of /proc/PID/stat); a process already gone counts 0."""
    ticks = 0
    for pid in pids:
        try:
            text = (PROC / str(pid) / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        ticks += sum(int(field) for field in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    """The processor time of this process's reaped children and what they reaped."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def alive(pids: set[int]) -> set[int]:
    """The `pids` still running (a zombie has ended: it only waits to be reaped)."""
    return {pid for pid in pids if (stat := _stat(pid)) is not None and stat[0] != "Z"}


def command_line(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def start_build(project: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "nashra", "build", "-p", str(project), "-j", "2", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NASHRA_DEBUG": "", "PYTHONPATH": str(Path("src").resolve())},
    )


def wait_for(predicate: object, timeout: float) -> bool:
    """Poll `predicate()` every 20 ms for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def holds_a_lock(pid: int) -> bool:
    """Whether `pid` holds a file lock (a build holds its project's lock once it has begun)."""
    try:
        lines = (PROC / "locks").read_text().splitlines()
    except OSError:
        return False
    return any(line.split()[4:5] == [str(pid)] for line in lines if "->" not in line)
