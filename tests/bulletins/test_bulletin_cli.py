"""`nashra plan` lists the bulletins; `nashra bulletin DATE` makes one on demand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.config.settings import load_settings
from nashra.stages.bulletins.build import state_path
from nashra.storage.bulletin_state import BulletinState
from tests.bulletins.test_bulletin_build import dated_copies, enable
from tests.support import REPO, make_project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740859200")  # 1 March 2025, 20:00 UTC
    root = make_project(tmp_path / "p", dated_copies(tmp_path / "src"))
    enable(root, enabled=True, timezone="Asia/Riyadh", hijri=False)
    return root


def test_plan_shows_the_bulletins_a_build_would_make(project: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", "--project", str(project), "--json"])
    assert result.exit_code == 0, result.output
    bulletins = json.loads(result.output)["bulletins"]
    # It is 23:00 in Riyadh on 1 March: two days are closed, the third is not.
    assert [b["period"] for b in bulletins] == ["2025-02-27", "2025-02-28"]
    assert all(len(b["articles"]) == 2 and not b["out"] for b in bulletins)
    assert bulletins[0]["title"] == "نشرة الخميس 27 فبراير 2025"
    text = CliRunner().invoke(cli, ["plan", "--project", str(project)]).output
    assert "bulletin 2025-02-28  →  bulletin.xml" in text


def test_bulletin_builds_an_open_period_on_demand(project: Path) -> None:
    result = CliRunner().invoke(cli, ["bulletin", "2025-03-01", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert "bulletin 2025-03-01: bulletins/bulletin-2025-03-01.mp3" in result.output
    state = BulletinState.load(state_path(load_settings(project)))
    # That bulletin only: the two closed days wait for a build.
    assert sorted(state.bulletins) == ["2025-03-01"]
    assert sorted(p.name for p in (project / "output" / "bulletins").glob("*.mp3")) == [
        "bulletin-2025-03-01.mp3"
    ]
    built = CliRunner().invoke(cli, ["build", "--project", str(project)])
    assert built.exit_code == 0, built.output
    state = BulletinState.load(state_path(load_settings(project)))
    assert sorted(state.bulletins) == ["2025-02-27", "2025-02-28", "2025-03-01"]
    again = CliRunner().invoke(cli, ["bulletin", "2025-02-27", "--project", str(project)])
    assert again.exit_code == 0, again.output
    # The bulletins out already stay in the feed as they are.
    feed = (project / "output" / "bulletin.xml").read_text(encoding="utf-8")
    assert all(f"bulletin-{day}.mp3" in feed for day in ("2025-02-27", "2025-02-28", "2025-03-01"))


def test_bulletin_refuses_a_week_of_a_daily_project(project: Path) -> None:
    result = CliRunner().invoke(cli, ["bulletin", "2025-W09", "--project", str(project)])
    assert result.exit_code == 2
    assert "2025-W09 is a week" in result.output and "YYYY-MM-DD" in result.output
    assert not (project / "output" / "bulletins").exists()


def test_bulletin_refuses_a_date_it_cannot_read(project: Path) -> None:
    result = CliRunner().invoke(cli, ["bulletin", "1/3/2025", "--project", str(project)])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_the_sample_podcast_makes_a_bulletin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796205600")  # 2 December 2026, 10:00 UTC
    root = make_project(tmp_path / "sample", sorted((REPO / "articles").iterdir()))
    settings = load_settings(root)
    assert settings.bulletin.enabled and settings.bulletin.hijri
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--project", str(root)])
    assert built.exit_code == 0, built.output
    # The articles are dated by this build: their day is still open.
    assert "bulletins: built 0" in built.output
    made = runner.invoke(cli, ["bulletin", "2026-12-02", "--project", str(root)])
    assert made.exit_code == 0, made.output
    state = BulletinState.load(state_path(settings)).bulletins["2026-12-02"]
    assert len(state.members) == len(list((REPO / "articles").iterdir()))
    assert state.record.title.startswith("نشرة الأربعاء 2 ديسمبر 2026 (")
    assert state.record.title.endswith(" 1448 هـ)")
    checked = runner.invoke(cli, ["check", "--project", str(root)])
    assert checked.exit_code == 0, checked.output
    # A bulletin made before its day closed stays out: a later build keeps it as it is.
    feed = (root / "output" / "bulletin.xml").read_bytes()
    again = runner.invoke(cli, ["build", "--project", str(root)])
    assert again.exit_code == 0, again.output
    assert "bulletins: built 0, unchanged 1" in again.output
    assert (root / "output" / "bulletin.xml").read_bytes() == feed


def test_the_pages_link_the_two_feeds(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    main = (project / "output" / "index.html").read_text(encoding="utf-8")
    assert 'href="bulletins/index.html">النشرة اليومية' in main
    assert 'href="feed.xml" type="application/rss+xml"' in main
    page = (project / "output" / "bulletins" / "index.html").read_text(encoding="utf-8")
    assert 'href="../bulletin.xml" type="application/rss+xml"' in page
    assert 'href="../index.html">كل الحلقات' in page
    assert "https://nashra.example.org/podcast/bulletin.xml" in page
