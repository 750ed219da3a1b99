"""nashra on a whole archive: the SaudiNewsNet days imported, published, rebuilt.

    python benchmarks/archive.py                 # 1,000 / 2,000 / 10,000 articles and the archive
    python benchmarks/archive.py --sizes 200 400 # smaller, to check the benchmark works

Articles come from `nashra import saudinewsnet` of the archive's day files. To
publish thousands of episodes without voicing them all, a project is *seeded*:
every article goes through the real read and decide stages, each episode's
record is made as assembly makes it (its script's cues and chapters, with
times from the script's length) around a small real MP3, recorded with
`BuildState.put` as the builder records each finished episode, and published
by the real publish stage. A `nashra build` of the seeded project then has
nothing to do: that no-op rebuild is timed, stage by stage. Then the archive's
next 10 articles are added and built for real (voiced with espeak-ng), and the
same 10 are built in a project of their own: what a daily rebuild of an archive
costs beyond the work of its new articles. Voicing is measured on a sample with
espeak-ng, one process, and projected to the archive.

Figures are appended to RESULTS.md as their own section (run.py keeps it). Each
step runs in a process of its own (benchmarks/archive_steps.py).

Targets, none of them a time, so checked in every run (`--check` exits 1 when one
is missed): a no-op rebuild and one that reads every article again make no episode
again, a rebuild with 10 new articles makes those 10, and the peak RSS of 10,000
articles is at most 1.3 × that of 1,000 (seeding, and a no-op build; in a run that
measures both sizes). The archive is not in the repository: without its day files
the benchmark says so and exits 1.
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
import re  # noqa: E402
import shutil  # noqa: E402
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
MARKER = "## The archive"
ADDED = 10
"""Articles added to a seeded project, and built alone, to compare the two builds."""
MEMORY_RATIO = 1.3
"""Peak RSS of 10,000 articles against 1,000, at most."""


def child(mode: str, project: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [PYTHON, str(Path(__file__).with_name("archive_steps.py")), mode, str(project)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} {project} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def make_project(root: Path, articles: list[Path], engine: str = "espeak") -> Path:
    (root / "articles").mkdir(parents=True)
    text = (ROOT / "podcast.toml").read_text(encoding="utf-8")
    text = text.replace('engine = "auto"', f'engine = "{engine}"')
    # The articles' episodes are measured here; the sample's daily bulletins would voice a
    # bulletin for every day of the archive in the first rebuild.
    text = re.sub(r"(\[bulletin\]\n(?:[^\[].*\n)*?)enabled = true", r"\1enabled = false", text)
    assert "enabled = true" not in text.split("[bulletin]")[-1].split("\n[")[0]
    (root / "podcast.toml").write_text(text, encoding="utf-8")
    for path in articles:
        # Copies, not hard links: a new link changes the file's ctime, which the read memo
        # rightly takes for a change (so a project made later would slow an earlier one).
        shutil.copyfile(path, root / "articles" / path.name)
    return root


def import_archive(work: Path, archive: Path = ARCHIVE) -> list[Path]:
    """Every article of the archive, imported once, in the order of their dates."""
    from nashra.readers.importing import import_files

    folder = work / "imported"
    days = sorted(archive.glob("*.zip"))
    result = import_files("saudinewsnet", days, folder)
    print(
        f"imported {len(result.written)} articles from {len(days)} days "
        f"({result.existing} repeated, {len(result.empty)} empty)",
        flush=True,
    )
    dated = []
    for path in result.written:
        head = path.read_text(encoding="utf-8")[:2000]
        match = re.search(r"^date: (\S+)$", head, re.M)
        dated.append((match.group(1) if match else "", path.name, path))
    return [path for _, _, path in sorted(dated)]


def measure(work: Path, articles: list[Path], size: int) -> dict[str, Any]:
    project = make_project(work / f"p{size}", articles[:size])
    seeded = child("seed", project)
    print(f"{size}: seeded {json.dumps(seeded)}", flush=True)
    runs = [child("noop", project) for _ in range(3)]
    best = min(runs, key=lambda r: r["seconds"])
    print(f"{size}: no-op {[round(r['seconds'], 2) for r in runs]} {best['stages']}", flush=True)
    result = {"size": size, "seed": seeded, "noop": best, "runs": [r["seconds"] for r in runs]}
    # As after an upgrade of nashra: every article read again (its content cache and the
    # read memo are keyed by nashra's code), every episode found current.
    shutil.rmtree(project / ".nashra" / "cache" / "articles")
    (project / ".nashra" / "cache" / "read-memo.pickle").unlink()
    result["reread"] = child("build", project)
    print(f"{size}: re-read {result['reread']}", flush=True)
    extra = articles[size : size + ADDED]
    if len(extra) == ADDED:
        # The archive's next articles (by date): as a day's new articles would come.
        for path in extra:
            shutil.copyfile(path, project / "articles" / path.name)
        result["added"] = child("build", project)
        result["alone"] = child("build", make_project(work / f"alone{size}", extra))
        print(f"{size}: +{ADDED} {result['added']} alone {result['alone']}", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 2000, 10000, 0])
    parser.add_argument("--sample", type=int, default=6, help="articles voiced with espeak-ng")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--archive", type=Path, default=ARCHIVE, help="the day files' folder")
    add_check_argument(parser)
    args = parser.parse_args()
    if not any(args.archive.glob("*.zip")):
        raise SystemExit(
            f"no day files (*.zip) in {args.archive}: this benchmark needs the SaudiNewsNet "
            "archive (--archive FOLDER)"
        )
    with tempfile.TemporaryDirectory(prefix="nashra-archive-") as tmp:
        work = Path(tmp)
        articles = import_archive(work, args.archive)
        results = [measure(work, articles, size or len(articles)) for size in args.sizes]
        # A sample spread over the archive, voiced for real.
        step = max(1, len(articles) // args.sample)
        sample = make_project(work / "voice", articles[::step][: args.sample])
        voiced = child("voice", sample)
        print(f"voice sample: {voiced}", flush=True)
        archive_words = sum(
            len(p.read_text(encoding="utf-8").split("---", 2)[-1].split()) for p in articles
        )
        shutil.rmtree(work / "voice", ignore_errors=True)
    write_section(args.output, results, voiced, archive_words, len(articles))
    print(f"wrote {args.output}")
    judged = verdicts(results)
    for verdict in judged:
        print(f"{verdict.figure}: {verdict.target}: {'met' if verdict.met else 'not met'}")
    return exit_status(judged, check=args.check, quick=False)


def verdicts(results: list[dict[str, Any]]) -> list[Verdict]:
    """Episodes made again where nothing changed, and memory against the archive's size."""
    judged = []
    for r in results:
        n = r["seed"]["episodes"]
        judged.append(
            Verdict(
                f"{n} articles, no-op rebuild",
                f"no episode made again ({r['noop']['built']} made)",
                r["noop"]["built"] == 0,
            )
        )
        if "reread" in r:
            judged.append(
                Verdict(
                    f"{n} articles, rebuild reading every article again",
                    f"no episode made again ({r['reread']['built']} made)",
                    r["reread"]["built"] == 0,
                )
            )
        if "added" in r:
            judged.append(
                Verdict(
                    f"{n} articles, rebuild with {ADDED} new",
                    f"those {ADDED} made, no other ({r['added']['built']} made)",
                    r["added"]["built"] == ADDED,
                )
            )
    by_size = {r["size"]: r for r in results}
    if 1000 in by_size and 10000 in by_size:
        for label, key in (("seeding", "seed"), ("no-op build", "noop")):
            ratio = memory_ratio(by_size, key)
            judged.append(
                Verdict(
                    f"peak RSS, 10,000 vs 1,000 articles ({label})",
                    f"at most {MEMORY_RATIO} × ({ratio:.2f} ×)",
                    ratio <= MEMORY_RATIO,
                )
            )
    return judged


def memory_ratio(by_size: dict[int, dict[str, Any]], key: str) -> float:
    ratio: float = by_size[10000][key]["peak_rss_mb"] / by_size[1000][key]["peak_rss_mb"]
    return ratio


def write_section(
    path: Path, results: list[dict[str, Any]], voiced: dict[str, Any], words: int, total: int
) -> None:
    lines = [
        MARKER,
        "",
        f"Measured by `python benchmarks/archive.py` (at commit {commit()}) on "
        f"{time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}: the SaudiNewsNet archive "
        f"(17 days) imported by `nashra import saudinewsnet`, {total} distinct articles. "
        "Each project is seeded through the real read, decide and publish stages (one small "
        "MP3 per episode), then rebuilt; the best of three no-op builds is shown ("
        + "; ".join(
            f"{r['size']:,}: " + ", ".join(f"{t:.2f}" for t in r["runs"]) + " s" for r in results
        )
        + "). The stage columns come from a second pass over the same project, stage by stage.",
        "",
        "| articles | no-op rebuild | per 1,000 articles | read | decide | publish | check "
        "| peak RSS, seeding (read, decide, publish all) | peak RSS, no-op build |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        n, stages = r["seed"]["episodes"], r["noop"]["stages"]
        lines.append(
            f"| {n} | {r['noop']['seconds']:.2f} s | {r['noop']['seconds'] / n * 1000:.2f} s | "
            f"{stages['read']:.2f} s | {stages['decide']:.2f} s | {stages['publish']:.2f} s | "
            f"{stages['check']:.2f} s | {r['seed']['peak_rss_mb']:.0f} MB | "
            f"{r['noop']['peak_rss_mb']:.0f} MB |"
        )
    reread = [r for r in results if "reread" in r]
    if reread:
        lines += [
            "",
            "A rebuild that reads every article again, as the first one after an upgrade of "
            "nashra does (the content cache and the read memo removed), every episode current:",
            "",
            "| articles | seconds | peak RSS |",
            "| --- | --- | --- |",
        ]
        for r in reread:
            lines.append(
                f"| {r['seed']['episodes']} | {r['reread']['seconds']:.1f} s | "
                f"{r['reread']['peak_rss_mb']:.0f} MB |"
            )
    added = [r for r in results if "added" in r]
    if added:
        lines += [
            "",
            f"A rebuild after adding the archive's next {ADDED} articles (a real build: read, "
            f"voiced with espeak-ng, encoded, published, checked; two jobs), against building "
            f"the same {ADDED} in a project of their own:",
            "",
            f"| articles before | rebuild with {ADDED} new | the {ADDED} alone | ratio "
            "| peak RSS, rebuild | peak RSS, alone |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in added:
            a, b = r["added"], r["alone"]
            lines.append(
                f"| {r['seed']['episodes']} | {a['seconds']:.1f} s | {b['seconds']:.1f} s | "
                f"{a['seconds'] / b['seconds']:.2f} × | {a['peak_rss_mb']:.0f} MB | "
                f"{b['peak_rss_mb']:.0f} MB |"
            )
    by_size = {r["size"]: r for r in results}
    if 1000 in by_size and 10000 in by_size:
        small, large = by_size[1000], by_size[10000]
        for label, key in (("seeding", "seed"), ("no-op build", "noop")):
            ratio = memory_ratio(by_size, key)
            met = "met" if ratio <= MEMORY_RATIO else "**not met**"
            lines.append("")
            lines.append(
                f"Peak RSS, 10,000 vs 1,000 articles ({label}): "
                f"{large[key]['peak_rss_mb']:.0f} MB vs {small[key]['peak_rss_mb']:.0f} MB, "
                f"{ratio:.2f} × (target ≤ {MEMORY_RATIO} ×: {met})."
            )
    backfill = by_size.get(2000)
    if backfill:
        s = backfill["seed"]
        lines += [
            "",
            f"State written while recording a backfill of {s['episodes']} episodes, one "
            f"`put` per finished episode as the builder does: {s['state_bytes'] / 1e6:.1f} MB "
            f"in SQLite (WAL), against a lower bound of {s['row_bytes'] / 1e6:.1f} MB (each "
            f"row's JSON once): {s['state_bytes'] / s['row_bytes']:.1f} ×. The JSON state, "
            f"rewritten whole after each episode, would have written "
            f"{s['old_json_bytes'] / 1e9:.1f} GB ({s['old_json_bytes'] / s['row_bytes']:.0f} ×).",
        ]
    rate = voiced["words"] / voiced["seconds"]
    lines += [
        "",
        f"Voicing with espeak-ng, measured: {voiced['words']} words of {args_sample(voiced)} "
        f"built (voiced, joined, encoded) in {voiced['seconds']:.1f} s on one job: "
        f"{rate:.0f} words/s per core ({voiced['audio_seconds'] / voiced['seconds']:.1f} s of "
        f"speech per second). Projected for the archive's {words:,} words, assuming "
        "workers scale linearly (one core each, no other bottleneck):",
        "",
        "| workers | hours |",
        "| --- | --- |",
    ]
    for workers in (1, 8, 64):
        lines.append(f"| {workers} | {words / rate / workers / 3600:.1f} |")
    replace_section(path, MARKER, "\n".join(lines) + "\n")


def commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def args_sample(voiced: dict[str, Any]) -> str:
    return "a sample of articles spread over the archive"


if __name__ == "__main__":
    sys.exit(main())
