"""SIGINT and SIGTERM stop a build at once, leave output/ as a feed names it, and say so.

"At once" is counted in processor time: after the signal, the build and its workers use
under 2 s of it (on an idle machine that is also under 2 s of wall time). Counted on the
clock, a machine loaded five times over its cores made the same stop take 2.3 s."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import (
    alive,
    children_cpu_seconds,
    command_line,
    cpu_seconds,
    descendants,
    holds_a_lock,
    start_build,
    wait_for,
)
from tests.support import CORPUS, make_project
from tests.test_crash_safety import assert_consistent
from tests.test_lifetime import edit_every_article, has_child

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def named_by_feed(project: Path) -> set[str]:
    feed = project / "output" / "feed.xml"
    text = feed.read_text(encoding="utf-8") if feed.exists() else ""
    return {p.name for p in (project / "output" / "episodes").glob("*.mp3") if p.name in text}


def test_the_command_line_holds_the_signals_before_it_loads_anything_slow() -> None:
    # `nashra.cli.main` installs the handlers once `nashra.cli` is imported: a
    # signal before that meets Python's own KeyboardInterrupt and its traceback.
    code = "import sys, nashra.cli; print(*sorted(sys.modules))"
    env = {"PYTHONPATH": str(Path("src").resolve())}
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    loaded = set(shown.stdout.split())
    assert "nashra.core.interrupt" in loaded, shown.stderr
    assert (
        loaded & {"click", "ctypes", "multiprocessing", "subprocess", "nashra.core.lifetime"}
        == set()
    )


@pytest.mark.parametrize(
    ("signum", "moment"),
    [
        (signal.SIGINT, "reading"),
        (signal.SIGINT, "voicing"),
        (signal.SIGINT, "encoding"),
        (signal.SIGTERM, "voicing"),
        (signal.SIGTERM, "encoding"),
    ],
)
def test_a_signal_stops_the_build_cleanly(tmp_path: Path, signum: int, moment: str) -> None:
    articles = sorted((CORPUS / "saudinewsnet").glob("0[1-4]-*.txt"))
    project = make_project(tmp_path / "p", articles, engine="espeak")
    if moment == "encoding":
        # Voice and publish everything first; after an edit the rebuild mostly encodes.
        first = start_build(project)
        assert first.wait(timeout=300) == 0
        edit_every_article(project, "أول")
    build = start_build(project)
    children: set[int] = set()
    try:
        if moment == "reading":
            # The lock is the build's first step; reading the articles comes next.
            assert wait_for(lambda: holds_a_lock(build.pid), 60), "the build never began"
        elif moment == "voicing":
            assert wait_for(lambda: len(descendants(build.pid)) >= 2, 60), "no workers started"
        else:
            assert wait_for(lambda: has_child(build.pid, "ffmpeg"), 120), "ffmpeg never ran"
        children = descendants(build.pid)
        reaped = children_cpu_seconds()
        used = cpu_seconds({build.pid} | children)
        sent = time.monotonic()
        build.send_signal(signum)
        _, err = build.communicate(timeout=60)
        took = time.monotonic() - sent
        assert wait_for(lambda: not alive(children), 10) or not alive(children), [
            command_line(pid) for pid in alive(children)
        ]
        worked = children_cpu_seconds() - reaped - used
    finally:
        build.kill()
        build.wait()
    stderr = err.decode()
    assert worked < 2, f"used {worked:.2f} s of processor time to stop ({took:.2f} s on the clock)"
    assert build.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr and "Aborted!" not in stderr, stderr
    assert f"interrupted by {signal.Signals(signum).name}" in stderr, stderr
    assert "next build resumes" in stderr, stderr
    # Nothing half-made is left: no temporary file, no MP3 that no feed names.
    output = project / "output"
    assert [p.name for p in output.rglob("*.part")] == []
    assert list((project / ".nashra").glob("tmp/*")) == []
    mp3s = {p.name for p in output.glob("episodes/*.mp3")}
    assert mp3s == named_by_feed(project)
    assert_consistent(project)

    # The next build finishes the work, taking what was voiced from the cache.
    again = start_build(project)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    assert assert_consistent(project) == len(articles)
    if moment == "encoding":
        assert "from cache 0" not in out.decode(), (out + err).decode()
