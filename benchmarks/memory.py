"""Figure 5: the peak memory of a build's whole process tree, short episode against long.

A build is several processes: nashra itself, the worker that voices the
episode, and ffmpeg, which encodes it. The figure follows the tree while it
runs and sums it about twenty times a second. It counts proportional memory
(PSS, from /proc/PID/smaps_rollup): a page shared by several processes (the
interpreter, the libraries a worker inherits from its parent) counts once,
split between them, so the sum is what the build takes from the machine.
Resident memory (RSS) is shown beside it; summed over processes it counts each
shared page once per process. The target is stated in PSS. Where the kernel
does not give PSS the figure falls back to RSS, and says so.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from harness import ARTICLES, PYTHON, Figure, make_project
from targets import Verdict

MEMORY_CHILD = r"""
import json, sys
from pathlib import Path
from nashra.stages.builder import build
from nashra.config.settings import load_settings
report = build(load_settings(Path(sys.argv[1])), jobs=1)
assert report.ok, report.failed
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"self_kb": int(peak.split()[1]), "seconds": report.audio_seconds}))
"""
INTERVAL = 0.05
LIMIT_MB = 200
RATIO = 1.3


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc/PID/task/TID/children."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            with contextlib.suppress(OSError):
                queue += [int(c) for c in (task / "children").read_text().split()]
    return found


def _kb(text: str, field: str) -> int | None:
    for line in text.splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return None


def usage(pid: int) -> tuple[int, int | None]:
    """(RSS, PSS) of one process in kB; PSS is None where the kernel does not give it."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        rollup = ""
    rss, pss = _kb(rollup, "Rss:"), _kb(rollup, "Pss:")
    if rss is None:
        try:
            rss = _kb(Path(f"/proc/{pid}/status").read_text(), "VmRSS:")
        except OSError:
            rss = None
    return rss or 0, pss


@dataclass
class TreePeak:
    """The largest sums seen over one process tree while it ran."""

    rss_kb: int = 0
    pss_kb: int = 0
    pss_known: bool = True
    processes: int = 0

    def follow(self, process: subprocess.Popen[bytes]) -> None:
        stopped = threading.Event()

        def sample() -> None:
            while not stopped.wait(INTERVAL):
                pids = descendants(process.pid)
                usages = [usage(pid) for pid in pids]
                self.rss_kb = max(self.rss_kb, sum(rss for rss, _ in usages))
                if any(pss is None for rss, pss in usages if rss):
                    self.pss_known = False
                self.pss_kb = max(self.pss_kb, sum(pss or rss for rss, pss in usages))
                self.processes = max(self.processes, sum(1 for rss, _ in usages if rss))

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            process.wait()
        finally:
            stopped.set()
            thread.join()

    @property
    def kb(self) -> int:
        """What the target is judged on: PSS where known, else RSS."""
        return self.pss_kb if self.pss_known else self.rss_kb


def long_article(folder: Path, minutes: float) -> Path:
    """One article about `minutes` long (9.6 spoken characters a second), from corpus text."""
    paragraphs: list[str] = []
    size = 0
    goal = minutes * 60 * 9.6
    i = 0
    while size < goal:
        source = ARTICLES[i % len(ARTICLES)].read_text(encoding="utf-8").splitlines()[2:]
        for line in source:
            if line.strip() and size < goal:
                paragraphs.append(line.strip())
                size += len(line)
        i += 1
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"long-{int(minutes)}.txt"
    path.write_text("حلقة طويلة للقياس\n\n" + "\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def build_peak(project: Path) -> tuple[TreePeak, dict[str, float]]:
    """Build `project` in a fresh interpreter with one job, following its process tree."""
    out, err = project / "memory-build.out", project / "memory-build.err"
    with out.open("w", encoding="utf-8") as stdout, err.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [PYTHON, "-c", MEMORY_CHILD, str(project)], stdout=stdout, stderr=stderr
        )
        peak = TreePeak()
        peak.follow(process)
    if process.returncode != 0:
        raise RuntimeError(f"the memory build failed:\n{err.read_text(encoding='utf-8')}")
    return peak, json.loads(out.read_text(encoding="utf-8").strip().splitlines()[-1])


def memory(work: Path, short: float, long: float) -> list[Figure]:
    runs = {}
    for minutes in (short, long):
        project = make_project(work / f"mem-{minutes}", [long_article(work / "long", minutes)])
        runs[minutes] = build_peak(project)
    (a, a_facts), (b, b_facts) = runs[short], runs[long]
    ratio = b.kb / a.kb
    kind = "PSS" if a.pss_known and b.pss_known else "RSS (no PSS from this kernel)"

    def described(peak: TreePeak, facts: dict[str, float]) -> str:
        return (
            f"{peak.kb / 1024:.0f} MB {kind} (RSS {peak.rss_kb / 1024:.0f} MB) in "
            f"{peak.processes} processes; nashra's own process {facts['self_kb'] / 1024:.0f} MB"
        )

    def length(facts: dict[str, float]) -> str:
        minutes = facts["seconds"] / 60
        return f"{minutes:.0f}" if minutes >= 5 else f"{minutes:.1f}"

    name = (
        f"5. peak memory of the build's processes, {length(b_facts)}-minute vs "
        f"{length(a_facts)}-minute episode"
    )
    return [
        Figure(
            name,
            described(b, b_facts),
            described(a, a_facts),
            ratio,
            (
                Verdict(name, f"≤ {RATIO} ×", ratio <= RATIO),
                Verdict(name, f"under {LIMIT_MB} MB PSS", b.kb < LIMIT_MB * 1024),
            ),
        )
    ]
