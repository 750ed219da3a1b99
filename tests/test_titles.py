"""A feed's episodes that share a title are told apart (render/titles.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from nashra.cli import cli
from nashra.render.titles import distinct_titles
from tests.support import make_project
from tests.test_feed import entry

DAY = datetime(2015, 8, 11, 9, tzinfo=UTC)


def _titles(*rows: tuple[str, str | None]) -> list[str]:
    entries = [
        entry(f"e{i}", title, DAY + timedelta(hours=i), author=author)
        for i, (title, author) in enumerate(rows)
    ]
    return [e.title for e in distinct_titles(entries)]


def test_titles_of_their_own_are_left_alone() -> None:
    assert _titles(("خبر", "واس"), ("خبر آخر", "واس")) == ["خبر", "خبر آخر"]


def test_a_shared_title_is_told_apart_by_its_writers() -> None:
    # One wire story as two papers ran it, and a third with no byline.
    assert _titles(
        ("وفاة الفنان المصري نور الشريف", "رويترز"),
        ("وفاة الفنان المصري نور الشريف", "د ب أ"),
        ("وفاة الفنان المصري نور الشريف", None),
    ) == [
        "وفاة الفنان المصري نور الشريف — رويترز",
        "وفاة الفنان المصري نور الشريف — د ب أ",
        "وفاة الفنان المصري نور الشريف",
    ]


def test_those_still_alike_are_numbered_oldest_first() -> None:
    assert _titles(("خبر", "واس"), ("خبر", "واس"), ("خبر", "رويترز"), ("خبر", "واس")) == [
        "خبر — واس",
        "خبر — واس (2)",
        "خبر — رويترز",
        "خبر — واس (3)",
    ]
    assert _titles(("خبر", None), ("خبر", None)) == ["خبر", "خبر (2)"]


def test_numbering_follows_publication_not_the_feeds_order() -> None:
    newest_first = [
        entry("b", "خبر", DAY + timedelta(hours=2)),
        entry("a", "خبر", DAY),
    ]
    assert [e.title for e in distinct_titles(newest_first)] == ["خبر (2)", "خبر"]


def test_a_day_with_one_headline_twice_still_publishes(tmp_path: Path) -> None:
    """Two papers' articles under one headline on one day: the build's check used to
    refuse the whole feed (title-unique); now their episodes are told apart by writer."""
    project = make_project(tmp_path / "p", [])
    for name, author in (("one", "رويترز"), ("two", "وكالة الأنباء الألمانية")):
        (project / "articles" / f"{name}.md").write_text(
            f"---\ntitle: خبر اليوم\nauthor: {author}\ndate: 2026-01-01\n---\n\n"
            "جملة قصيرة للتجربة.\n",
            encoding="utf-8",
        )
    result = CliRunner().invoke(cli, ["build", "-p", str(project)])
    assert result.exit_code == 0, result.output
    assert "title-unique" not in result.output
    feed = (project / "output" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>خبر اليوم — رويترز</title>" in feed
    assert "<title>خبر اليوم — وكالة الأنباء الألمانية</title>" in feed
