"""A build killed outright leaves no process behind: its workers and ffmpeg die with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import alive, command_line, descendants, start_build, wait_for
from tests.support import CORPUS, make_project

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def edit_every_article(project: Path, marker: str) -> None:
    for article in (project / "articles").iterdir():
        text = article.read_text(encoding="utf-8").rstrip("\n")
        article.write_text(f"{text}\nتحديث {marker} للخبر.\n", encoding="utf-8")


def has_child(pid: int, name: str) -> bool:
    return any(name in command_line(child) for child in descendants(pid))


@pytest.mark.parametrize(
    "moment",
    ["workers started", "in the middle of voicing", "while ffmpeg encodes"],
)
def test_sigkill_leaves_no_process(tmp_path: Path, moment: str) -> None:
    articles = sorted((CORPUS / "saudinewsnet").glob("0[1-4]-*.txt"))
    project = make_project(tmp_path / "p", articles, engine="espeak")
    if moment == "while ffmpeg encodes":
        # Voice everything first, so that the next build after an edit mostly encodes.
        first = start_build(project)
        assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
        edit_every_article(project, "أول")
    build = start_build(project)
    children: set[int] = set()
    try:
        if moment == "while ffmpeg encodes":
            assert wait_for(lambda: has_child(build.pid, "ffmpeg"), 120), "ffmpeg never ran"
        else:
            assert wait_for(lambda: len(descendants(build.pid)) >= 2, 60), "no workers started"
            if moment == "in the middle of voicing":
                time.sleep(0.3)
        children |= descendants(build.pid)
        assert children, "the build had no child process to leave behind"
        build.send_signal(signal.SIGKILL)
        build.wait()
        left = children
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (left := alive(children)):
            time.sleep(0.05)
        assert not left, [command_line(pid) for pid in left]
    finally:
        build.kill()
        build.wait()
        for pid in alive(children):
            os.kill(pid, signal.SIGKILL)


GRANDCHILD = """
import os, sys, time
from nashra.core import lifetime
lifetime._PRCTL = None  # as where prctl does not exist: only the parent watch is left
lifetime.die_with_parent(int(sys.argv[1]))
time.sleep(60)
"""
PARENT = """
import subprocess, sys, os, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid())])
print(child.pid, flush=True)
time.sleep(60)
"""


def test_the_parent_watch_ends_a_worker_where_prctl_is_missing() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path("src").resolve())}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, GRANDCHILD], stdout=subprocess.PIPE, env=env
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        time.sleep(1)  # the child is running and watching
        assert alive({child})
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_for(lambda: not alive({child}), 2), "the orphan kept running"
    finally:
        parent.kill()
        parent.wait()
        if alive({child}):
            os.kill(child, signal.SIGKILL)
