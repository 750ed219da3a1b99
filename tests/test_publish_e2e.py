"""Publishing a built podcast to real rclone servers (S3 and SFTP) on 127.0.0.1, then its
rebuild with one article edited and one removed; publishes killed part-way; --verify.

The podcast is built once for the module (two short articles, espeak-ng): `v1`, then
`v2` after the edit and the removal. Each test publishes copies of those projects.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.config.settings import load_settings
from nashra.server import make_server
from tests.rclone_servers import (
    Server,
    rclone_server,
    s3_target,
    sftp_target,
    stop,
)
from tests.support import CORPUS, make_project
from tests.test_publish_servers import files_under, remote_listing, run

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parents[1] / "src"
BASE = "https://nashra.example.org/podcast"
EDITED = "03-sabq"
REMOVED = "04-alweeam"

# What podcast apps and browsers expect for each kind of file, from the specs that
# name them: RSS (application/rss+xml), MP3 (RFC 3003), WebVTT, JSON chapters
# (Podcasting 2.0), JSON transcripts (Podcasting 2.0: application/json), SubRip, HTML, PNG,
# TrueType.
EXPECTED_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt; charset=utf-8",
    ".chapters.json": "application/json+chapters",
    ".transcript.json": "application/json",
    ".srt": "application/x-subrip; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".ttf": "font/ttf",
    ".txt": "text/plain; charset=utf-8",
}


def expected_type(path: str) -> str:
    for suffix in sorted(EXPECTED_TYPES, key=len, reverse=True):
        if path.endswith(suffix):
            return EXPECTED_TYPES[suffix]
    raise AssertionError(f"no expected type for {path}")


@dataclass(frozen=True)
class Builds:
    v1: Path
    v2: Path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("built")
    project = make_project(
        root / "podcast",
        [CORPUS / "saudinewsnet" / f"{REMOVED}.txt", CORPUS / "saudinewsnet" / f"{EDITED}.txt"],
        engine="espeak",
    )
    first = CliRunner().invoke(cli, ["build", "-p", str(project)])
    assert first.exit_code == 0, first.output
    v1 = root / "v1"
    shutil.copytree(project, v1)
    article = project / "articles" / f"{EDITED}.txt"
    article.write_text(
        article.read_text(encoding="utf-8").rstrip() + "\n\nوأكدت الهيئة أن العمل مستمر.\n",
        encoding="utf-8",
    )
    (project / "articles" / f"{REMOVED}.txt").unlink()
    second = CliRunner().invoke(cli, ["build", "-p", str(project)])
    assert second.exit_code == 0, second.output
    v2 = root / "v2"
    shutil.copytree(project, v2)
    return Builds(v1, v2)


def copy_of(project: Path, tmp_path: Path, name: str, *, max_age: int | None = 0) -> Path:
    """A copy of a built project; `max_age = 0` (no cache in front) unless None."""
    target = tmp_path / name
    shutil.copytree(project, target)
    if max_age is not None:
        with (target / "podcast.toml").open("a", encoding="utf-8") as handle:
            handle.write(f"\n[publish]\nmax_age = {max_age}\n")
    return target


def changed_between(old: dict[str, bytes], new: dict[str, bytes]) -> set[str]:
    return {path for path, data in new.items() if old.get(path) != data}


@dataclass
class ServerEvents:
    """Completed uploads and deletions in the order the server logged them."""

    events: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, server: Server, prefix: str, since: int = 0) -> ServerEvents:
        moved = re.compile(rf"Moved \(server-side\) to: {re.escape(prefix)}/(\S+)$")
        s3_delete = re.compile(
            rf"serve s3: DELETE: \S+ {re.escape(prefix.split('/', 1)[-1])}/(\S+)"
        )
        sftp_delete = re.compile(rf" : {re.escape(prefix)}/(\S+): Remove: ")
        found = cls()
        for line in server.log_lines()[since:]:
            for kind, pattern in (("put", moved), ("delete", s3_delete), ("delete", sftp_delete)):
                match = pattern.search(line)
                if match:
                    found.events.append((kind, match.group(1)))
        return found

    def puts(self) -> list[str]:
        return [p for kind, p in self.events if kind == "put"]

    def deletes(self) -> list[str]:
        return [p for kind, p in self.events if kind == "delete"]


def assert_safe_order(events: ServerEvents) -> None:
    """Media before pages before feed.xml, and every deletion after feed.xml."""
    order = [p for _, p in events.events]
    feed = order.index("feed.xml")
    for kind, path in events.events[:feed]:
        assert kind == "put", f"{path} was deleted before the new feed was up"
    pages = [i for i, (_, p) in enumerate(events.events) if p.endswith(".html")]
    media = [
        i
        for i, (k, p) in enumerate(events.events)
        if k == "put" and not p.endswith((".html", ".xml"))
    ]
    assert not media or not pages or max(media) < min(pages), order
    for kind, path in events.events[feed + 1 :]:
        assert kind == "delete", f"{path} was uploaded after the feed"


# ------------------------------------------------------------------ publish, change, publish


@pytest.mark.parametrize("kind", ["s3", "sftp"])
def test_publish_a_built_podcast_then_its_rebuild(
    kind: str, builds: Builds, tmp_path: Path, env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    server: Server = request.getfixturevalue(kind)
    target = s3_target(server) if kind == "s3" else sftp_target(server)
    served = server.root / ("podcasts/show" if kind == "s3" else "site")
    prefix = "podcasts/show" if kind == "s3" else "site"
    v1 = copy_of(builds.v1, tmp_path, "v1")
    v2 = copy_of(builds.v2, tmp_path, "v2")
    old, new = files_under(v1 / "output"), files_under(v2 / "output")

    first = run(["publish", "-p", str(v1), target], env)
    assert first.returncode == 0, first.stderr
    assert files_under(served) == old
    events = ServerEvents.read(server, prefix)
    assert sorted(events.puts()) == sorted(old)
    assert_safe_order(events)
    mark = len(server.log_lines())

    second = run(["publish", "-p", str(v2), target], env)
    assert second.returncode == 0, second.stderr
    assert files_under(served) == new
    events = ServerEvents.read(server, prefix, since=mark)
    # Only what changed was sent: the edited episode under its new name, and the
    # pages and feed that name it; the removed article's files were deleted.
    assert set(events.puts()) == changed_between(old, new)
    assert any(p.startswith(f"episodes/{EDITED}-v2.") for p in events.puts())
    assert not any(REMOVED in p for p in events.puts())
    assert set(events.deletes()) == set(old) - set(new)
    assert any(p == f"episodes/{REMOVED}.mp3" for p in events.deletes())
    assert f"episodes/{EDITED}.mp3" in events.deletes()
    assert_safe_order(events)
    assert f"uploaded {len(changed_between(old, new))} " in second.stdout

    if kind == "s3":
        listing = remote_listing(target, env)
        assert set(listing) == set(new)
        for path, item in listing.items():
            meta = item["Metadata"]
            assert meta["content-type"] == expected_type(path), path
            versioned = path.startswith("episodes/") and not path.endswith(".html")
            wanted = "public, max-age=31536000, immutable" if versioned else "public, max-age=0"
            assert meta["cache-control"] == wanted, path


# ------------------------------------------------------------------ interrupted publishes


def feed_problems(served: Path) -> list[str]:
    """What a podcast app would trip on in the served folder right now."""
    try:
        data = (served / "feed.xml").read_bytes()
    except FileNotFoundError:
        return []  # nothing published yet
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"feed.xml is not whole: {exc}"]
    problems = []
    for enclosure in root.iter("enclosure"):
        url = enclosure.get("url", "")
        assert url.startswith(BASE + "/"), url
        path = served / url[len(BASE) + 1 :]
        if not path.is_file():
            problems.append(f"{url} is missing")
        elif path.stat().st_size != int(enclosure.get("length", "-1")):
            problems.append(f"{url} is {path.stat().st_size} bytes, not {enclosure.get('length')}")
    return problems


class Watcher(threading.Thread):
    """Checks the served feed as an app would, over and over, while a publish runs."""

    def __init__(self, served: Path) -> None:
        super().__init__(daemon=True)
        self.served = served
        self.problems: list[str] = []
        self.feeds: set[bytes] = set()
        self.checks = 0
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            self.problems += feed_problems(self.served)
            feed = self.served / "feed.xml"
            if feed.is_file():
                self.feeds.add(feed.read_bytes())
            self.checks += 1
            time.sleep(0.005)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=10)


def start_publish(project: Path, target: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "nashra", "-v", "publish", "-p", str(project), target],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONPATH": str(SRC)},
        start_new_session=True,
    )


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


def uploading(pid: int) -> list[int]:
    """The rclone copy that a publish process is running, if it is running one."""
    found = []
    for child in children_of(pid):
        try:
            args = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"copy" in args:
            found.append(child)
    return found


def wait_until(condition: object, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("kind", ["s3", "sftp"])
def test_a_publish_killed_at_any_point_never_shows_a_broken_feed(
    kind: str, builds: Builds, tmp_path: Path, env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    server: Server = request.getfixturevalue(kind)
    target = s3_target(server) if kind == "s3" else sftp_target(server)
    served = server.root / ("podcasts/show" if kind == "s3" else "site")
    v1 = copy_of(builds.v1, tmp_path, "v1")
    v2 = copy_of(builds.v2, tmp_path, "v2")
    assert run(["publish", "-p", str(v1), target], env).returncode == 0
    v1_feed = (v1 / "output" / "feed.xml").read_bytes()
    v2_feed = (v2 / "output" / "feed.xml").read_bytes()
    # Slow the uploads (the new episode's files) so each kill lands mid-way.
    slow = {**env, "RCLONE_BWLIMIT": "100k"}

    watcher = Watcher(served)
    watcher.start()
    try:
        # 1. The whole publish killed while the new episode is on its way.
        process = start_publish(v2, target, slow)
        assert wait_until(lambda: uploading(process.pid), 30)
        time.sleep(0.3)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert (served / "feed.xml").read_bytes() == v1_feed
        assert feed_problems(served) == []

        # 2. Only rclone killed, mid-upload: nashra says so, exit status 1.
        assert wait_until(lambda: not rclone_clients(server.port), 10)
        process = start_publish(v2, target, slow)
        assert wait_until(lambda: uploading(process.pid), 30)
        time.sleep(0.3)
        for child in uploading(process.pid):
            os.kill(child, signal.SIGKILL)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 1, err
        assert "run the same command again to finish" in err
        assert "Traceback" not in err
        assert feed_problems(served) == []

        # 3. Killed the moment the new feed is up, before the old files are deleted.
        process = start_publish(v2, target, slow)
        try:
            assert wait_until(
                lambda: (
                    (served / "feed.xml").is_file()
                    and (served / "feed.xml").read_bytes() == v2_feed
                ),
                120,
            )
            os.killpg(process.pid, signal.SIGKILL)
        finally:
            stop(process)
            process.communicate(timeout=30)
        assert feed_problems(served) == []

        # 4. Run again: it finishes the job.
        final = run(["publish", "-p", str(v2), target], env)
        assert final.returncode == 0, final.stderr
    finally:
        watcher.stop()
    assert files_under(served) == files_under(v2 / "output")
    assert watcher.problems == []
    assert watcher.checks > 100
    assert watcher.feeds <= {v1_feed, v2_feed}
    assert v2_feed in watcher.feeds
    assert wait_until(lambda: not rclone_clients(server.port), 10), rclone_clients(server.port)


def rclone_clients(port: int) -> list[str]:
    """rclone processes still talking to the server on `port` (none once a publish ends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        text = [a.decode(errors="replace") for a in args]
        if (
            text
            and text[0].endswith("rclone")
            and "serve" not in text
            and str(port) in " ".join(text)
        ):
            found.append(" ".join(text))
    return found


# ------------------------------------------------------------------ verify, build --publish


def test_verify_fetches_the_feed_and_every_enclosure_over_http(
    builds: Builds, tmp_path: Path, env: dict[str, str], sftp: Server
) -> None:
    v2 = copy_of(builds.v2, tmp_path, "v2")
    target = sftp_target(sftp)
    # No directory cache: the test changes files behind the server's back.
    fresh = ("--dir-cache-time", "0s")
    with rclone_server("http", sftp.root / "site", tmp_path / "http-home", extra=fresh) as web:
        result = run(["publish", "-p", str(v2), target, "--verify-url", web.url], env)
        assert result.returncode == 0, result.stderr
        assert f"verified {web.url}/feed.xml: 1 enclosure(s) answer in full" in result.stdout
        mp3 = next((sftp.root / "site" / "episodes").glob(f"{EDITED}-v2.mp3"))
        mp3.write_bytes(mp3.read_bytes()[:-100])
        again = run(["publish", "-p", str(v2), target, "--verify-url", web.url], env)
        # The publish itself sends the whole file back; then the feed verifies.
        assert again.returncode == 0, again.stderr
        mp3.write_bytes(mp3.read_bytes()[:-100])
        from nashra.publishing.verify import verify_feed

        broken = verify_feed(f"{BASE}/feed.xml", rewrite=(BASE, web.url))
        assert not broken.ok
        assert f"{EDITED}-v2.mp3 is" in broken.problems[0]
        assert "bytes, but the feed states" in broken.problems[0]


def test_verify_against_nashra_serve(builds: Builds, tmp_path: Path) -> None:
    v1 = copy_of(builds.v1, tmp_path, "v1")
    server = make_server(load_settings(v1), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        from nashra.publishing.verify import verify_feed

        result = verify_feed(f"{server.url}/feed.xml")
        assert result.ok, result.problems
        assert result.checked == 2
        (v1 / "output" / "episodes" / f"{REMOVED}.mp3").unlink()
        missing = verify_feed(f"{server.url}/feed.xml")
        assert len(missing.problems) == 1
        assert "answered 404" in missing.problems[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_build_publish_builds_checks_and_uploads(
    builds: Builds, tmp_path: Path, env: dict[str, str], sftp: Server
) -> None:
    project = copy_of(builds.v2, tmp_path, "p", max_age=None)
    with (project / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[publish]\ntarget = "{sftp_target(sftp)}"\n')
    result = run(["build", "--publish", "-p", str(project)], env)
    assert result.returncode == 0, result.stderr
    assert "built 0, unchanged 1" in result.stdout
    assert "published to" in result.stdout
    assert files_under(sftp.root / "site") == files_under(project / "output")


def test_build_publish_publishes_nothing_when_the_check_finds_errors(
    tmp_path: Path, env: dict[str, str], sftp: Server
) -> None:
    # No article: a feed with no episode is an error (Spotify refuses it).
    project = make_project(tmp_path / "p", [], engine="espeak")
    with (project / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[publish]\ntarget = "{sftp_target(sftp)}"\n')
    result = run(["build", "--publish", "-p", str(project)], env)
    assert result.returncode == 1
    assert "[items] channel: the feed has no episodes" in result.stderr
    assert "not published: `nashra check` found" in result.stderr
    assert not (sftp.root / "site").exists()
