"""benchmarks/unseen.py's sets of archive days: a day a test takes an article from is a
development day, never an untouched one, and the archive is found beside the repository."""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "unseen.py"
DAYS = [f"2015-08-0{n}" for n in range(1, 7)]


def load(monkeypatch: pytest.MonkeyPatch, archive: Path | None = None) -> ModuleType:
    """A fresh copy of the module, read with `NASHRA_NEWS_CORPUS` set to `archive` (or unset)."""
    if archive is None:
        monkeypatch.delenv("NASHRA_NEWS_CORPUS", raising=False)
    else:
        monkeypatch.setenv("NASHRA_NEWS_CORPUS", str(archive))
    # It imports its sibling modules (targets) as a benchmark run finds them.
    monkeypatch.syspath_prepend(str(BENCHMARK.parent))
    spec = importlib.util.spec_from_file_location("unseen_under_test", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclass looks its module up by name while the module runs.
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def article(day: str, number: int) -> dict[str, str]:
    return {
        "url": f"http://paper.example/{day}/{number}",
        "title": f"خبر {number} يوم {day}",
        "content": "نص الخبر.",
    }


def index(folder: Path, entries: list[dict[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    listed = [{"file": "a.txt", "url": e["url"], "title": e["title"]} for e in entries]
    (folder / "index.json").write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Six days of two articles each, as the archive keeps them: one zip of JSON a day."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for day in DAYS:
        with zipfile.ZipFile(folder / f"{day}.zip", "w") as opened:
            found = [article(day, 0), article(day, 1)]
            opened.writestr(f"{day}.json", json.dumps(found, ensure_ascii=False))
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Test data: the corpus takes an article of day 1, the reader tests one of day 2 (by URL)
    and a nested index one of day 3 (by title alone)."""
    folder = tmp_path / "data"
    index(folder / "corpus" / "saudinewsnet", [article(DAYS[0], 1)])
    index(folder / "readers", [article(DAYS[1], 0)])
    index(folder / "engines" / "cases", [{**article(DAYS[2], 1), "url": "elsewhere"}])
    return folder


def test_days_a_test_takes_an_article_from_are_development_days(
    monkeypatch: pytest.MonkeyPatch, archive: Path, data: Path
) -> None:
    unseen = load(monkeypatch, archive)
    assert unseen.eligible_days(archive, data) == DAYS[1:]
    assert unseen.development_days(archive, data) == DAYS[1:3]
    untouched = unseen.untouched_days(archive, data)
    assert untouched == DAYS[3:]  # all three left, UNTOUCHED_COUNT of them
    assert len(untouched) == unseen.UNTOUCHED_COUNT


def test_a_day_stops_being_untouched_once_a_test_takes_one_of_its_articles(
    monkeypatch: pytest.MonkeyPatch, archive: Path, data: Path
) -> None:
    unseen = load(monkeypatch, archive)
    index(data / "readers" / "more", [article(DAYS[4], 1)])
    assert DAYS[4] in unseen.development_days(archive, data)
    assert unseen.untouched_days(archive, data) == [DAYS[3], DAYS[5]]


def test_without_an_archive_there_are_no_days(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: Path
) -> None:
    unseen = load(monkeypatch, tmp_path / "absent")
    assert unseen.development_days(tmp_path / "absent", data) == []
    assert unseen.untouched_days(tmp_path / "absent", data) == []
    assert unseen.unseen_days(tmp_path / "absent") == []


def test_the_archive_is_found_beside_the_repository_unless_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repository = BENCHMARK.parents[1]
    beside = repository.parent / "shared" / "corpus" / "saudinewsnet-archive"
    found = load(monkeypatch).ARCHIVE
    assert found == beside
    named = load(monkeypatch, tmp_path).ARCHIVE
    assert named == tmp_path
