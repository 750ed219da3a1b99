"""End-to-end builds with ffmpeg, judged by independent parsers.

The first test voices the sample podcast with the real espeak-ng engine; the
others use the fake engine (`tests/fake_engine.py`, the test projects' default),
whose calls they count to see what was voiced again.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import podcastparser
import pytest
import responses
from mutagen.mp3 import MP3

from nashra.config.settings import Settings, load_settings
from nashra.engines.gtts.packing import pack_requests
from nashra.readers import read_article
from nashra.render.tagging import read_engine
from nashra.stages.builder import BuildReport, build
from nashra.stages.script import make_script
from nashra.storage import paths
from nashra.storage.state import BuildState, Details
from nashra.text.diacritize import strip_harakat
from tests.fake_engine import FakeEngine
from tests.gtts_mock import mock_google, spoken_texts, tiny_mp3
from tests.mp3s import mp3_info
from tests.support import CORPUS, REPO, make_project

pytestmark = pytest.mark.slow


@pytest.fixture
def engine_calls() -> Iterator[list[str]]:
    """Every text the fake engine (the projects' engine here) is asked to speak."""
    FakeEngine.calls.clear()
    yield FakeEngine.calls
    FakeEngine.calls.clear()


def parse_feed(settings: Settings) -> dict[str, Any]:
    xml = (settings.output_dir / "feed.xml").read_bytes()
    return podcastparser.parse(settings.feed_url, io.BytesIO(xml))  # type: ignore[no-any-return]


def local_file(settings: Settings, url: str) -> Path:
    assert url.startswith(settings.base_url + "/")
    return settings.output_dir / url[len(settings.base_url) + 1 :]


def assert_feed_matches_media(settings: Settings, expected_slugs: set[str]) -> dict[str, Any]:
    feed = parse_feed(settings)
    episodes = feed["episodes"]
    assert len(episodes) == len(expected_slugs)
    seen = set()
    for episode in episodes:
        (enclosure,) = episode["enclosures"]
        assert enclosure["mime_type"] == "audio/mpeg"
        path = local_file(settings, enclosure["url"])
        seen.add(path.stem)
        assert enclosure["file_size"] == path.stat().st_size
        actual = mp3_info(path).length
        assert abs(episode["total_time"] - actual) <= 1
        assert actual > 5
    assert seen == expected_slugs

    xml = (settings.output_dir / "feed.xml").read_bytes()
    parsed = feedparser.parse(
        xml, response_headers={"content-type": "application/rss+xml; charset=utf-8"}
    )
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(expected_slugs)
    assert {e.enclosures[0].href for e in parsed.entries} == {
        e["enclosures"][0]["url"] for e in episodes
    }
    return feed


def test_sample_project_builds_one_playable_episode_per_article(tmp_path: Path) -> None:
    """End to end with the real offline engine: espeak-ng and ffmpeg."""
    sample_project = make_project(
        tmp_path / "sample", sorted((REPO / "articles").iterdir()), engine="espeak"
    )
    settings = load_settings(sample_project)
    report = build(settings, jobs=2)
    slugs = {p.stem for p in (sample_project / "articles").iterdir()}
    assert report.ok, report.failed
    assert set(report.built) == slugs
    assert report.engine == "espeak"
    assert report.clips_synthesized > 30
    feed = assert_feed_matches_media(settings, slugs)
    assert feed["title"] == settings.title
    for slug in slugs:
        assert read_engine(settings.output_dir / "episodes" / f"{slug}.mp3") == "espeak"
    state = BuildState.load(settings.work_dir / "state.sqlite")
    assert {r.engine for r in state.episodes.values()} == {"espeak"}
    # The cache lives outside what gets published.
    assert not any(p.suffix == ".wav" for p in settings.output_dir.rglob("*"))


def test_rebuild_with_nothing_changed_does_nothing(
    small_project: Path, engine_calls: list[str]
) -> None:
    settings = load_settings(small_project)
    first = build(settings, jobs=1)
    assert first.ok and len(first.built) == 2
    assert len(engine_calls) == first.clips_synthesized > 0
    feed_bytes = (settings.output_dir / "feed.xml").read_bytes()
    mp3_times = {p: p.stat().st_mtime_ns for p in settings.output_dir.rglob("*.mp3")}
    engine_calls.clear()

    second = build(settings, jobs=1)
    assert engine_calls == []
    assert second.built == [] and sorted(second.unchanged) == sorted(first.built)
    assert second.clips_synthesized == 0
    assert (settings.output_dir / "feed.xml").read_bytes() == feed_bytes
    assert {p: p.stat().st_mtime_ns for p in settings.output_dir.rglob("*.mp3")} == mp3_times


def test_editing_one_sentence_resynthesizes_only_its_chunks(
    small_project: Path, engine_calls: list[str]
) -> None:
    settings = load_settings(small_project)
    build(settings, jobs=1)
    before = parse_feed(settings)
    guids = {e["guid"]: e["published"] for e in before["episodes"]}
    engine_calls.clear()

    article = small_project / "articles" / "04-alweeam.txt"
    text = article.read_text(encoding="utf-8")
    old = "وستتخذ الإجراءات الأمنية اللازمة من قبل التحالف."
    assert old in text
    article.write_text(text.replace(old, "وستتخذ الإجراءات اللازمة."), encoding="utf-8")

    report = build(settings, jobs=1)
    assert report.built == ["04-alweeam"]
    assert report.unchanged == ["03-sabq"]
    assert engine_calls, "the edited sentence must be voiced"
    # The engine is given the sentence vowelled, its last word in pause form (اللازمَهْ).
    assert all("الإجراءات اللازم" in strip_harakat(call) for call in engine_calls)
    assert report.clips_synthesized == len(engine_calls) <= 2
    after = parse_feed(settings)
    assert {e["guid"]: e["published"] for e in after["episodes"]} == guids


def test_bad_article_is_reported_and_others_publish(small_project: Path) -> None:
    settings = load_settings(small_project)
    (small_project / "articles" / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (small_project / "articles" / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    report = build(settings, jobs=2)
    assert not report.ok
    assert sorted(f.source.name for f in report.failed) == ["binary.txt", "empty.txt"]
    assert all(f.reason for f in report.failed)
    assert sorted(report.built) == ["03-sabq", "04-alweeam"]
    assert_feed_matches_media(settings, {"03-sabq", "04-alweeam"})


def test_failed_article_keeps_its_published_episode(small_project: Path) -> None:
    settings = load_settings(small_project)
    build(settings, jobs=1)
    before = parse_feed(settings)
    mp3 = settings.output_dir / "episodes" / "03-sabq.mp3"
    size = mp3.stat().st_size

    (small_project / "articles" / "03-sabq.txt").write_bytes(b"\x00\x01\x02 binary \x00")
    report = build(settings, jobs=1)
    assert [f.source.name for f in report.failed] == ["03-sabq.txt"]
    assert mp3.stat().st_size == size
    after = parse_feed(settings)
    assert after["episodes"] == before["episodes"]


def test_removed_article_leaves_the_feed(small_project: Path) -> None:
    settings = load_settings(small_project)
    build(settings, jobs=1)
    (small_project / "articles" / "03-sabq.txt").unlink()
    report: BuildReport = build(settings, jobs=1)
    assert report.removed == ["03-sabq"]
    assert not (settings.output_dir / "episodes" / "03-sabq.mp3").exists()
    assert_feed_matches_media(settings, {"04-alweeam"})


def test_changing_the_voice_rebuilds(small_project: Path) -> None:
    settings = load_settings(small_project)
    build(settings, jobs=2)
    faster = load_settings(small_project, {"speech.fake.pitch": 330})
    report = build(faster, jobs=2)
    assert sorted(report.built) == ["03-sabq", "04-alweeam"]
    assert report.clips_synthesized > 0


MARKDOWN = """\
---
title: "حلقة مؤرخة"
author: فريق التحرير
date: {date}
url: https://example.org/أخبار/1
---

فقرة أولى من المقالة، تقرأ في الحلقة.

## قسم ثان

فقرة ثانية في القسم الثاني.
"""


def test_markdown_front_matter_sets_date_link_and_chapters(small_project: Path) -> None:
    (small_project / "articles" / "dated.md").write_text(
        MARKDOWN.format(date="2025-03-01T08:30:00+03:00"), encoding="utf-8"
    )
    settings = load_settings(small_project)
    report = build(settings, jobs=2)
    assert report.ok and "dated" in report.built
    feed = parse_feed(settings)
    (episode,) = [e for e in feed["episodes"] if e["title"] == "حلقة مؤرخة"]
    assert episode["published"] == 1740807000  # 2025-03-01 05:30 UTC
    # The item links to the episode's page, and the page to the original article.
    assert episode["link"] == f"{settings.base_url}/episodes/dated.html"
    page = (settings.output_dir / "episodes" / "dated.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/أخبار/1"' in page
    record = BuildState.load(settings.work_dir / "state.sqlite").episodes["dated"]
    assert [c.title for c in record.chapters] == ["حلقة مؤرخة", "قسم ثان"]
    assert record.chapters[0].start == 0 < record.chapters[1].start < record.duration
    # Newest first: the 2025 article comes after the two published today.
    assert feed["episodes"][-1]["title"] == "حلقة مؤرخة"


def test_future_dated_article_waits(small_project: Path) -> None:
    (small_project / "articles" / "later.md").write_text(
        MARKDOWN.format(date="2999-01-01"), encoding="utf-8"
    )
    settings = load_settings(small_project)
    report = build(settings, jobs=2)
    assert report.ok
    assert [p.name for p, _ in report.scheduled] == ["later.md"]
    assert "later" not in report.built
    assert_feed_matches_media(settings, {"03-sabq", "04-alweeam"})


def test_same_slug_twice_is_reported(small_project: Path) -> None:
    (small_project / "articles" / "03-sabq.md").write_text(
        MARKDOWN.format(date="2025-01-01"), encoding="utf-8"
    )
    report = build(load_settings(small_project), jobs=2)
    (failure,) = report.failed
    assert failure.source.name == "03-sabq.txt"  # the .md sorts first and wins
    assert "03-sabq.md" in failure.reason
    assert sorted(report.built) == ["03-sabq", "04-alweeam"]


def test_configured_cover_is_published_and_embedded(small_project: Path) -> None:
    from PIL import Image

    Image.new("RGB", (1400, 1400), (20, 90, 140)).save(small_project / "art.jpg", "JPEG")
    toml = small_project / "podcast.toml"
    toml.write_text('image = "art.jpg"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    settings = load_settings(small_project)
    assert build(settings, jobs=2).ok
    published = (settings.output_dir / "cover.jpg").read_bytes()
    assert published == (small_project / "art.jpg").read_bytes()
    assert parse_feed(settings)["cover_url"] == settings.base_url + "/cover.jpg"
    tags = MP3(str(settings.output_dir / "episodes" / "03-sabq.mp3")).tags
    assert tags is not None
    assert tags.getall("APIC")[0].mime == "image/jpeg"


def test_bad_configured_cover_stops_the_build(small_project: Path) -> None:
    from PIL import Image

    from nashra.core.errors import UsageError

    Image.new("RGB", (600, 400)).save(small_project / "art.png", "PNG")
    toml = small_project / "podcast.toml"
    toml.write_text('image = "art.png"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UsageError, match=r"art\.png"):
        build(load_settings(small_project), jobs=1)


@responses.activate
def test_google_requests_are_full_and_an_edit_asks_again_only_around_it(tmp_path: Path) -> None:
    mock_google(responses.mock, tiny_mp3())
    project = make_project(
        tmp_path / "google",
        [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"],
        engine="gtts",
    )
    settings = load_settings(project)
    first = build(settings, jobs=2)
    assert first.ok, first.failed
    sent = spoken_texts(responses.mock)
    assert len(sent) == len(set(sent)) == first.clips_synthesized
    sources = settings.articles_dir.glob("*.txt")
    scripts = [make_script(read_article(p), settings.audio) for p in sources]
    chunks = {
        u.speech for script in scripts for u in pack_requests(script, 100, across=False).utterances
    }
    # Requests are filled: 89 characters on average, where a request per sentence has 69.
    assert sum(map(len, sent)) / len(sent) > 85 > 75 > sum(map(len, chunks)) / len(chunks)
    # The transcript has a cue per request, timed by its clip.
    state = BuildState.load(settings.work_dir / "state.sqlite")
    cues = Details(settings.work_dir / "state.sqlite").cues(state.episodes["04-alweeam"])
    script = make_script(read_article(project / "articles" / "04-alweeam.txt"), settings.audio)
    per_sentence = pack_requests(script, 100, across=False)
    assert len(cues) == len(pack_requests(script, 100).utterances) < len(per_sentence.utterances)
    assert all(a.end <= b.start for a, b in itertools.pairwise(cues))

    responses.mock.calls.reset()
    article = project / "articles" / "04-alweeam.txt"
    text = article.read_text(encoding="utf-8")
    old = "وستتخذ الإجراءات الأمنية اللازمة من قبل التحالف."
    article.write_text(text.replace(old, "وستتخذ الإجراءات اللازمة."), encoding="utf-8")
    second = build(settings, jobs=2)
    assert second.built == ["04-alweeam"] and second.unchanged == ["03-sabq"]
    asked = spoken_texts(responses.mock)
    assert asked and all("الإجراءات اللازمة" in t for t in asked), asked
    assert len(asked) <= 2


@responses.activate
def test_sentence_packing_asks_google_once_per_sentence_chunk(tmp_path: Path) -> None:
    mock_google(responses.mock, tiny_mp3())
    articles = [CORPUS / "saudinewsnet" / "04-alweeam.txt"]
    fill = load_settings(make_project(tmp_path / "fill", articles, engine="gtts"))
    assert build(fill, jobs=2).ok
    filled = len(responses.mock.calls)

    responses.mock.calls.reset()
    project = make_project(
        tmp_path / "sentence", articles, engine="gtts", options={"gtts": {"packing": "sentence"}}
    )
    settings = load_settings(project)
    assert build(settings, jobs=2).ok
    sent = spoken_texts(responses.mock)
    script = make_script(read_article(articles[0]), settings.audio)
    per_sentence = pack_requests(script, 100, across=False)
    assert sorted(sent) == sorted({u.speech for u in per_sentence.utterances})
    assert filled < len(sent)


def test_a_new_file_never_takes_over_a_published_episode(small_project: Path) -> None:
    """A published episode belongs to its source file: a newcomer with its slug fails."""
    settings = load_settings(small_project)
    assert build(settings, jobs=1).ok
    state_file = paths.state_file(settings.work_dir)
    before = BuildState.load(state_file).episodes["03-sabq"]
    feed = (settings.output_dir / "feed.xml").read_bytes()
    mp3 = (settings.output_dir / before.file).read_bytes()
    # Sorted first, the .md used to win the slug and re-publish the episode as itself.
    (small_project / "articles" / "03-sabq.md").write_text(
        "---\ntitle: عنوان آخر تماما\n---\n\nنص جديد لا علاقة له بالحلقة المنشورة.\n",
        encoding="utf-8",
    )
    report = build(settings, jobs=1)
    assert [f.source.name for f in report.failed] == ["03-sabq.md"]
    assert "03-sabq.txt" in report.failed[0].reason
    assert report.unchanged == ["03-sabq", "04-alweeam"]
    assert BuildState.load(state_file).episodes["03-sabq"] == before
    assert (settings.output_dir / "feed.xml").read_bytes() == feed
    assert (settings.output_dir / before.file).read_bytes() == mp3
