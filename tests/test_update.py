"""`nashra update` end to end: a newsroom's feed and pages on a local HTTP server, the
podcast built with the fake engine and published to a local `rclone serve s3`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nashra.cli import cli
from tests.rclone_servers import Server, s3_target
from tests.support import DATA, make_project, set_key
from tests.test_cli import runner
from tests.web_server import Page, Site

WEB = DATA / "web"


def rss(site: Site, paths: list[str], *, hour: int = 8) -> bytes:
    """A feed of `paths`; an item updated on the site has a later `hour`."""
    items = "".join(
        f"<item><title>t{n}</title><link>{site.url(path)}</link><guid>{site.url(path)}</guid>"
        f"<pubDate>Mon, 07 Dec 2026 {hour:02}:0{n}:00 GMT</pubDate></item>"
        for n, path in enumerate(paths)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        f"<link>{site.url('/')}</link><description>d</description>{items}</channel></rss>"
    ).encode()


def snapshot(root: Path) -> dict[str, int]:
    """Every file under `root` and when it was last written; lock files aside (the lock is
    opened, and so touched, by every run)."""
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.mark.slow
def test_update_imports_builds_publishes_and_then_does_nothing(
    site: Site,
    s3: Server,
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    project = make_project(tmp_path / "podcast", [])
    text = (project / "podcast.toml").read_text(encoding="utf-8")
    text = set_key(text, "publish", "target", s3_target(s3))
    text = set_key(text, "import", "feeds", [site.url("/rss")])
    text = set_key(text, "import", "retries", 1)
    (project / "podcast.toml").write_text(text, encoding="utf-8")
    site.routes["/news/1"] = Page((WEB / "albayan.ae.html").read_bytes())
    site.routes["/rss"] = Page(rss(site, ["/news/1"]), content_type="text/xml", etag='"a"')
    remote = s3.root / "podcasts" / "show"

    first = runner().invoke(cli, ["update", "-p", str(project)])
    assert first.exit_code == 0, first.output + (first.stderr or "")
    [line] = first.stdout.splitlines()
    assert re.fullmatch(
        r"update: 1 article\(s\) imported · built 1, unchanged 0, failed 0 · published to "
        r".*: uploaded \d+, deleted 0",
        line,
    ), line
    feed = (remote / "feed.xml").read_text(encoding="utf-8")
    assert "القائم بأعمال السفارة الأفغانية يثمّن جهود الإمارات" in feed

    # Nothing new: one conditional request, nothing written here or there.
    here, there = snapshot(project), snapshot(remote)
    site.log.clear()
    second = runner().invoke(cli, ["update", "-p", str(project)])
    assert second.exit_code == 0, second.output
    assert second.stdout.strip() == (
        "update: 0 article(s) imported, 1 feed(s) not modified · nothing new to build"
    )
    assert [(path, h.get("If-None-Match")) for path, h in site.log] == [("/rss", '"a"')]
    assert (snapshot(project), snapshot(remote)) == (here, there)

    # The article is edited on the site: its episode becomes -v2, and the remote feed says so.
    edited = (
        (WEB / "albayan.ae.html")
        .read_bytes()
        .replace("ثمّن أحمد ساير داودزي".encode(), "أشاد أحمد ساير داودزي".encode())
    )
    site.routes["/news/1"] = Page(edited)
    site.routes["/rss"] = Page(rss(site, ["/news/1"], hour=9), content_type="text/xml", etag='"b"')
    third = runner().invoke(cli, ["update", "-p", str(project)])
    assert third.exit_code == 0, third.output
    assert "0 article(s) imported, 1 updated · built 1" in third.stdout
    feed = (remote / "feed.xml").read_text(encoding="utf-8")
    assert re.search(r"episodes/[^\"<]*-v2\.mp3", feed)


def test_update_without_feeds_is_a_usage_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "podcast", [])
    result = runner().invoke(cli, ["update", "-p", str(project)])
    assert result.exit_code == 2
    assert "`[import] feeds` lists no feed" in result.stderr


def test_a_second_update_leaves_while_the_first_runs(site: Site, tmp_path: Path) -> None:
    from nashra.storage.lock import update_lock

    project = make_project(tmp_path / "podcast", [])
    text = (project / "podcast.toml").read_text(encoding="utf-8")
    text = set_key(text, "import", "feeds", [site.url("/rss")])
    (project / "podcast.toml").write_text(text, encoding="utf-8")
    with update_lock(project / ".nashra"):
        result = runner().invoke(cli, ["update", "-p", str(project)])
    assert result.exit_code == 2
    assert "another nashra update is running" in result.stderr
    assert site.log == []
    assert not (project / "articles").exists() or not any((project / "articles").iterdir())


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("feeds", "https://example.com/rss", "`import.feeds` must be a list"),
        ("feeds", ["javascript:alert(1)"], "only http(s) addresses and files are read"),
        ("rate", 0, "`import.rate` must be a number of requests a second"),
        ("timeout", -1, "`import.timeout` must be a number of seconds"),
        ("max_page_mb", 0, "`import.max_page_mb` must be above 0"),
        ("robot", True, "unknown key `import.robot`; did you mean `import.robots`?"),
    ],
)
def test_bad_import_settings_are_named(
    tmp_path: Path, key: str, value: object, message: str
) -> None:
    project = make_project(tmp_path / "podcast", [])
    text = set_key((project / "podcast.toml").read_text(encoding="utf-8"), "import", key, value)
    (project / "podcast.toml").write_text(text, encoding="utf-8")
    result = runner().invoke(cli, ["import", "url", "https://example.com/", "-p", str(project)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
