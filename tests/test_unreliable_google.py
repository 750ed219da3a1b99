"""Builds against a Google that fails: nothing published is lost, and the result is the same."""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from nashra.config.settings import load_settings
from nashra.render.tagging import read_engine
from nashra.stages.builder import build
from nashra.storage.state import BuildState
from tests.gtts_mock import BATCHEXECUTE, batchexecute_body, mock_google, tiny_mp3
from tests.support import CORPUS, make_project

pytestmark = pytest.mark.slow

ARTICLES = [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"]


def google_project(root: Path, fallback: str | None = None, **gtts: object) -> Path:
    # Retries must not slow the tests down: the waits are real sleeps.
    options = {"gtts": {"backoff": 0.001, "rate": 1000.0, **gtts}}
    return make_project(root, ARTICLES, engine="gtts", fallback=fallback, options=options)


@pytest.fixture
def google() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both builds in a comparison must publish at the same instant to compare feeds.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764400000")


def flaky(seed: int, rate: float) -> tuple[Any, dict[str, int]]:
    """A batchexecute callback failing `rate` of requests with 429, 500 or a timeout.

    Which requests fail is random; the failures take the three kinds in turn, so
    a build of a dozen requests meets every kind.
    """
    rng = random.Random(seed)
    kinds = itertools.cycle(["429", "500", "timeout"])
    lock = threading.Lock()
    counts = {"ok": 0, "429": 0, "500": 0, "timeout": 0}
    body = batchexecute_body(tiny_mp3())

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        with lock:
            roll = rng.random()
            kind = next(kinds) if roll < rate else "ok"
            counts[kind] += 1
        if kind == "timeout":
            raise requests.exceptions.ReadTimeout("no answer in time")
        if kind == "429":
            return 429, {"Retry-After": "0"}, "Too Many Requests"
        if kind == "500":
            return 500, {}, "Internal Server Error"
        return 200, {}, body

    return answer, counts


def test_thirty_percent_failures_give_the_same_podcast(
    tmp_path: Path, google: responses.RequestsMock
) -> None:
    clean = google_project(tmp_path / "clean")
    mock_google(google, tiny_mp3())
    assert build(load_settings(clean), jobs=4).ok
    clean_requests = len(google.calls)

    google.reset()
    answer, counts = flaky(seed=2026, rate=0.3)
    google.add_callback(responses.POST, BATCHEXECUTE, callback=answer)
    faulty = google_project(tmp_path / "faulty", retries=8)
    report = build(load_settings(faulty), jobs=4)

    assert report.ok, report.failed
    # Every kind of failure happened, and every chunk was eventually answered once.
    assert min(counts.values()) > 0
    assert sum(counts.values()) == len(google.calls) > clean_requests
    assert counts["ok"] == clean_requests
    feed = (faulty / "output" / "feed.xml").read_bytes()
    assert feed == (clean / "output" / "feed.xml").read_bytes()
    durations = {
        s: r.duration
        for s, r in BuildState.load(faulty / ".nashra" / "state.sqlite").episodes.items()
    }
    clean_state = BuildState.load(clean / ".nashra" / "state.sqlite")
    assert durations == {s: r.duration for s, r in clean_state.episodes.items()}


def test_google_down_keeps_what_was_published(
    tmp_path: Path, google: responses.RequestsMock
) -> None:
    project = google_project(tmp_path / "p", breaker=6)
    mock_google(google, tiny_mp3())
    settings = load_settings(project)
    assert build(settings, jobs=2).ok
    feed_before = (settings.output_dir / "feed.xml").read_bytes()
    mp3 = settings.output_dir / "episodes" / "04-alweeam.mp3"
    mp3_before = mp3.read_bytes()

    google.reset()
    google.add(
        responses.POST, BATCHEXECUTE, body=requests.exceptions.ConnectionError("network down")
    )
    article = project / "articles" / "04-alweeam.txt"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("يوم غد،", "يوم الخميس،"), encoding="utf-8")
    assert article.read_text(encoding="utf-8") != text
    report = build(settings, jobs=2)

    assert [f.source.name for f in report.failed] == ["04-alweeam.txt"]
    assert "Google" in report.failed[0].reason
    assert report.unchanged == ["03-sabq"]
    assert mp3.read_bytes() == mp3_before
    assert (settings.output_dir / "feed.xml").read_bytes() == feed_before
    # The breaker stopped the calls: a few tries, not retries for every chunk.
    assert len(google.calls) <= 6 + 2


def test_google_down_with_fallback_voices_offline(
    tmp_path: Path, google: responses.RequestsMock
) -> None:
    project = google_project(tmp_path / "p", fallback="espeak", breaker=4)
    google.add(responses.POST, BATCHEXECUTE, status=503)
    settings = load_settings(project)
    report = build(settings, jobs=2)

    assert report.ok, report.failed
    assert sorted(report.fallback) == ["03-sabq", "04-alweeam"]
    assert report.engine_note and "espeak-ng" in report.engine_note
    for slug in report.fallback:
        assert read_engine(settings.output_dir / "episodes" / f"{slug}.mp3") == "espeak"
    state = BuildState.load(settings.work_dir / "state.sqlite")
    assert {r.engine for r in state.episodes.values()} == {"espeak"}
    assert len(google.calls) <= 4 + 2
