"""nashra's benchmark: every figure measured against its baseline in the same run.

    python benchmarks/run.py                   # full run, writes benchmarks/RESULTS.md
    python benchmarks/run.py --quick --check   # small inputs; exit 1 on a missed target (CI)

Timings on shared machines are noisy, so each figure is a ratio to a baseline
measured moments before or after it in this process, never an absolute time
compared with a constant. The five figures and their targets are those of the
"fast and lean" issue; see RESULTS.md for the last full run. With `--check` a
missed target makes the run exit 1: in a quick run only the targets that do not
depend on the machine's speed (benchmarks/targets.py), in a full run all.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The modules beside this one come after the standard library, so none can shadow it.
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if p != _HERE] + [_HERE]

import argparse  # noqa: E402
import compileall  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

from floor import cold_build  # noqa: E402
from gtts_figures import gtts_requests  # noqa: E402
from harness import (  # noqa: E402
    ARTICLES,
    PYTHON,
    ROOT,
    Figure,
    edit_one_sentence,
    make_project,
    nashra,
    planned_chunks,
    summary_numbers,
)
from memory import memory  # noqa: E402
from targets import Verdict, add_check_argument, exit_status  # noqa: E402

__all__ = ["ARTICLES", "main", "make_project"]
"""benchmarks/serve.py makes its projects with these."""

# ---------------------------------------------------------------- 2 and 3. warm rebuild, one edit


def interpreter_start() -> float:
    """Wall time of a bare interpreter start, the floor under any CLI run."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", "pass"], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def many_articles(folder: Path, count: int) -> list[Path]:
    """`count` distinct articles made from the corpus: each copy gets its own title and end."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    # The 34 KB article would make this a benchmark of encoding; the others average 3 minutes.
    sources = [a for a in ARTICLES if a.stat().st_size < 20_000]
    for i in range(count):
        source = sources[i % len(sources)]
        title, _, body = source.read_text(encoding="utf-8").rstrip("\n").partition("\n")
        path = folder / f"{i:03d}-{source.stem}.txt"
        # Distinct titles: same-day episodes with one title are an error (apps merge them).
        text = f"{title} ({i + 1})\n{body}\nهذه النسخة رقم {i + 1} من الخبر.\n"
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def warm_and_edit(work: Path, count: int) -> list[Figure]:
    project = make_project(work / "warm", many_articles(work / "generated", count))
    nashra("build", "-p", str(project))
    start = interpreter_start()
    # The best of three, as for the interpreter's start: other load on a shared
    # machine only ever adds time. Every run must do nothing.
    runs = [nashra("build", "-p", str(project)) for _ in range(3)]
    wall = min(w for w, _ in runs)
    counts = {
        key: max(summary_numbers(out)[key] for _, out in runs) for key in ("synthesized", "built")
    }
    beyond = wall - start
    name = f"2. warm rebuild of {count} articles, nothing changed"
    figures = [
        Figure(
            name,
            f"{wall:.2f} s wall (best of 3: {', '.join(f'{w:.2f}' for w, _ in runs)}); "
            f"{counts['synthesized']} engine calls, {counts['built']} encodes",
            f"interpreter start {start:.2f} s",
            None,
            (
                Verdict(name, "< 1 s beyond the interpreter's start", beyond < 1.0, timing=True),
                Verdict(
                    name,
                    "0 calls, 0 encodes",
                    counts["synthesized"] == 0 and counts["built"] == 0,
                ),
            ),
        )
    ]

    before = planned_chunks(project)
    edit_one_sentence(sorted((project / "articles").iterdir())[0])
    after = planned_chunks(project)
    changed = len(set(after) - set(before))
    _, out = nashra("build", "-p", str(project))
    counts = summary_numbers(out)
    name = "3. one sentence edited in one article"
    figures.append(
        Figure(
            name,
            f"{counts['synthesized']} chunks synthesized, {counts['built']} episode re-encoded",
            f"{changed} chunk(s) changed in the plan, 1 article edited",
            None,
            (
                Verdict(
                    name,
                    "only that sentence's chunks, only that episode",
                    counts["synthesized"] == changed and counts["built"] == 1,
                ),
            ),
        )
    )
    return figures


# ---------------------------------------------------------------- report


def _verdict_cell(figure: Figure) -> str:
    if figure.met:
        return "yes"
    if len(figure.verdicts) == 1:
        return "**no**"
    return "**no**: " + "; ".join(v.target for v in figure.verdicts if not v.met)


def write_results(
    path: Path, figures: list[Figure], quick: bool, load: tuple[float, float]
) -> None:
    timed = sorted({f.name.split(".")[0] for f in figures for v in f.verdicts if v.timing})
    lines = [
        "# nashra benchmark results",
        "",
        f"Measured by `python benchmarks/run.py{' --quick' if quick else ''}` on "
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}. "
        f"Load average {load[0]:.1f} when the run began, {load[1]:.1f} when it ended. "
        "Each figure is compared with a baseline measured in the same run.",
        "",
        "| figure | measured | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        ratio = f"{f.ratio:.3f}" if f.ratio is not None else "–"
        lines.append(
            f"| {f.name} | {f.measured} | {f.baseline} | {ratio} | {f.target} | "
            f"{_verdict_cell(f)} |"
        )
    lines += [
        "",
        "With `--check` a missed target fails the run. The time targets (figures "
        f"{', '.join(timed)}: wall times against a baseline) depend on how busy the machine "
        "is and are checked only in a full run; the others (requests, chunks and episodes "
        "made again, memory) in `--quick` runs too, which CI makes.",
        *(line for f in figures if f.note for line in ("", f.note)),
    ]
    # Sections written by other benchmarks (`## ...`: piper_speed.py, archive.py) are kept.
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    kept = old[old.index("\n## ") :] if "\n## " in old else ""
    path.write_text("\n".join(lines) + "\n" + kept, encoding="utf-8")


STEPS = ("cold", "warm", "google", "memory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, for CI")
    add_check_argument(parser)
    parser.add_argument(
        "--only",
        choices=STEPS,
        action="append",
        help="measure only these figures: cold (1), warm (2, 3), google (3b, 4a, 4b), "
        "memory (5); may be repeated",
    )
    parser.add_argument(
        "--packing",
        choices=("fill", "sentence"),
        default="fill",
        help="[speech.gtts] packing of the Google figures (default: fill, nashra's default)",
    )
    parser.add_argument("--output", type=Path, default=None, help="where to write the results")
    args = parser.parse_args(argv)
    partial = args.quick or args.only or args.packing != "fill"
    output = args.output or (
        Path(tempfile.gettempdir()) / "nashra-RESULTS-quick.md"
        if partial
        else ROOT / "benchmarks" / "RESULTS.md"
    )
    articles = ARTICLES[:2] if args.quick else ARTICLES
    # As `pip install` does: nashra's modules compiled once, so that no timed build
    # compiles them again (PYTHONDONTWRITEBYTECODE, a read-only checkout).
    import nashra

    compileall.compile_dir(Path(nashra.__file__).parent, quiet=1)
    steps: dict[str, Callable[[Path], list[Figure]]] = {
        "cold": lambda w: cold_build(w, articles, 1 if args.quick else 3),
        "warm": lambda w: warm_and_edit(w, 4 if args.quick else 100),
        "google": lambda w: gtts_requests(w, articles, 4, args.packing),
        "memory": lambda w: memory(w, *((0.5, 1.5) if args.quick else (10, 60))),
    }
    figures: list[Figure] = []
    began = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nashra-bench-") as tmp:
        for name in args.only or STEPS:
            work = Path(tmp) / name
            work.mkdir()
            for figure in steps[name](work):
                print(
                    f"{figure.name}: {figure.measured} vs {figure.baseline}"
                    f" → {'met' if figure.met else 'NOT met'} ({figure.target})",
                    flush=True,
                )
                figures.append(figure)
    write_results(output, figures, args.quick, (began, os.getloadavg()[0]))
    print(f"wrote {output}")
    verdicts = [v for f in figures for v in f.verdicts]
    return exit_status(verdicts, check=args.check, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())
