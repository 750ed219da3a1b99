"""Figure 1: a cold build against the floor under it, espeak-ng alone then ffmpeg alone.

The floor does only the work no build can skip: prepare and speak every chunk
once (espeak-ng, in a fresh interpreter, given the requests a build gives it: a
sentence's comma clauses in one), then encode the audio once (ffmpeg).
A build with `--jobs 2` is compared both with that floor in one process and
with the same floor split over two processes (each half of the speech through
its own espeak-ng and ffmpeg, at the same time), the fair baseline for two jobs.
Floors and builds take turns, and each figure is the best of its runs: other
load on a shared machine only ever adds time, and one noisy moment then cannot
decide a verdict.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness import PYTHON, Figure, make_project, nashra, planned_sentences, summary_numbers
from targets import Verdict

FLOOR_SYNTH = r"""
import json, sys, time
from nashra.config.settings import Audio
from nashra.engines import create_engine
import io, wave
from nashra.core.model import Script, Utterance
sentences = json.load(open(sys.argv[1], encoding="utf-8"))
engine = create_engine("espeak")
# The engine's whole work: preparing the text (diacritizing, respelling) and speaking it,
# a sentence's clauses with the comma pause between them, as a build has them said.
comma = Audio().comma_pause_ms
script = Script(
    tuple(
        Utterance(t, t, 350 if n == len(clauses) - 1 else comma, 0)
        for clauses in sentences
        for n, t in enumerate(clauses)
    ),
    ("",),
)
with open(sys.argv[2], "wb") as out:
    for utterance in engine.plan(script).utterances:
        with wave.open(io.BytesIO(engine.synthesize(utterance.speech).data)) as w:
            out.write(w.readframes(w.getnframes()))
"""
ONE_JOB_LIMIT = 1.25
"""A build may take a quarter more than the floor it does the same work as."""


@dataclass(frozen=True)
class FloorRun:
    wall: float
    synth: float
    """espeak-ng's seconds, the slowest part when split."""
    encode: float
    audio_minutes: float


Sentence = tuple[str, ...]
"""A sentence's chunks, its clauses cut at commas (`harness.planned_sentences`)."""


def _half(texts: list[Sentence], parts: int) -> list[list[Sentence]]:
    """`texts` in `parts` shares of about the same length, longest first to the lightest."""
    shares: list[list[Sentence]] = [[] for _ in range(parts)]
    sizes = [0] * parts
    for text in sorted(texts, key=lambda s: sum(map(len, s)), reverse=True):
        lightest = sizes.index(min(sizes))
        shares[lightest].append(text)
        sizes[lightest] += sum(map(len, text))
    return shares


def floor(work: Path, texts: list[Sentence], processes: int) -> FloorRun:
    """Speak `texts` once and encode the audio once, split over `processes` at a time."""
    from nashra.render.audio import ffmpeg_path

    times: list[tuple[float, float, int]] = []
    lock = threading.Lock()

    def pipeline(number: int, share: list[Sentence]) -> None:
        given, raw = work / f"texts-{number}.json", work / f"floor-{number}.raw"
        given.write_text(json.dumps(share, ensure_ascii=False), encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", FLOOR_SYNTH, str(given), str(raw)], check=True)
        synth = time.perf_counter() - started
        started = time.perf_counter()
        pcm = ["-f", "s16le", "-ar", "22050", "-ac", "1", "-i", str(raw)]
        mp3 = ["-c:a", "libmp3lame", "-b:a", "96k", "-ar", "44100", str(work / f"{number}.mp3")]
        subprocess.run([ffmpeg_path(), "-v", "error", "-y", *pcm, *mp3], check=True)
        with lock:
            times.append((synth, time.perf_counter() - started, raw.stat().st_size))

    started = time.perf_counter()
    threads = [
        threading.Thread(target=pipeline, args=(number, share))
        for number, share in enumerate(_half(texts, processes))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    assert len(times) == processes, "a floor pipeline failed"
    return FloorRun(
        wall,
        max(t[0] for t in times),
        max(t[1] for t in times),
        sum(t[2] for t in times) / 2 / 22050 / 60,
    )


def cold_build(work: Path, articles: list[Path], rounds: int) -> list[Figure]:
    project = make_project(work / "cold", articles)
    texts = sorted(set(planned_sentences(project)))
    floors: dict[int, list[FloorRun]] = {1: [], 2: []}
    builds: dict[int, list[float]] = {1: [], 2: []}
    episodes = 0
    for _ in range(rounds):
        for jobs in (1, 2):
            floors[jobs].append(floor(work, texts, jobs))
            shutil.rmtree(project / ".nashra", ignore_errors=True)
            shutil.rmtree(project / "output", ignore_errors=True)
            wall, out = nashra("build", "-p", str(project), "-j", str(jobs))
            counts = summary_numbers(out)
            assert counts["failed"] == 0, out
            episodes = counts["built"]
            builds[jobs].append(wall)
    best = {jobs: min(runs, key=lambda r: r.wall) for jobs, runs in floors.items()}
    minutes = best[1].audio_minutes

    def runs(values: list[float]) -> str:
        return f"best of {len(values)}: {', '.join(f'{v:.2f}' for v in values)}"

    def measured(jobs: int) -> str:
        wall = min(builds[jobs])
        return (
            f"{wall:.2f} s ({runs(builds[jobs])}; {episodes} episodes, {minutes:.1f} min of speech)"
        )

    def described(jobs: int) -> str:
        f = best[jobs]
        where = "one process" if jobs == 1 else f"{jobs} processes at once"
        return (
            f"floor in {where} {f.wall:.2f} s ({runs([r.wall for r in floors[jobs]])}; "
            f"espeak-ng {f.synth:.2f} s + ffmpeg {f.encode:.2f} s)"
        )

    name = f"1. cold build of {len(articles)} articles, --jobs"
    one, two = min(builds[1]) / best[1].wall, min(builds[2]) / best[1].wall
    fair = min(builds[2]) / best[2].wall
    limit = ONE_JOB_LIMIT
    return [
        Figure(
            f"{name} 1",
            measured(1),
            described(1),
            one,
            (Verdict(f"{name} 1", f"≤ {limit} × floor", one <= limit, timing=True),),
        ),
        Figure(
            f"{name} 2",
            measured(2),
            described(1),
            two,
            (Verdict(f"{name} 2", "< 1.0 × floor", two < 1.0, timing=True),),
        ),
        Figure(
            f"{name} 2, against the floor split in two",
            measured(2),
            described(2),
            fair,
            (
                Verdict(
                    f"{name} 2", f"≤ {limit} × floor in 2 processes", fair <= limit, timing=True
                ),
            ),
        ),
    ]
