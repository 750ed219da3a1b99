"""The read memo: an article unchanged since the last build is not read again, and
anything that could change its episode sends it through the full read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from nashra.config.settings import load_settings
from nashra.render.artwork import make_cover
from nashra.stages.builder import build
from nashra.storage.state import BuildState, Details

SLUGS = ["03-sabq", "04-alweeam"]


def cache_entries(project: Path) -> int:
    return len(list((project / ".nashra" / "cache" / "articles").rglob("*.pickle")))


def test_an_unchanged_article_is_not_read_again(small_project: Path) -> None:
    settings = load_settings(small_project)
    assert build(settings, jobs=1).built == SLUGS
    shutil.rmtree(small_project / ".nashra" / "cache" / "articles")
    report = build(settings, jobs=1)
    assert report.built == [] and report.unchanged == SLUGS
    # Nothing was read: the content cache, which every read goes through, stayed empty.
    assert cache_entries(small_project) == 0
    # A touched file is read again (its script comes back into the cache), and found current.
    article = small_project / "articles" / "03-sabq.txt"
    os.utime(article, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    report = build(settings, jobs=1)
    assert report.built == [] and cache_entries(small_project) == 1
    # An edited one is rebuilt.
    article.write_text(article.read_text(encoding="utf-8") + "\nسطر أخير.\n", encoding="utf-8")
    assert build(settings, jobs=1).built == ["03-sabq"]


def test_a_missing_episode_is_rebuilt_from_the_article_not_the_memo(small_project: Path) -> None:
    settings = load_settings(small_project)
    build(settings, jobs=1)
    state_file = settings.work_dir / "state.sqlite"
    before = BuildState.load(state_file).episodes["04-alweeam"]
    cues = Details(state_file).cues(before)
    (settings.output_dir / before.file).unlink()
    assert build(settings, jobs=1).built == ["04-alweeam"]
    after = BuildState.load(state_file).episodes["04-alweeam"]
    assert Details(state_file).cues(after) == cues != ()
    assert after.duration == before.duration > 0
    assert after.guid == before.guid and after.first_published == before.first_published


def test_a_changed_cover_or_setting_is_not_hidden_by_the_memo(small_project: Path) -> None:
    cover = small_project / "cover.png"
    cover.write_bytes(make_cover("غلاف"))
    toml = small_project / "podcast.toml"
    toml.write_text('image = "cover.png"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    settings = load_settings(small_project)
    assert build(settings, jobs=1).built == SLUGS
    cover.write_bytes(make_cover("غلاف آخر"))
    assert build(settings, jobs=1).built == SLUGS
    toml.write_text(toml.read_text(encoding="utf-8").replace("نشرة: أخبار", "نشرة: أنباء"))
    assert build(load_settings(small_project), jobs=1).built == SLUGS


def test_the_memo_salt_covers_what_content_keys_hash_besides_the_article(
    small_project: Path,
) -> None:
    from dataclasses import replace

    from nashra.stages.read import memo_salt

    settings = load_settings(small_project)
    salt = memo_salt(settings, "cache")
    assert memo_salt(settings, "cache") == salt
    assert memo_salt(settings, "other cache") != salt
    for changed in (
        replace(settings, title="عنوان آخر"),
        replace(settings, author="كاتب آخر"),
        replace(settings, image="cover.png"),
    ):
        assert memo_salt(changed, "cache") != salt


def test_an_article_read_and_found_current_keeps_no_script(small_project: Path) -> None:
    """After nashra itself changed every article is read again: those whose episode is
    current must not hold their scripts (an archive's would fill the memory)."""
    from nashra.core.clock import now_utc
    from nashra.stages.read import read_articles
    from nashra.storage import paths

    settings = load_settings(small_project)
    assert build(settings, jobs=1).built == SLUGS
    feed = (settings.output_dir / "feed.xml").read_bytes()
    paths.read_memo(settings.work_dir).unlink()
    published = BuildState.load(paths.state_file(settings.work_dir)).episodes
    reading = read_articles(settings, published, now_utc())
    assert [j.slug for j in reading.jobs] == SLUGS and cache_entries(small_project) == 2
    for job in reading.jobs:
        assert job.unchanged and job.script.utterances == () and job.article.sections == ()
        # Nor its lead: the record keeps it, and the content key hashed it.
        assert job.article.description is None
    # The read stage leaves the memo to the builder, which saves it after the state: a
    # memo entry vouches that the record was saved from this very file.
    assert not paths.read_memo(settings.work_dir).exists()
    report = build(settings, jobs=1)
    assert report.built == [] and report.unchanged == SLUGS
    assert (settings.output_dir / "feed.xml").read_bytes() == feed
