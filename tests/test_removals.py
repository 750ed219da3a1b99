"""How many episodes a build or publish may drop at once, `[build] max_removed`, the
feed read back, and the first dates the build state keeps for removed episodes.
(The builds and publishes themselves are in test_live_feed_guard.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.core.errors import SettingsError
from nashra.core.model import Cue
from nashra.publishing.guard import dropped_episodes
from nashra.publishing.removals import TooManyRemovals, guard_removals, removal_limit
from nashra.render.feed_items import read_feed
from nashra.render.sidecars import srt
from nashra.stages.recovery import parse_srt
from nashra.storage.state import BuildState
from tests.rclone_servers import Server, sftp_target
from tests.support import make_project
from tests.test_publish_servers import files_under, run, write_output
from tests.test_settings import VALID, write
from tests.test_state import record

BASE = "https://example.org/podcast"


@pytest.mark.parametrize(
    ("max_removed", "published", "limit"),
    [
        (None, 0, 5),
        (None, 5, 5),
        (None, 49, 5),
        (None, 60, 6),
        (None, 1000, 100),
        (0, 1000, 0),
        (2, 1000, 2),
    ],
)
def test_the_limit_is_the_setting_else_five_or_a_tenth(
    max_removed: int | None, published: int, limit: int
) -> None:
    assert removal_limit(max_removed, published) == limit


def test_more_than_the_limit_is_refused_by_name_unless_allowed() -> None:
    names = [f"articles/{n:02}.txt" for n in range(12)]
    guard_removals("this build", names[:5], 20, max_removed=None, allow=False)
    with pytest.raises(TooManyRemovals) as info:
        guard_removals("this build", names, 20, max_removed=None, allow=False)
    message = str(info.value)
    assert "this build would remove 12 of the 20 published episodes" in message
    assert "articles/00.txt" in message and "and 2 more" in message
    assert "allows (5)" in message and "--allow-removals" in message
    guard_removals("this build", names, 20, max_removed=None, allow=True)


@pytest.mark.parametrize("value", ["-1", '"ten"', "true", "2.5", "2000000"])
def test_a_bad_max_removed_is_a_settings_error_naming_it(tmp_path: Path, value: str) -> None:
    with pytest.raises(SettingsError, match=r"`build\.max_removed`"):
        load_settings(write(tmp_path, f"{VALID}\n[build]\nmax_removed = {value}\n"))


def test_max_removed_is_read(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, f"{VALID}\n[build]\nmax_removed = 0\n"))
    assert settings.build.max_removed == 0
    assert load_settings(write(tmp_path, VALID)).build.max_removed is None


def feed(*episodes: str, guid: str = "pod") -> bytes:
    items = "".join(
        f"<item><title>t-{e}</title><guid>g-{e}</guid><link>{BASE}/episodes/{e}.html</link>"
        f'<enclosure url="{BASE}/episodes/{e}.mp3" length="10" type="audio/mpeg"/>'
        "<pubDate>Sat, 06 Dec 2025 05:46:40 +0000</pubDate></item>"
        for e in episodes
    )
    return (
        '<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">'
        f"<channel><podcast:guid>{guid}</podcast:guid>{items}</channel></rss>"
    ).encode()


def test_the_feed_is_read_back_with_paths_under_base_url() -> None:
    published = read_feed(feed("a", "%D8%A8"), BASE)
    assert published.podcast_guid == "pod"
    first, second = published.items
    assert (first.guid, first.file, first.page, first.length) == (
        "g-a",
        "episodes/a.mp3",
        "episodes/a.html",
        10,
    )
    assert second.file == "episodes/ب.mp3"
    assert first.pub_date is not None and first.pub_date.year == 2025
    with pytest.raises(ValueError):
        read_feed(b"<html>not a feed</html>", BASE)


def test_an_episode_only_paged_out_of_the_feed_is_not_dropped() -> None:
    """It left the newest `feed_items`, but its file is still published."""
    dropped, listed = dropped_episodes(
        feed("a", "b", "c"), feed("c"), {"episodes/b.mp3", "episodes/c.mp3"}, BASE
    )
    assert (dropped, listed) == (["t-a"], 3)
    assert dropped_episodes(b"garbage", feed("c"), set(), BASE) == ([], 0)


def test_a_removed_episode_leaves_its_first_date_in_the_state(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    state = BuildState(podcast_guid="p", episodes={"a": record("a"), "b": record("b")})
    state.save(path)
    del state.episodes["a"]
    state.save(path)
    again = BuildState.load(path)
    assert set(again.episodes) == {"b"}
    assert again.retired == {"a": "2026-11-01T10:00:00+00:00"}


@pytest.mark.parametrize(
    "texts",
    [
        ["جملة أولى."],
        ["قال: «نعم» --> لا", "سطر " * 40, "a & b < c"],
    ],
)
def test_a_transcript_is_read_back_as_it_was_written(texts: list[str]) -> None:
    cues = tuple(Cue(i * 1.5, i * 1.5 + 1.234, " ".join(t.split())) for i, t in enumerate(texts))
    back = parse_srt(srt(cues).decode("utf-8"))
    assert [(c.start, c.end) for c in back] == [(c.start, c.end) for c in cues]
    assert [c.text for c in back] == [c.text.replace("-->", "->") for c in cues]
    with pytest.raises(ValueError):
        parse_srt("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nنص\n")


def test_publish_compares_with_the_feed_on_a_real_sftp_server(
    sftp: Server, env: dict[str, str], tmp_path: Path
) -> None:
    """The feed online is read through rclone; a hand-made output/ (the check skipped)."""
    project = make_project(tmp_path / "podcast", [], engine="espeak")
    with (project / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[build]\nmax_removed = 1\n")
    episodes = {f"e{n}.mp3": f"ID3 {n}".encode() * 50 for n in range(4)}
    write_output(project, episodes)
    target = sftp_target(sftp)
    assert run(["publish", "-p", str(project), target], env).returncode == 0
    online = files_under(sftp.root / "site")
    (project / "output" / "episodes" / "e0.mp3").unlink()
    (project / "output" / "episodes" / "e1.mp3").unlink()
    write_output(project, {"e2.mp3": episodes["e2.mp3"], "e3.mp3": episodes["e3.mp3"]})
    refused = run(["publish", "-p", str(project), target], env)
    assert refused.returncode == 1
    assert "this publish would remove 2 of the 4 published episodes (e0.mp3, e1.mp3)" in (
        refused.stderr
    )
    assert files_under(sftp.root / "site") == online
    allowed = run(["publish", "-p", str(project), "--allow-removals", target], env)
    assert allowed.returncode == 0, allowed.stderr
    assert "the new feed drops 2 episode(s)" in allowed.stderr
