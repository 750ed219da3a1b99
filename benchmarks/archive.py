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

Figures are appended to RESULTS.md as their own section (run.py keeps it).
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
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from results_file import replace_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "corpus" / "saudinewsnet-archive"
TINY_MP3 = ROOT / "tests" / "data" / "tiny.mp3"
PYTHON = sys.executable
MARKER = "## The archive"
ADDED = 10
"""Articles added to a seeded project, and built alone, to compare the two builds."""


def wchar() -> int:
    """Bytes this process has passed to write() so far (Linux /proc/self/io)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise RuntimeError("no wchar in /proc/self/io")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- in a child process


def seed(project: Path) -> dict[str, Any]:
    """Publish every article of `project` as the builder would, with a small MP3 each."""
    from nashra import feed, paths
    from nashra.clock import now_utc
    from nashra.engines import create_engine
    from nashra.model import Chapter, Cue, EpisodeRecord
    from nashra.settings import load_settings
    from nashra.stages.decide import decide
    from nashra.stages.publish import publish
    from nashra.stages.read import Job, ScriptReader, read_articles, relative_source, taken_up
    from nashra.state import BuildState
    from nashra.state_schema import encode, encode_cues

    settings = load_settings(project)
    state_file = paths.state_file(settings.work_dir)
    state = BuildState.open(state_file)
    state.podcast_guid = feed.podcast_guid(settings.feed_url)
    started = time.perf_counter()
    reading = read_articles(settings, state.episodes, now_utc())
    decision = decide(settings, reading.jobs)
    voice_id = create_engine("espeak", settings.speech.options_for("espeak")).voice_id()
    mp3 = TINY_MP3.read_bytes()
    (settings.output_dir / paths.EPISODES_DIR).mkdir(parents=True, exist_ok=True)
    state_bytes = rows = 0
    old_json_rows: list[int] = []
    words = 0
    # As the builder does, each waiting job is taken up (its script read again from the
    # content cache) when its turn comes, and let go after.
    for job in taken_up(decision.pending, ScriptReader(settings)):
        assert isinstance(job, Job), job
        words += sum(len(u.written.split()) for u in job.script.utterances)
        relative = paths.episode_audio(paths.episode_stem(job.slug))
        (settings.output_dir / relative).write_bytes(mp3)
        clock = 0.3
        cues: list[Cue] = []
        starts: dict[int, float] = {}
        for u in job.script.utterances:
            seconds = len(u.speech) / 14  # about news pace
            starts.setdefault(u.chapter, clock)
            cues.append(Cue(round(clock, 3), round(clock + seconds, 3), u.written))
            clock += seconds + u.pause_after_ms / 1000
        record = EpisodeRecord(
            slug=job.slug,
            source=relative_source(job.article),
            guid=feed.episode_guid(state.podcast_guid, job.slug),
            first_published=job.first_published,
            content_key=job.content_key,
            engine="espeak",
            voice_id=voice_id,
            file=relative,
            length=len(mp3),
            duration=round(clock, 3),
            title=job.article.title,
            description=job.article.lead,
            author=job.article.author,
            pub_date=job.pub_date.isoformat(),
            link=job.article.url,
            chapters=tuple(
                Chapter(round(starts.get(i, 0.0), 3), t) for i, t in enumerate(job.script.chapters)
            ),
            cues=tuple(cues),
        )
        before = wchar()
        state.put(state_file, record)
        state_bytes += wchar() - before
        rows += sum(
            len(text.encode("utf-8"))
            for text in (encode(record), encode_cues(record.cues), record.description or "")
        )
        old_json_rows.append(len(_old_json(record)))
    state.save(state_file)
    assert reading.memo is not None
    reading.memo.save()  # as the builder does once the state is saved
    made, failed = [j.slug for j in decision.pending], len(reading.failed)
    del reading, decision  # as the builder does: the jobs are not held through publishing
    recorded = time.perf_counter()
    assert state.podcast_guid is not None
    publish(settings, state.episodes, state.podcast_guid, fresh=made)
    published = time.perf_counter()
    # What the JSON state wrote for the same backfill: the whole file after every episode.
    old_bytes, running = 0, 0
    for size in old_json_rows:
        running += size
        old_bytes += running
    return {
        "episodes": len(made),
        "failed": failed,
        "words": words,
        "read_decide_record_s": recorded - started,
        "publish_s": published - recorded,
        "state_bytes": state_bytes,
        "row_bytes": rows,
        "old_json_bytes": old_bytes,
        "peak_rss_mb": peak_rss_mb(),
    }


def _old_json(record: Any) -> bytes:
    from dataclasses import asdict

    text = json.dumps({record.slug: asdict(record)}, ensure_ascii=False, indent=2, sort_keys=True)
    return text.encode("utf-8")


def noop(project: Path) -> dict[str, Any]:
    """One `nashra build` of a built project, and its stages timed one by one."""
    from nashra import check, paths
    from nashra.builder import build
    from nashra.clock import now_utc
    from nashra.settings import load_settings
    from nashra.stages.decide import decide
    from nashra.stages.publish import publish
    from nashra.stages.read import read_articles
    from nashra.state import BuildState

    settings = load_settings(project)
    started = time.perf_counter()
    report = build(settings, jobs=2)
    total = time.perf_counter() - started
    assert not report.built, report.built[:3]
    stages: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[name] = now - clock
        clock = now

    state = BuildState.open(paths.state_file(settings.work_dir))
    lap("state")
    reading = read_articles(settings, state.episodes, now_utc())
    lap("read")
    decision = decide(settings, reading.jobs)
    lap("decide")
    assert not decision.pending and state.podcast_guid
    publish(settings, {**state.episodes, **decision.current}, state.podcast_guid)
    lap("publish")
    check.check_project(settings, now=now_utc())
    lap("check")
    return {
        "seconds": total,
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "stages": stages,
        "peak_rss_mb": peak_rss_mb(),
    }


def build_once(project: Path) -> dict[str, Any]:
    """One real `nashra build` (espeak-ng, two jobs), timed."""
    from nashra.builder import build
    from nashra.settings import load_settings

    settings = load_settings(project)
    started = time.perf_counter()
    report = build(settings, jobs=2)
    seconds = time.perf_counter() - started
    assert report.ok and (not report.built or report.engine == "espeak"), report.failed[:3]
    return {
        "seconds": seconds,
        "built": len(report.built),
        "unchanged": len(report.unchanged),
        "peak_rss_mb": peak_rss_mb(),
    }


def voice_sample(project: Path) -> dict[str, Any]:
    """A real build of a few articles with espeak-ng, one job: words voiced per second."""
    from nashra.builder import build
    from nashra.readers import find_articles, read_article
    from nashra.settings import load_settings

    settings = load_settings(project)
    words = 0
    for path in find_articles(settings.articles_dir):
        article = read_article(path)
        words += len(article.title.split())
        words += sum(len(p.split()) for s in article.sections for p in s.paragraphs)
    started = time.perf_counter()
    report = build(settings, jobs=1)
    seconds = time.perf_counter() - started
    assert report.ok and report.engine == "espeak", report.failed
    return {"words": words, "seconds": seconds, "audio_seconds": report.audio_seconds}


# ---------------------------------------------------------------- the coordinator


def child(mode: str, project: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [PYTHON, __file__, "--child", mode, str(project)],
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
    from nashra.importing import import_files

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
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PROJECT"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 2000, 10000, 0])
    parser.add_argument("--sample", type=int, default=6, help="articles voiced with espeak-ng")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--archive", type=Path, default=ARCHIVE, help="the day files' folder")
    args = parser.parse_args()
    if args.child:
        mode, project = args.child
        modes = {"seed": seed, "noop": noop, "build": build_once, "voice": voice_sample}
        result = modes[mode](Path(project))
        print(json.dumps(result))
        return 0
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
    return 0


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
            ratio = large[key]["peak_rss_mb"] / small[key]["peak_rss_mb"]
            lines.append("")
            lines.append(
                f"Peak RSS, 10,000 vs 1,000 articles ({label}): "
                f"{large[key]['peak_rss_mb']:.0f} MB vs {small[key]['peak_rss_mb']:.0f} MB, "
                f"{ratio:.2f} × (target ≤ 1.3 ×: {'met' if ratio <= 1.3 else '**not met**'})."
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
