"""A mistake never empties the live feed: a missing articles folder, a build or a publish
that drops too many episodes, a lost build state, an article that comes back.

One podcast of four short articles is built once (fake engine, pinned clock) and
copied for each test; publishing goes to a folder through the real rclone binary.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nashra.cli import cli
from nashra.storage import paths
from nashra.storage.state import BuildState
from tests.support import make_project, set_key
from tests.test_publish_servers import files_under

pytestmark = pytest.mark.slow

FIRST = "1765000000"  # 2025-12-06 05:46:40 UTC
ARTICLES = {
    # Long enough that the check measures their bitrate right (short ones read 95 kbps).
    f"{name}.txt": f"{title}\n\n" + f"{body}\n" * 12
    for name, title, body in [
        ("aa-rain", "أمطار على الرياض", "هطلت أمطار غزيرة على الرياض صباح اليوم."),
        ("bb-fair", "افتتاح معرض الكتاب", "افتتح معرض الكتاب أبوابه للزوار أمس."),
        ("cc-port", "توسعة ميناء جدة", "بدأت أعمال توسعة ميناء جدة الإسلامي."),
        ("dd-heat", "موجة حر في الشرقية", "تشهد المنطقة الشرقية موجة حر شديدة."),
    ]
}


def nashra(
    project: Path, *args: str, epoch: str = FIRST, env: dict[str, str] | None = None
) -> Result:
    """`nashra ARGS -p PROJECT` at the time `epoch`, in `env` (rclone's) when given."""
    return CliRunner().invoke(
        cli, [*args, "-p", str(project)], env={**(env or {}), "SOURCE_DATE_EPOCH": epoch}
    )


def items(project: Path) -> dict[str, tuple[str, str, str]]:
    """Each feed item's GUID → (title, pubDate, enclosure path)."""
    feed = (project / "output" / "feed.xml").read_text(encoding="utf-8")
    found = {}
    for item in re.findall(r"<item>(.*?)</item>", feed, re.S):
        guid = re.search(r"<guid[^>]*>([^<]+)</guid>", item)
        title = re.search(r"<title>([^<]+)</title>", item)
        date = re.search(r"<pubDate>([^<]+)</pubDate>", item)
        url = re.search(r'<enclosure url="[^"]*/(episodes/[^"]+)"', item)
        assert guid and title and date and url
        found[guid.group(1)] = (title.group(1), date.group(1), url.group(1))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("built") / "podcast", [])
    for name, text in ARTICLES.items():
        (root / "articles" / name).write_text(text, encoding="utf-8")
    result = nashra(root, "build")
    assert result.exit_code == 0, result.output
    assert len(items(root)) == 4
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "podcast"
    shutil.copytree(built, copy, symlinks=True)
    yield copy


def snapshot(project: Path) -> tuple[dict[str, bytes], dict[str, object]]:
    """output/ and the build state's records."""
    state = BuildState.load(paths.state_file(project / ".nashra"))
    return files_under(project / "output"), dict(state.episodes)


def test_a_missing_articles_folder_is_a_configuration_error_and_changes_nothing(
    project: Path,
) -> None:
    before = snapshot(project)
    (project / "articles").rename(project / "Articles")
    result = nashra(project, "build")
    assert result.exit_code == 2, result.output
    assert "articles folder is missing" in result.output
    assert snapshot(project) == before
    # The same through `nashra bulletin`, which builds too.
    result = nashra(project, "bulletin", "2025-12-06")
    assert result.exit_code == 2, result.output
    assert snapshot(project) == before


def test_a_build_that_drops_more_than_max_removed_stops_and_names_them(project: Path) -> None:
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text("utf-8"), "build", "max_removed", 1), "utf-8")
    (project / "articles" / "aa-rain.txt").unlink()
    (project / "articles" / "bb-fair.txt").unlink()
    before = snapshot(project)
    result = nashra(project, "build")
    assert result.exit_code == 1, result.output
    assert "would remove 2 of the 4 published episodes" in result.output
    assert "articles/aa-rain.txt" in result.output and "articles/bb-fair.txt" in result.output
    assert "--allow-removals" in result.output
    assert snapshot(project) == before
    # Asked for, it goes ahead.
    result = nashra(project, "build", "--allow-removals")
    assert result.exit_code == 0, result.output
    assert "removed 2" in result.output
    assert len(items(project)) == 2


def test_removing_up_to_the_default_limit_needs_no_flag(project: Path) -> None:
    """Five episodes, or 10 % of them: four of four go without a word."""
    for name in ARTICLES:
        (project / "articles" / name).unlink()
    result = nashra(project, "build")
    assert result.exit_code != 2, result.output
    assert "removed 4" in result.output


def test_publish_refuses_a_feed_that_drops_too_many_of_the_episodes_online(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    remote = tmp_path / "remote"
    first = nashra(project, "publish", str(remote), env=env)
    assert first.exit_code == 0, first.output
    online = files_under(remote)
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text("utf-8"), "build", "max_removed", 2), "utf-8")
    # A build told to (or one elsewhere: another checkout) dropped three.
    for name in list(ARTICLES)[:3]:
        (project / "articles" / name).unlink()
    assert nashra(project, "build", "--allow-removals").exit_code == 0
    result = nashra(project, "publish", str(remote), env=env)
    assert result.exit_code == 1, result.output
    assert "this publish would remove 3 of the 4 published episodes" in result.output
    assert "أمطار على الرياض" in result.output
    assert files_under(remote) == online
    # Told to, it publishes, and says what it sent.
    result = nashra(project, "publish", "--allow-removals", str(remote), env=env)
    assert result.exit_code == 0, result.output
    assert "published to" in result.output
    assert "the new feed drops 3 episode(s)" in result.output
    assert (remote / "feed.xml").read_bytes() == (project / "output" / "feed.xml").read_bytes()


def test_publish_refuses_output_that_nashra_check_finds_errors_in(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    remote = tmp_path / "remote"
    (project / "output" / items(project).popitem()[1][2]).unlink()
    result = nashra(project, "publish", str(remote), env=env)
    assert result.exit_code == 1, result.output
    assert "not published: `nashra check` found 1 error(s)" in result.output
    assert "--ignore-check" in result.output
    assert not remote.exists()
    forced = nashra(project, "publish", "--ignore-check", str(remote), env=env)
    assert forced.exit_code == 0, forced.output
    assert (remote / "feed.xml").is_file()


def test_a_lost_build_state_is_rebuilt_from_the_published_feed(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = items(project)
    pages = files_under(project / "output")
    for path in (project / ".nashra").glob("state.sqlite*"):
        path.unlink()
    # One article was edited meanwhile: its published files no longer say its text.
    edited = project / "articles" / "cc-port.txt"
    edited.write_text(edited.read_text("utf-8") + "وأضاف المسؤول أن العمل مستمر.\n", "utf-8")
    result = nashra(project, "build", epoch="1765100000")  # a day later
    assert result.exit_code == 0, result.output
    assert "is missing: rebuilt it from" in caplog.text
    assert "built 1, unchanged 3" in result.output
    after = items(project)
    # Same GUIDs, titles and dates; the three unchanged episodes keep their files (and
    # their pages and transcripts are as they were), the edited one is a new version
    # (the published file, which caches keep as immutable, is never overwritten).
    assert {g: v[:2] for g, v in after.items()} == {g: v[:2] for g, v in before.items()}
    for guid, (title, _, file) in after.items():
        was = before[guid][2]
        assert file == (was.replace(".mp3", "-v2.mp3") if "cc-port" in was else was), title
    now = files_under(project / "output")
    for name in ("episodes/aa-rain.html", "episodes/aa-rain.srt", "episodes/aa-rain.vtt"):
        assert now[name] == pages[name]
    # The next build keeps them all as they are.
    again = nashra(project, "build", epoch="1765200000")
    assert "built 0, unchanged 4" in again.output
    assert items(project) == after


def test_an_article_that_comes_back_keeps_its_first_date(project: Path) -> None:
    before = items(project)
    article = project / "articles" / "bb-fair.txt"
    text = article.read_text("utf-8")
    article.unlink()
    assert nashra(project, "build", epoch="1765100000").exit_code == 0
    assert len(items(project)) == 3
    article.write_text(text, "utf-8")
    assert nashra(project, "build", epoch="1765200000").exit_code == 0
    assert items(project) == before
