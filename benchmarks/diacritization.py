"""How well `nashra diacritize` puts back the short vowels, on the public news benchmark.

    python benchmarks/diacritization.py [--wikinews PATH] [--system nashra|model ...]
        [--save FOLDER] [--java [--evaldiac PATH]] [--misses N] [--write]

Scores the library function behind `nashra diacritize` (`text.vowelling`: each line
sentence by sentence, as a build gives the diacritizer each sentence) on WikiNews-2014
with multiple references (Darwish et al. 2017, re-annotated by Mohamed & Mubarak,
EMNLP 2025: github:qcri/advancing-arabic-diacritization), with `evaldiac.py`, a port
of the benchmark's official scorer: WER and DER, with and without case endings, as
EvalDiac counts them. `--system model` scores text2tashkeel's model alone on the
same sentences (no lexicon, no rules, its own letters).

WikiNews-2014 is the development set: nothing of it goes into the lexicon. The same
repository's WikiNews-2024 is kept for an independent check: this benchmark refuses
to read it. The benchmark's files carry no licence, so none is in this repository:
`--wikinews` names the reference file, or a clone of the repository (a work tree or
a bare mirror); by default `$NASHRA_WIKINEWS`, else the mirror at `MIRROR`.

Each system's input is the reference with every mark taken off (a word written
with several readings, `a/b`, as its letters once). The words a system gets wrong
are also counted by class: a case ending (only the last letter's marks differ), a
shadda (one side has it, the other not), a hamza or wasla (the marks of ء أ إ آ ؤ ئ
or ا differ), else a stem vowel; and words whose letters do not line up with the
reference's (EvalDiac's wordErrors). Speed is words per second over the whole
file, the model loaded beforehand, with one onnxruntime thread.

`--java` also runs the official scorer (`java EvalDiac.java`, from the same
repository) on each system's output and exits 1 unless it counts exactly what the
port counts. `--save FOLDER` keeps each system's output there. `--write` puts the
figures in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import evaldiac

ROOT = Path(__file__).resolve().parent.parent
MIRROR = Path("/work/.mirror/qcri+advancing-arabic-diacritization/repo")
REFERENCE = "WikiNews_Benchmarks/WikiNews_2014_Multi_Ref.txt.diac"
SCORER = "Evaluation/EvalDiac.java"
SYSTEMS = ("nashra", "model")
_MARKS_RE = re.compile("[\u064b-\u0652\u0670]")
_HAMZA_OR_ALIF = set("ءأإآؤئاٱ")
_HEAD = (
    "| system | WER | WER without case endings | DER | DER without case endings"
    " | words not lined up | wrong words by class | words per CPU second, one thread |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- |"
)


@dataclass(frozen=True)
class Measured:
    system: str
    full: evaldiac.Score
    stem: evaldiac.Score
    classes: Counter[str]
    words_per_cpu_second: float
    words_per_second: float
    output: list[str]


def find(path: Path, name: str, folder: Path) -> Path:
    """`name` of the benchmark's repository at `path` (a file, a work tree or a bare
    mirror), copied into `folder` when it has to be taken out of git."""
    if path.is_file():
        return path
    if (path / name).is_file():
        return path / name
    target = folder / Path(name).name
    shown = subprocess.run(
        ["git", "-C", str(path), "show", f"HEAD:{name}"], capture_output=True, check=False
    )
    if shown.returncode != 0:
        sys.exit(f"{path}: no {name} there ({shown.stderr.decode(errors='replace').strip()})")
    target.write_bytes(shown.stdout)
    return target


def unvowelled(reference: str) -> str:
    """A reference line without its marks: what a system is given."""

    def word(token: str) -> str:
        if "/" in token and len(token) > 1:
            readings = {_MARKS_RE.sub("", reading) for reading in token.split("/")}
            if len(readings) == 1:
                return readings.pop()
        return _MARKS_RE.sub("", token)

    return " ".join(word(token) for token in reference.split(" "))


def nashra_system() -> Callable[[str], str]:
    from nashra.text.vowelling import diacritize_line

    return lambda line: diacritize_line(line).text


def model_system() -> Callable[[str], str]:
    from text2tashkeel import Diacritizer

    from nashra.text import diacritize
    from nashra.text.sentences import sentence_ends

    model = Diacritizer(diacritize.MODEL)

    def vowel(line: str) -> str:
        pieces, start = [], 0
        for end in sentence_ends(line):
            piece = line[start:end]
            core = piece.strip()
            lead = piece[: len(piece) - len(piece.lstrip())]
            said = model.diacritize(core) if core else ""
            pieces.append(lead + said + piece[len(lead) + len(core) :])
            start = end
        return "".join(pieces)

    return vowel


def classify(miss: evaldiac.Miss) -> str:
    """What kind of error a missed word is (see the module's docstring)."""
    if not miss.lined_up:
        return "letters do not line up"
    sys_codes = evaldiac.diac_codes(miss.system)
    found: list[tuple[int, ...]] = []
    for reading in miss.references:
        codes = evaldiac.diac_codes(reading)
        if len(codes) == len(sys_codes):
            found.append(evaldiac.compare(codes, sys_codes).differing)
    if not found:
        return "letters do not line up"
    ref_codes = evaldiac.diac_codes(miss.references[0])
    differing = min(found, key=len)
    last = len(sys_codes) // 2 - 1
    inside = [j for j in differing if j != last]
    if not inside:
        return "case ending"
    shadda = "9ABCDEFG"
    if any((ref_codes[2 * j + 1] in shadda) != (sys_codes[2 * j + 1] in shadda) for j in inside):
        return "shadda"
    if any(sys_codes[2 * j] in _HAMZA_OR_ALIF for j in inside):
        return "hamza or wasla"
    return "stem vowel"


def measure(system: str, reference: list[str]) -> Measured:
    vowel = nashra_system() if system == "nashra" else model_system()
    inputs = [unvowelled(line) for line in reference]
    vowel("تهيئة")  # the model loads outside the timing
    cpu, wall = time.process_time(), time.perf_counter()
    output = [vowel(line) for line in inputs]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    lines = evaldiac.lines_of("\n".join(output) + "\n")
    full = evaldiac.score(reference, lines)
    stem = evaldiac.score(reference, lines, stem=True)
    words = sum(len(line.split()) for line in inputs)
    classes = Counter(classify(miss) for miss in full.misses)
    return Measured(system, full, stem, classes, words / cpu, words / wall, output)


def java_agrees(scorer: Path, reference: Path, output: Path, measured: Measured) -> bool:
    """Whether EvalDiac itself counts what the port counted, in both modes."""
    agree = True
    for stem, score in ((False, measured.full), (True, measured.stem)):
        command = ["java", str(scorer), "--ref", str(reference), "--sys", str(output)]
        done = subprocess.run(
            [*command, "-t", str(stem).lower()], capture_output=True, text=True, check=False
        )
        theirs = [line for line in done.stdout.splitlines() if line.startswith("lines:")]
        ours = score.summary(stem=stem)
        same = theirs[-1:] == [ours]
        agree &= same
        print(f"EvalDiac{' -t true' if stem else ''}: {theirs[-1] if theirs else done.stderr}")
        print(f"  port{' -t true' if stem else ''}: {ours}  {'same' if same else 'DIFFERENT'}")
    return agree


def report(measured: Measured) -> str:
    full, stem = measured.full, measured.stem
    classes = ", ".join(f"{name} {count}" for name, count in measured.classes.most_common())
    return (
        f"{measured.system}: WER {full.wer} % ({full.words - full.correct_words} of "
        f"{full.words} words), without case endings {stem.wer} % "
        f"({stem.words - stem.correct_words}); DER {full.der} %, without case endings "
        f"{stem.compared_der} %\n  lineErrors {full.line_errors}, wordErrors "
        f"{full.word_errors}, MultiRefWords {full.multi_ref_words}\n  wrong words by class: "
        f"{classes}\n  {measured.words_per_cpu_second:,.0f} words per CPU second, "
        f"{measured.words_per_second:,.0f} per second of wall time"
    )


def machine() -> str:
    """The processor's name, as /proc/cpuinfo gives it where there is one."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or platform.machine()


def section(results: list[Measured], command: str, *, java: bool) -> str:
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    names = {"nashra": "`nashra diacritize`", "model": "text2tashkeel's model alone"}
    rows = [
        f"| {names[m.system]} | {m.full.wer} % | {m.stem.wer} % | {m.full.der} % "
        f"| {m.stem.compared_der} % | {m.full.word_errors} | "
        + ", ".join(f"{n} {c}" for n, c in m.classes.most_common())
        + f" | {m.words_per_cpu_second:,.0f} ({m.words_per_second:,.0f} wall) |"
        for m in results
    ]
    checked = (
        "The Java scorer itself (`--java`) counted the same as the port, on every output "
        "and in both modes.\n"
        if java
        else ""
    )
    return f"""## Diacritization on WikiNews-2014

Measured by `{command}` on {date.today().isoformat()} at commit {commit},
{os.cpu_count()} CPU(s) ({machine()}) shared with other work, load average
{os.getloadavg()[0]:.1f} at the end; Python {platform.python_version()}. WikiNews-2014
with multiple references ({results[0].full.words} words), scored by a port of the
official scorer EvalDiac (`benchmarks/evaldiac.py`).
{checked}
{_HEAD}
{chr(10).join(rows)}

EvalDiac prints no DER without case endings; the one here is its count of correct
letters over the letters it compares in that mode. Words not lined up are EvalDiac's
wordErrors: words whose letters and marks do not pair with the reference's (اللّٰه
with its dagger alif, which EvalDiac counts as a letter). Speed is words per CPU
second of one onnxruntime thread, the model loaded beforehand; on a machine shared
with other work, compare it with the model's alone, measured in the same run.
WikiNews-2014 is the development set; WikiNews-2024 is not measured here.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("NASHRA_WIKINEWS") or str(MIRROR)
    parser.add_argument("--wikinews", type=Path, default=Path(default))
    parser.add_argument("--system", choices=SYSTEMS, action="append")
    parser.add_argument("--save", type=Path, help="keep each system's output in this folder")
    parser.add_argument("--java", action="store_true", help="check the port against EvalDiac")
    parser.add_argument(
        "--evaldiac",
        type=Path,
        help="EvalDiac.java, or the repository holding it (default: --wikinews's repository, "
        "else the mirror)",
    )
    parser.add_argument("--misses", type=int, default=0, help="print this many wrong words")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    if "2024" in str(args.wikinews):
        sys.exit("WikiNews-2024 is kept for an independent check: it is not measured here")
    os.environ.setdefault("TT_ORT_THREADS", "1")
    status = 0
    java_ran = False
    with tempfile.TemporaryDirectory() as folder:
        reference_file = find(args.wikinews, REFERENCE, Path(folder))
        reference = evaldiac.read_lines(reference_file)
        results = []
        for system in args.system or SYSTEMS:
            measured = measure(system, reference)
            results.append(measured)
            print(report(measured))
            for miss in measured.full.misses[: args.misses]:
                print(f"  {miss.line}:{miss.word}\t{'/'.join(miss.references)}\t{miss.system}")
            saved = (args.save or Path(folder)) / f"{system}.txt"
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_text("\n".join(measured.output) + "\n", encoding="utf-8")
            if args.java:
                source = args.evaldiac or (args.wikinews if args.wikinews.is_dir() else MIRROR)
                scorer = find(source, SCORER, Path(folder))
                java_ran = True
                if not java_agrees(scorer, reference_file, saved, measured):
                    status = 1
    if args.write:
        from results_file import replace_section

        command = "python benchmarks/diacritization.py " + " ".join(sys.argv[1:])
        replace_section(
            ROOT / "benchmarks" / "RESULTS.md",
            "## Diacritization on WikiNews-2014",
            section(results, command.strip(), java=java_ran and status == 0),
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
