"""nashra on a Dask cluster against nashra on one machine, with the same two cores.

    python benchmarks/cluster.py               # 200 articles of the archive, espeak-ng
    python benchmarks/cluster.py --quick       # 20 articles, to check the benchmark works

The same articles (spread over the SaudiNewsNet archive, imported by `nashra
import saudinewsnet`) are built from nothing twice, each build in a fresh process
and project: `--jobs 2` (this machine's worker processes) and `--cluster local:2`
(a Dask LocalCluster of two worker processes, one thread each, sharing the
project's clip cache). Their wall times give the ratio; the cluster's tasks
report their own time, so the cost the cluster adds to each task (scheduling,
moving the episode through the shared storage, recording it) is measured too,
as is Dask's bare round trip for an empty task. From the cluster's measured
throughput per worker, the hours to voice the whole archive on 1, 8 and 64
workers are projected, with the coordinator's own time per episode (copying
and recording, which no worker can take) as the floor.

Targets: the cluster's build takes at most 1.15 × the time of the local one (a
time ratio: checked only in a full run, of 200 articles or more), and its feed
and MP3s are byte for byte the local build's (checked in every run). `--check`
exits 1 when one that applies is missed. A full run's figures are written to
RESULTS.md as their own section. The archive is not in the repository: without
its day files the benchmark says so and exits 1.
"""

from __future__ import annotations

import sys

# benchmarks/number_reading.py and its neighbours come after the standard library, so none
# can shadow a module of it; results_file is found there.
_HERE = str(__import__("pathlib").Path(__file__).parent)
sys.path[:] = [p for p in sys.path if p != _HERE] + [_HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from results_file import replace_section  # noqa: E402
from targets import Verdict, add_check_argument, exit_status  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "corpus" / "saudinewsnet-archive"
PYTHON = sys.executable
MARKER = "## A cluster"
TARGET = 1.15
FULL = 200
"""Articles in a full run; a smaller one checks the benchmark works, not its time target."""


def build(project: Path, cluster: str) -> dict[str, Any]:
    """One build from nothing, in this process; what it did and how long it took."""
    from nashra.config.settings import load_settings
    from nashra.stages.builder import build as run_build

    settings = load_settings(project)
    started = time.perf_counter()
    report = run_build(settings, jobs=2, cluster=cluster)
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"build failed: {report.failed[:3]}")
    result: dict[str, Any] = {
        "seconds": seconds,
        "episodes": len(report.built),
        "audio_seconds": report.audio_seconds,
        "voicing_seconds": report.voicing_seconds,
    }
    if report.cluster is not None:
        result |= {
            "task_seconds": report.cluster.task_seconds,
            "take_seconds": report.cluster.take_seconds,
            "workers": report.cluster.workers,
        }
    return result


def empty_tasks(count: int) -> dict[str, Any]:
    """Dask's own cost: starting a LocalCluster of two, and `count` empty tasks through it."""
    from nashra.stages.cluster.dask_client import connect

    started = time.perf_counter()
    with connect("local:2") as cluster:
        up = time.perf_counter() - started
        started = time.perf_counter()
        # The window a build of two workers uses: a task goes out as another comes back.
        tasks = cluster.map_unordered(abs, range(count), lambda n: f"empty-{n}", window=8)
        done = sum(1 for _ in tasks)
        seconds = time.perf_counter() - started
    return {"startup_seconds": up, "tasks": done, "seconds": seconds}


def child(*args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [PYTHON, __file__, "--child", *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{args} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def make_project(root: Path, articles: list[Path]) -> Path:
    (root / "articles").mkdir(parents=True)
    text = (ROOT / "podcast.toml").read_text(encoding="utf-8")
    text = text.replace('engine = "auto"', 'engine = "espeak"')
    # Bulletins mix the articles' clips on the coordinator alike in both builds; left out,
    # the figures are the voicing and assembly that a cluster takes over.
    text = text.replace("[bulletin]\nenabled = true", "[bulletin]\nenabled = false")
    (root / "podcast.toml").write_text(text, encoding="utf-8")
    for path in articles:
        (root / "articles" / path.name).write_bytes(path.read_bytes())
    return root


def published(output: Path) -> set[str]:
    """The feed and the MP3s of a build's `output/`, by their paths in it."""
    files = [output / "feed.xml", *(output / "episodes").glob("*.mp3")]
    return {path.relative_to(output).as_posix() for path in files if path.is_file()}


def differing_files(here: Path, there: Path) -> list[str]:
    """The feed and the MP3s of one `output/` that are not byte for byte the other's
    (a file only one of them has included)."""
    differ = []
    for name in sorted(published(here) | published(there)):
        a, b = here / name, there / name
        if not (a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()):
            differ.append(name)
    return differ


def verdicts(here: dict[str, Any], there: dict[str, Any]) -> list[Verdict]:
    ratio = there["seconds"] / here["seconds"]
    return [
        Verdict(
            "the cluster's feed and MP3s against the local build's",
            f"byte for byte the same ({len(there['differ'])} of {there['files']} differ)",
            not there["differ"],
        ),
        Verdict(
            "`--cluster local:2` vs `--jobs 2`",
            f"at most {TARGET} × the time ({ratio:.3f} ×)",
            ratio <= TARGET,
            timing=True,
        ),
    ]


def words_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").split("---", 2)[-1].split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, default=FULL)
    parser.add_argument("--quick", action="store_true", help="20 articles; RESULTS.md untouched")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--archive", type=Path, default=ARCHIVE, help="the day files' folder")
    add_check_argument(parser)
    args = parser.parse_args()
    if args.child:
        mode, *rest = args.child
        if mode == "build":
            result = build(Path(rest[0]), rest[1] if len(rest) > 1 else "")
        else:
            result = empty_tasks(int(rest[0]))
        print(json.dumps(result))
        return 0

    from nashra.readers.importing import import_files

    articles = 20 if args.quick else args.articles
    full = articles >= FULL
    days = sorted(args.archive.glob("*.zip"))
    if not days:
        raise SystemExit(
            f"no day files (*.zip) in {args.archive}: this benchmark needs the SaudiNewsNet "
            "archive (--archive FOLDER)"
        )
    with tempfile.TemporaryDirectory(prefix="nashra-cluster-") as tmp:
        work = Path(tmp)
        imported = import_files("saudinewsnet", days, work / "all")
        everything = sorted(imported.written)
        step = max(1, len(everything) // articles)
        chosen = everything[::step][:articles]
        words = sum(words_of(p) for p in chosen)
        archive_words = sum(words_of(p) for p in everything)
        print(f"{len(chosen)} articles, {words} words (archive: {len(everything)})", flush=True)
        load = os.getloadavg()[0]
        here = child("build", str(make_project(work / "jobs", chosen)))
        print(f"--jobs 2: {here}", flush=True)
        there = child("build", str(make_project(work / "cluster", chosen)), "local:2")
        print(f"--cluster local:2: {there}", flush=True)
        empty = child("empty", str(len(chosen)))
        print(f"empty tasks: {empty}", flush=True)
        there["load"] = (load, os.getloadavg()[0])
        outputs = work / "jobs" / "output", work / "cluster" / "output"
        there["differ"] = differing_files(*outputs)
        there["files"] = len(published(outputs[0]))
    judged = verdicts(here, there)
    for verdict in judged:
        print(f"{verdict.figure}: {verdict.target}: {'met' if verdict.met else 'not met'}")
    if full:
        write_section(
            args.output, len(chosen), words, here, there, empty, archive_words, len(everything)
        )
        print(f"wrote {args.output}")
    return exit_status(judged, check=args.check, quick=not full)


def write_section(
    path: Path,
    count: int,
    words: int,
    here: dict[str, Any],
    there: dict[str, Any],
    empty: dict[str, Any],
    archive_words: int,
    archive_articles: int,
) -> None:
    ratio = there["seconds"] / here["seconds"]
    workers = there["workers"]
    tasks = there["episodes"]
    # What the cluster adds to each task: its wall time beyond the tasks' own, per task
    # and worker (the tasks themselves run on `workers` processes at once).
    added = (there["seconds"] * workers - there["task_seconds"]) / tasks
    per_worker = words / there["task_seconds"]
    take = there["take_seconds"] / tasks
    same, quick = (v.met for v in verdicts(here, there))
    verdict = "met" if quick else "**not met**"
    lines = [
        MARKER,
        "",
        f"Measured by `python benchmarks/cluster.py` on {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}: {count} articles "
        f"({words:,} words) spread over the SaudiNewsNet archive, voiced by espeak-ng and "
        "built from nothing, each build in a fresh process and project (load average "
        f"{there['load'][0]:.1f} before, {there['load'][1]:.1f} after).",
        "",
        "| build | wall time | episodes | audio |",
        "| --- | --- | --- | --- |",
        f"| `--jobs 2` | {here['seconds']:.1f} s | {here['episodes']} | "
        f"{here['audio_seconds'] / 3600:.1f} h |",
        f"| `--cluster local:2` | {there['seconds']:.1f} s | {there['episodes']} | "
        f"{there['audio_seconds'] / 3600:.1f} h |",
        "",
        f"`--cluster local:2` vs `--jobs 2`: {ratio:.3f} × (target ≤ {TARGET}: {verdict}). "
        f"The cluster's feed and {there['files'] - 1} MP3s against the local build's: "
        + ("byte for byte the same." if same else f"**{len(there['differ'])} differ**."),
        "",
        f"Per task (one episode), the cluster adds {added * 1000:.0f} ms of wall time per "
        "worker beyond the task's own work (starting the LocalCluster, scheduling, the "
        "workers' engines loading, the episode's trip through the shared storage); the "
        f"coordinator spends {take * 1000:.1f} ms per episode copying it into `output/` and "
        f"recording it. Dask alone: a LocalCluster of two starts in "
        f"{empty['startup_seconds']:.1f} s, and {empty['tasks']} empty tasks, 8 out at once "
        "as a build of two workers sends them, take "
        f"{empty['seconds'] / empty['tasks'] * 1000:.1f} ms each.",
        "",
        f"Projection for the whole archive ({archive_articles:,} articles, "
        f"{archive_words:,} words) from the cluster's measured {per_worker:.0f} words a "
        "second per worker, plus the added cost per task, with the coordinator's time "
        "per episode as the floor (it takes the episodes one at a time):",
        "",
        "| workers | hours |",
        "| --- | --- |",
    ]
    for n in (1, 8, 64):
        hours = max(
            (archive_words / per_worker + archive_articles * added) / n,
            archive_articles * take,
        )
        lines.append(f"| {n} | {hours / 3600:.1f} |")
    replace_section(path, MARKER, "\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
