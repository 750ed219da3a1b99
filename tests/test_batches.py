"""A backfill holds one batch of scripts at a time: jobs waiting to be made keep only
what the feed needs, and are read again, from the content cache, when their turn comes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nashra.config.settings import load_settings
from nashra.core.clock import now_utc
from nashra.stages import read
from nashra.stages.article_cache import ScriptReader
from nashra.stages.builder import build
from nashra.stages.decide import decide
from nashra.stages.read import read_articles, taken_up
from nashra.stages.types import Job
from nashra.storage import paths
from nashra.storage.state import BuildState, Details
from tests.fake_engine import FakeEngine
from tests.support import CORPUS, make_project

ARTICLES = sorted((CORPUS / "saudinewsnet").glob("0*.txt"))[:5]


def test_jobs_waiting_to_be_made_hold_no_text_and_are_taken_up_whole(tmp_path: Path) -> None:
    settings = load_settings(make_project(tmp_path / "p", ARTICLES))
    pending = decide(settings, read_articles(settings, {}, now_utc()).jobs).pending
    assert len(pending) == len(ARTICLES)
    for job in pending:
        assert not job.script.utterances and not job.article.sections
        assert job.characters > 0 and job.article.source.is_file()  # what the order needs
        assert not job.article.title and not job.article.url  # taken up, it is read again

    whole = [j for j in taken_up(pending, ScriptReader(settings)) if isinstance(j, Job)]
    assert [j.slug for j in whole] == [j.slug for j in pending]
    for job, aside in zip(whole, pending, strict=True):
        assert job.script.characters == aside.characters
        assert job.article.sections and job.article.lead != job.article.title


def test_a_build_of_more_episodes_than_a_batch_makes_them_a_batch_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    one_batch = make_project(tmp_path / "one", ARTICLES)
    assert build(load_settings(one_batch), jobs=2).ok
    monkeypatch.setattr(read, "BATCH", 2)
    batches: list[list[str]] = []
    original = read.in_batches

    def watched(jobs: list[Job]) -> object:
        for batch in original(jobs):
            batches.append([job.slug for job in batch])
            yield batch

    monkeypatch.setattr("nashra.stages.builder.in_batches", watched)
    calls: list[tuple[str, int, int]] = []
    folder = make_project(tmp_path / "three", ARTICLES)
    FakeEngine.calls.clear()

    report = build(load_settings(folder), jobs=2, progress=lambda *c: calls.append(c))

    assert report.ok and len(report.built) == len(ARTICLES)
    assert [len(b) for b in batches] == [2, 2, 1]
    sizes = {p.name: p.stat().st_size for p in (CORPUS / "saudinewsnet").glob("0*.txt")}
    longest_first = sorted(ARTICLES, key=lambda p: sizes[p.name], reverse=True)
    assert set(batches[0]) == {p.stem for p in longest_first[:2]}
    assert report.clips_synthesized == len(set(FakeEngine.calls)) > 0
    voicing = [done for stage, done, _ in calls if stage == "voicing"]
    assert voicing == sorted(voicing)  # one count for the stage across the batches
    # The same episodes as one batch made, to the byte.
    assert (folder / "output" / "feed.xml").read_bytes() == (
        one_batch / "output" / "feed.xml"
    ).read_bytes()
    state = BuildState.load(paths.state_file(folder / ".nashra"))
    with Details(paths.state_file(folder / ".nashra")) as details:
        assert all(details.cues(r) for r in state.episodes.values())


def test_the_engines_workers_serve_every_batch_of_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """espeak-ng runs in worker processes, each loading the library and the diacritizer:
    a backfill's batches share one pool, not a pool each."""
    from concurrent.futures import ProcessPoolExecutor

    from nashra.stages import voice

    project = make_project(tmp_path / "p", [], engine="espeak")
    for n, title in enumerate(("الطقس اليوم", "أخبار الرياضة", "سوق الأسهم")):
        text = f"{title}\n\nقال المتحدث إن العمل مستمر في المشروع رقم {n + 1}.\n"
        (project / "articles" / f"a{n}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(read, "BATCH", 1)
    started: list[int] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(voice, "ProcessPoolExecutor", Counted)
    report = build(load_settings(project), jobs=1)
    assert report.ok and report.built == ["a0", "a1", "a2"] and report.engine == "espeak"
    assert len(started) == 1
