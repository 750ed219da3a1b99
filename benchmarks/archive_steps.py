"""The steps of benchmarks/archive.py, each run in a process of its own so that its peak
memory is its own:

    python benchmarks/archive_steps.py MODE PROJECT

MODE is one of seed, noop, build, voice (see each function); the figures are printed
as one line of JSON.
"""

from __future__ import annotations

import sys

# The benchmark scripts come after the installed packages, so that none can
# shadow one of them.
_HERE = str(__import__("pathlib").Path(__file__).parent)
sys.path[:] = [p for p in sys.path if p != _HERE] + [_HERE]

import json  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TINY_MP3 = ROOT / "tests" / "data" / "tiny.mp3"


def wchar() -> int:
    """Bytes this process has passed to write() so far (Linux /proc/self/io)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise RuntimeError("no wchar in /proc/self/io")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(project: Path) -> dict[str, Any]:
    """Publish every article of `project` as the builder would, with a small MP3 each."""
    from nashra.config.settings import load_settings
    from nashra.core.clock import now_utc
    from nashra.core.model import Chapter, Cue, EpisodeRecord
    from nashra.engines import create_engine
    from nashra.render import feed
    from nashra.stages.article_cache import ScriptReader
    from nashra.stages.decide import decide
    from nashra.stages.publish import publish
    from nashra.stages.read import read_articles, taken_up
    from nashra.stages.types import Job, relative_source
    from nashra.storage import paths
    from nashra.storage.state import BuildState
    from nashra.storage.state_schema import encode, encode_cues

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
    from nashra import check
    from nashra.config.settings import load_settings
    from nashra.core.clock import now_utc
    from nashra.stages.builder import build
    from nashra.stages.decide import decide
    from nashra.stages.publish import publish
    from nashra.stages.read import read_articles
    from nashra.storage import paths
    from nashra.storage.state import BuildState

    settings = load_settings(project)
    started = time.perf_counter()
    report = build(settings, jobs=2)
    total = time.perf_counter() - started
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
        "built": len(report.built),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "stages": stages,
        "peak_rss_mb": peak_rss_mb(),
    }


def build_once(project: Path) -> dict[str, Any]:
    """One real `nashra build` (espeak-ng, two jobs), timed."""
    from nashra.config.settings import load_settings
    from nashra.stages.builder import build

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
    from nashra.config.settings import load_settings
    from nashra.readers import find_articles, read_article
    from nashra.stages.builder import build

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


MODES: dict[str, Callable[[Path], dict[str, Any]]] = {
    "seed": seed,
    "noop": noop,
    "build": build_once,
    "voice": voice_sample,
}

if __name__ == "__main__":
    mode, project = sys.argv[1:]
    print(json.dumps(MODES[mode](Path(project))))
