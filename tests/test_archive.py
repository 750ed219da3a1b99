"""A long archive: the feed holds the newest `feed_items`, the site pages through the rest,
and a build re-renders only the pages whose episode changed."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import podcastparser

from nashra.config.settings import Settings, load_settings
from nashra.core.model import Article, Chapter, Cue, EpisodeRecord, Script
from nashra.render import site
from nashra.stages.decide import refresh
from nashra.stages.publish import publish
from nashra.stages.types import Job
from nashra.storage import paths
from nashra.storage.state import BuildState
from tests.support import make_project

START = datetime(2015, 7, 22, 6, tzinfo=UTC)


def record(n: int) -> EpisodeRecord:
    when = (START + timedelta(hours=n)).isoformat()
    return EpisodeRecord(
        slug=f"e{n:03d}",
        source=f"articles/e{n:03d}.md",
        guid=f"guid-{n}",
        first_published=when,
        content_key="k",
        engine="fake",
        voice_id="v",
        file=f"episodes/e{n:03d}.mp3",
        length=1000 + n,
        duration=60.0,
        title=f"الحلقة {n}",
        description="وصف",
        author=None,
        pub_date=when,
        chapters=(Chapter(0.0, f"الحلقة {n}"),),
        cues=(Cue(0.0, 1.0, "جملة."),),
    )


def project(tmp_path: Path, count: int, feed_items: int) -> tuple[Settings, BuildState]:
    settings = replace(load_settings(make_project(tmp_path / "p", [])), feed_items=feed_items)
    state = BuildState(podcast_guid="pg", episodes={r.slug: r for r in map(record, range(count))})
    state.save(paths.state_file(settings.work_dir))
    return settings, state


def run(settings: Settings, state: BuildState, fresh: list[str] | None = None) -> None:
    state.save(paths.state_file(settings.work_dir))
    assert state.podcast_guid
    publish(settings, state.episodes, state.podcast_guid, fresh=fresh or [])


def links(page: Path) -> list[str]:
    return re.findall(r'href="([^"]+\.html)"', page.read_text(encoding="utf-8"))


def listed(page: Path) -> list[str]:
    return re.findall(r'<h3 id="episode-\d+"><a href="[^"]*?(e\d{3})\.html"', page.read_text())


def test_the_feed_holds_the_newest_feed_items(tmp_path: Path) -> None:
    settings, state = project(tmp_path, 120, feed_items=10)
    run(settings, state)
    with (settings.output_dir / "feed.xml").open("rb") as handle:
        parsed = podcastparser.parse(settings.feed_url, handle)
    assert [e["guid"] for e in parsed["episodes"]] == [f"guid-{n}" for n in range(119, 109, -1)]
    # The older episodes stay published: their pages are still there.
    assert (settings.output_dir / "episodes" / "e000.html").is_file()


def test_the_site_pages_through_the_archive_oldest_first(tmp_path: Path) -> None:
    settings, state = project(tmp_path, 120, feed_items=300)
    run(settings, state)
    out = settings.output_dir
    size = site.PAGE_SIZE
    assert size == 50
    index = out / "index.html"
    assert listed(index) == [f"e{n:03d}" for n in range(119, 69, -1)]
    # The first episode the index leaves out (e069) is on archive page 2 (e050-e099).
    assert "archive/2.html" in links(index)
    pages = sorted((out / "archive").iterdir())
    assert [p.name for p in pages] == ["1.html", "2.html", "3.html"]
    assert listed(out / "archive" / "1.html") == [f"e{n:03d}" for n in range(49, -1, -1)]
    assert listed(out / "archive" / "3.html") == [f"e{n:03d}" for n in range(119, 99, -1)]
    everything = [slug for page in pages for slug in listed(page)]
    assert sorted(everything) == sorted(state.episodes)
    assert "../index.html" in links(out / "archive" / "3.html")
    assert "2.html" in links(out / "archive" / "3.html")
    assert "2.html" in links(out / "archive" / "1.html")
    assert "0.html" not in links(out / "archive" / "1.html")

    # A new episode changes only the newest archive page; older ones keep their bytes.
    before = {p.name: p.read_bytes() for p in pages}
    state.episodes["e120"] = record(120)
    run(settings, state, fresh=["e120"])
    after = {p.name: p.read_bytes() for p in (out / "archive").iterdir()}
    assert after["1.html"] == before["1.html"] and after["2.html"] == before["2.html"]
    assert after["3.html"] != before["3.html"]
    assert "e120" in listed(out / "archive" / "3.html")

    # Fewer episodes than a page: no archive at all.
    for slug in [s for s in state.episodes if s >= "e040"]:
        del state.episodes[slug]
    run(settings, state)
    assert not list((out / "archive").iterdir())
    assert not any("archive/" in link for link in links(index))


def test_only_changed_episode_pages_are_rendered_again(tmp_path: Path) -> None:
    settings, state = project(tmp_path, 5, feed_items=300)
    run(settings, state)
    pages = settings.output_dir / "episodes"
    rendered = (pages / "e001.html").read_bytes()
    # Pages nashra does not render again keep whatever they hold.
    for slug in ("e001", "e002"):
        (pages / f"{slug}.html").write_bytes(b"untouched")
    run(settings, state)
    assert (pages / "e001.html").read_bytes() == b"untouched"
    # A changed record (a new title) renders its own page, and only that one.
    state.episodes["e002"] = replace(state.episodes["e002"], title="عنوان جديد")
    run(settings, state)
    assert "عنوان جديد" in (pages / "e002.html").read_text(encoding="utf-8")
    assert (pages / "e001.html").read_bytes() == b"untouched"
    # A changed setting renders every page.
    settings = replace(settings, title="عنوان البودكاست الجديد")
    run(settings, state)
    assert (pages / "e001.html").read_bytes() != b"untouched"
    assert (pages / "e001.html").read_bytes() != rendered
    # A missing page is rendered whatever changed.
    (pages / "e003.html").unlink()
    run(settings, state)
    assert (pages / "e003.html").is_file()


def test_only_archive_pages_whose_episodes_changed_are_rendered_again(tmp_path: Path) -> None:
    settings, state = project(tmp_path, 120, feed_items=300)
    run(settings, state)
    archive = settings.output_dir / "archive"
    for name in ("1.html", "2.html", "3.html"):
        (archive / name).write_bytes(b"untouched")
    state.episodes["e120"] = record(120)
    run(settings, state, fresh=["e120"])
    assert (archive / "1.html").read_bytes() == b"untouched"
    assert (archive / "2.html").read_bytes() == b"untouched"
    assert "e120" in listed(archive / "3.html")
    # An episode removed from the first page moves every later one: all are rendered.
    del state.episodes["e010"]
    run(settings, state)
    assert "e050" in listed(archive / "1.html")
    assert listed(archive / "2.html")[-1] == "e051"


def output_bytes(settings: Settings) -> dict[str, bytes]:
    out = settings.output_dir
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_publish_reads_a_transcript_only_for_the_files_and_pages_it_writes(
    tmp_path: Path,
) -> None:
    settings, state = project(tmp_path, 60, feed_items=10)
    run(settings, state, fresh=list(state.episodes))
    # The state holds its records without their transcripts; publish read them from storage.
    assert all(not r.cues and r.has_cues for r in state.episodes.values())
    written = output_bytes(settings)
    assert "جملة." in written["episodes/e005.vtt"].decode()
    assert "جملة." in written["episodes/e005.html"].decode()
    for name in ("episodes/e005.vtt", "episodes/e005.srt", "episodes/e005.html"):
        (settings.output_dir / name).unlink()
    run(settings, state)
    assert output_bytes(settings) == written
    # A publish that writes no transcript again reads none: without them it writes the same.
    with sqlite3.connect(paths.state_file(settings.work_dir)) as db:
        db.execute("UPDATE texts SET cues = '[]'")
    run(settings, state)
    assert output_bytes(settings) == written


def test_publish_forgets_the_transcripts_of_replaced_episodes(tmp_path: Path) -> None:
    settings, state = project(tmp_path, 3, feed_items=10)
    run(settings, state, fresh=list(state.episodes))
    new = replace(record(1), file="episodes/e001-v2.mp3", cues=(Cue(0.0, 1.0, "جديدة."),))
    state.put(paths.state_file(settings.work_dir), new)
    run(settings, state, fresh=["e001"])
    with sqlite3.connect(paths.state_file(settings.work_dir)) as db:
        files = sorted(f for (f,) in db.execute("SELECT file FROM texts"))
    assert files == ["episodes/e000.mp3", "episodes/e001-v2.mp3", "episodes/e002.mp3"]
    assert "جديدة." in (settings.output_dir / "episodes/e001-v2.vtt").read_text(encoding="utf-8")


def test_a_current_episode_keeps_the_record_it_was_loaded_as() -> None:
    """A no-op build of an archive holds one copy of each record, not a refreshed one."""
    loaded = record(1).kept()
    article = Article(
        source=Path("articles/e001.md"),
        slug="e001",
        title=loaded.title,
        sections=(),
        description=loaded.description,
    )
    when = datetime.fromisoformat(loaded.pub_date)
    job = Job(article, Script((), ()), "k", when, loaded.first_published, loaded)
    assert refresh(loaded, job) is loaded
    moved = replace(job, article=replace(article, url="https://example.com/e001"))
    assert refresh(loaded, moved) == replace(loaded, link="https://example.com/e001")
