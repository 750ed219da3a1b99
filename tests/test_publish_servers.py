"""nashra publish against real rclone servers on 127.0.0.1 (S3 and SFTP), with a small
hand-made output/ so that no speech is synthesized: bad targets, credentials, dry runs.

The end-to-end runs with a built podcast are in test_publish_e2e.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.publishing.rclone import executable
from tests.rclone_servers import (
    S3_SECRET,
    SFTP_PASS,
    Server,
    free_port,
    obscure,
    rclone_server,
    s3_target,
    sftp_target,
    stop,
    webdav_target,
)
from tests.support import make_project

BASE = "https://nashra.example.org/podcast"


def write_output(project: Path, episodes: dict[str, bytes], *, title: str = "v1") -> None:
    """A minimal output/: a feed whose enclosures are `episodes`, a page and a cover."""
    out = project / "output"
    (out / "episodes").mkdir(parents=True, exist_ok=True)
    items = ""
    for name, data in episodes.items():
        (out / "episodes" / name).write_bytes(data)
        items += (
            f"<item><title>{name}</title><guid>{name}</guid>"
            f'<enclosure url="{BASE}/episodes/{name}" length="{len(data)}" type="audio/mpeg"/>'
            "</item>"
        )
    (out / "feed.xml").write_text(
        f"<?xml version='1.0' encoding='UTF-8'?>\n<rss version=\"2.0\"><channel><title>{title}"
        f"</title>{items}</channel></rss>",
        encoding="utf-8",
    )
    (out / "index.html").write_text(f"<html>{title}</html>", encoding="utf-8")
    (out / "cover.png").write_bytes(b"\x89PNG cover")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "podcast", [], engine="espeak")
    write_output(root, {"a.mp3": b"ID3 a" * 100, "b.mp3": b"ID3 b" * 200})
    return root


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`nashra ARGS` in its own process, as a user would run it.

    `nashra publish` runs with --ignore-check: the hand-made output/ of these tests is
    no podcast `nashra check` passes (its MP3s are a few bytes); test_live_feed_guard.py
    tests the check.
    """
    import os
    import sys

    if "publish" in args:
        args = [*args, "--ignore-check"]
    full = {**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    full.pop("NASHRA_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "nashra", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
        cwd=os.getcwd(),
    )


def remote_listing(target: str, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """rclone's own listing of the target, with metadata: the headers an object store keeps."""
    out = subprocess.run(
        [str(executable()), "lsjson", "-R", "--files-only", "-M", target],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    return {item["Path"]: item for item in json.loads(out)}


def files_under(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_s3_publish_stores_the_files_with_their_headers(
    project: Path, s3: Server, env: dict[str, str]
) -> None:
    target = s3_target(s3)
    result = run(["publish", "-p", str(project), target], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "sent media and sidecars: 3 files",
        "sent pages: 1 file",
        "sent feed: 1 file",
    ]
    assert "uploaded 5" in result.stdout and "deleted 0" in result.stdout
    assert files_under(s3.root / "podcasts" / "show") == files_under(project / "output")
    listing = remote_listing(target, env)
    meta = {path: item["Metadata"] for path, item in listing.items()}
    assert meta["feed.xml"]["content-type"] == "application/rss+xml; charset=utf-8"
    assert meta["feed.xml"]["cache-control"] == "public, max-age=300"
    assert meta["episodes/a.mp3"]["content-type"] == "audio/mpeg"
    assert meta["episodes/a.mp3"]["cache-control"] == "public, max-age=31536000, immutable"
    assert meta["index.html"]["content-type"] == "text/html; charset=utf-8"

    # Again, unchanged: nothing is sent (the server saw no new object).
    created = _created(s3)
    again = run(["publish", "-p", str(project), target], env)
    assert again.returncode == 0, again.stderr
    assert "uploaded 0" in again.stdout and "unchanged 5" in again.stdout
    assert _created(s3) == created


def no_cache_in_front(project: Path, max_age: int = 0) -> None:
    """`[publish] max_age`: 0 when no cache sits in front, so old files go at once."""
    with (project / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write(f"\n[publish]\nmax_age = {max_age}\n")


def _created(server: Server) -> list[str]:
    return [line for line in server.log_lines() if "serve s3: CREATE OBJECT" in line]


def test_dry_run_lists_the_plan_in_order_and_changes_nothing(
    project: Path, sftp: Server, env: dict[str, str]
) -> None:
    result = run(["publish", "-p", str(project), "--dry-run", sftp_target(sftp)], env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "upload cover.png",
        "upload episodes/a.mp3",
        "upload episodes/b.mp3",
        "upload index.html",
        "upload feed.xml",
    ]
    assert "would upload 5, delete 0" in lines[-1]
    assert files_under(sftp.root) == {}


def test_sftp_publish_then_a_change_sends_only_it_and_deletes_after_the_feed(
    project: Path, sftp: Server, env: dict[str, str]
) -> None:
    target = sftp_target(sftp)
    no_cache_in_front(project)
    assert run(["publish", "-p", str(project), target], env).returncode == 0
    write_output(project, {"a.mp3": b"ID3 a" * 100, "c.mp3": b"ID3 c" * 50}, title="v2")
    (project / "output" / "episodes" / "b.mp3").unlink()
    dry = run(["publish", "-p", str(project), "-n", target], env)
    assert dry.stdout.splitlines()[:4] == [
        "upload episodes/c.mp3",
        "upload index.html",
        "upload feed.xml",
        "delete episodes/b.mp3",
    ]
    result = run(["-v", "publish", "-p", str(project), target], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:4] == [
        "sent media and sidecars: 1 file",
        "sent pages: 1 file",
        "sent feed: 1 file",
        "deleted 1 file the new feed no longer needs",
    ]
    assert "uploaded 3" in result.stdout and "deleted 1" in result.stdout
    assert "unchanged 2" in result.stdout
    steps = [line for line in result.stderr.splitlines() if line.startswith("INFO: ")]
    assert steps == [
        "INFO: media and sidecars: episodes/c.mp3",
        "INFO: pages: index.html",
        "INFO: feed: feed.xml",
        "INFO: deletions: episodes/b.mp3",
    ]
    assert "does not keep HTTP headers" in result.stderr
    assert files_under(sftp.root / "site") == files_under(project / "output")


def test_wrong_credentials_fail_clearly_without_showing_them(
    project: Path, s3: Server, sftp: Server, env: dict[str, str]
) -> None:
    bad = {**env, "RCLONE_S3_SECRET_ACCESS_KEY": "wrong-secret-0000111122223333"}
    result = run(["-vv", "publish", "-p", str(project), s3_target(s3)], bad)
    assert result.returncode == 1
    assert "refused the credentials" in result.stderr
    assert "Traceback" not in result.stderr
    for text in (result.stdout, result.stderr):
        assert "wrong-secret-0000111122223333" not in text
        assert S3_SECRET not in text
    bad_sftp = {**env, "RCLONE_SFTP_PASS": obscure("not-the-password", env)}
    result = run(["publish", "-p", str(project), sftp_target(sftp)], bad_sftp)
    assert result.returncode == 1
    assert "refused the credentials" in result.stderr
    assert bad_sftp["RCLONE_SFTP_PASS"] not in result.stderr
    assert files_under(sftp.root) == {}


def test_credentials_given_on_the_command_line_are_never_printed(
    project: Path, sftp: Server, env: dict[str, str]
) -> None:
    secret = obscure(SFTP_PASS, env)
    target = sftp_target(sftp).replace(":site", f",pass={secret}:site")
    clean = {k: v for k, v in env.items() if k != "RCLONE_SFTP_PASS"}
    result = run(["-vv", "publish", "-p", str(project), target], clean)
    assert result.returncode == 0, result.stderr
    assert "pass=***" in result.stdout
    assert secret not in result.stdout + result.stderr
    assert files_under(sftp.root / "site") == files_under(project / "output")
    # and nothing of it lands in the project
    for path in project.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes()


def test_a_missing_bucket_is_an_error_not_created(
    project: Path, s3: Server, env: dict[str, str]
) -> None:
    result = run(["publish", "-p", str(project), s3_target(s3, bucket="nosuchbucket")], env)
    assert result.returncode == 1
    assert "the bucket does not exist" in result.stderr, result.stderr
    assert not (s3.root / "nosuchbucket").exists()


def test_an_unknown_remote_and_an_unreachable_server_fail_clearly(
    project: Path, env: dict[str, str]
) -> None:
    result = run(["publish", "-p", str(project), "nosuchremote:podcast"], env)
    assert result.returncode == 1
    assert "rclone does not know this remote" in result.stderr, result.stderr
    closed = free_port()
    target = f":sftp,host=127.0.0.1,port={closed},user=x,known_hosts_file=none:site"
    result = run(
        ["publish", "-p", str(project), target],
        {**env, "RCLONE_LOW_LEVEL_RETRIES": "1", "RCLONE_RETRIES": "1"},
    )
    assert result.returncode == 1
    assert "could not be reached" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_no_target_and_no_build_are_explained(tmp_path: Path, env: dict[str, str]) -> None:
    root = make_project(tmp_path / "empty", [], engine="espeak")
    result = CliRunner().invoke(cli, ["publish", "-p", str(root)])
    assert result.exit_code == 2
    assert "no place to publish to" in result.output
    done = run(["publish", "-p", str(root), "remote:x"], env)
    assert done.returncode == 1
    assert "run `nashra build` first" in done.stderr


def test_a_local_folder_is_a_target_too(project: Path, tmp_path: Path, env: dict[str, str]) -> None:
    web_root = tmp_path / "www" / "podcast"
    result = run(["publish", "-p", str(project), str(web_root)], env)
    assert result.returncode == 0, result.stderr
    assert files_under(web_root) == files_under(project / "output")
    assert "local does not keep HTTP headers" in result.stderr
    with (project / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[publish]\ntarget = "./public"\n')
    result = run(["publish", "-p", str(project)], env)
    assert result.returncode == 0, result.stderr
    assert files_under(project / "public") == files_under(project / "output")
    typo = CliRunner().invoke(cli, ["publish", "-p", str(project), "r2bucket/podcast"])
    assert typo.exit_code == 2
    assert "is not an rclone remote" in typo.output


def test_the_target_comes_from_podcast_toml(
    project: Path, sftp: Server, env: dict[str, str]
) -> None:
    with (project / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[publish]\ntarget = "{sftp_target(sftp)}"\n')
    result = run(["publish", "-p", str(project)], env)
    assert result.returncode == 0, result.stderr
    assert files_under(sftp.root / "site") == files_under(project / "output")


def test_webdav_replaces_the_feed_by_a_rename_never_in_place(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    with rclone_server("webdav", tmp_path / "dav-root", tmp_path / "dav-home") as dav:
        target = webdav_target(dav)
        first = run(["publish", "-p", str(project), target], env)
        assert first.returncode == 0, first.stderr
        assert files_under(dav.root / "site") == files_under(project / "output")
        # WebDAV keeps no hashes: the modification time tells unchanged files apart.
        for name in ("feed.xml", "index.html"):
            path = project / "output" / name
            path.write_text(path.read_text(encoding="utf-8").replace("v1", "v2"), "utf-8")
            # An edit of the same size is told apart by its time alone, which WebDAV keeps
            # to the second: date it as a later build would, past the first upload's second.
            later = path.stat().st_mtime + 2
            os.utime(path, (later, later))
        second = run(["publish", "-p", str(project), target], env)
        assert second.returncode == 0, second.stderr
        assert "uploaded 2" in second.stdout and "unchanged 3" in second.stdout
        assert files_under(dav.root / "site") == files_under(project / "output")
        assert not list((dav.root / "site").glob(".*"))
        log = "\n".join(dav.log_lines())
        # A WebDAV server writes an upload in place, so the feed goes up under a
        # hidden name and is renamed (MOVE) over feed.xml.
        assert log.count("site/.feed.xml.nashra-upload: Moved (server-side) to: site/feed.xml") == 2
        assert "//site/feed.xml: PUT" not in log


def test_a_server_that_drops_mid_upload_fails_clearly_and_the_next_run_finishes(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    (project / "output" / "episodes" / "big.mp3").write_bytes(bytes(range(256)) * 8000)
    flaky = {
        **env,
        "RCLONE_BWLIMIT": "200k",
        "RCLONE_LOW_LEVEL_RETRIES": "1",
        "RCLONE_RETRIES": "1",
    }
    root = tmp_path / "sftp-root"
    with rclone_server("sftp", root, tmp_path / "home-1") as server:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "nashra", "publish", "--ignore-check"),
                *("-p", str(project), sftp_target(server)),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**flaky, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while not list(root.glob("site/episodes/big.mp3.*.partial")):
                assert time.monotonic() < deadline, "the upload never started"
                time.sleep(0.01)
            stop(server.process)
            _, err = process.communicate(timeout=120)
        finally:
            stop(process)
    assert process.returncode == 1
    assert "could not be reached, or the connection dropped" in err, err
    assert "Traceback" not in err
    assert not (root / "site" / "feed.xml").exists()
    with rclone_server("sftp", root, tmp_path / "home-2") as server:
        result = run(["publish", "-p", str(project), sftp_target(server)], env)
        assert result.returncode == 0, result.stderr
    assert files_under(root / "site") == files_under(project / "output")


def test_old_files_are_kept_while_a_cache_may_hold_the_previous_feed(
    project: Path, sftp: Server, env: dict[str, str]
) -> None:
    # An hour: the publish "at once again" below is well within it however loaded the
    # machine; the hour's passing is then told by backdating the recorded feed time.
    no_cache_in_front(project, max_age=3600)
    target = sftp_target(sftp)
    served = sftp.root / "site"
    assert run(["publish", "-p", str(project), target], env).returncode == 0
    write_output(project, {"a.mp3": b"ID3 a" * 100}, title="v2")
    (project / "output" / "episodes" / "b.mp3").unlink()
    result = run(["publish", "-p", str(project), target], env)
    assert result.returncode == 0, result.stderr
    assert "kept 1 file(s) the feed no longer names" in result.stdout
    assert (served / "feed.xml").read_bytes() == (project / "output" / "feed.xml").read_bytes()
    assert (served / "episodes" / "b.mp3").is_file()
    # At once again: the new feed is younger than max_age, b.mp3 stays.
    dry = run(["publish", "-p", str(project), "-n", target], env)
    assert "delete episodes/b.mp3  (kept until" in dry.stdout
    assert "would upload 0, delete 0" in dry.stdout
    assert (served / "episodes" / "b.mp3").is_file()
    recorded = project / ".nashra" / "publish.json"
    times = json.loads(recorded.read_text(encoding="utf-8"))
    assert len(times["feed_replaced"]) == 1
    times["feed_replaced"] = {key: time.time() - 3601 for key in times["feed_replaced"]}
    recorded.write_text(json.dumps(times), encoding="utf-8")
    later = run(["publish", "-p", str(project), target], env)
    assert later.returncode == 0, later.stderr
    assert "deleted 1 file the new feed no longer needs" in later.stdout
    assert files_under(served) == files_under(project / "output")


@contextlib.contextmanager
def small_disk(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path` (root only), unmounted when the block ends."""
    path.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


def test_a_full_disk_on_the_far_side_fails_clearly_and_keeps_the_feed(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    with small_disk(tmp_path / "disk", "256k") as disk:
        with rclone_server("sftp", disk, tmp_path / "sftp-home") as server:
            target = sftp_target(server)
            assert run(["publish", "-p", str(project), target], env).returncode == 0
            old_feed = (disk / "site" / "feed.xml").read_bytes()
            write_output(project, {"a.mp3": b"ID3 a" * 100, "big.mp3": b"\x00" * 400_000})
            result = run(["publish", "-p", str(project), target], env)
        assert result.returncode == 1
        assert "out of space or over its quota" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert (disk / "site" / "feed.xml").read_bytes() == old_feed


def test_verify_after_publishing_checks_what_the_web_server_serves(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    web_root = tmp_path / "www"
    fresh = ("--dir-cache-time", "0s")
    with rclone_server("http", web_root, tmp_path / "http-home", extra=fresh) as web:
        result = run(["publish", "-p", str(project), str(web_root), "--verify-url", web.url], env)
        assert result.returncode == 0, result.stderr
        assert f"verified {web.url}/feed.xml: 2 enclosure(s) answer in full" in result.stdout
        (web_root / "episodes" / "b.mp3").write_bytes(b"ID3 b")
        broken = run(["publish", "-p", str(project), "--verify-url", web.url, "-n", "/x"], env)
        assert broken.returncode == 0  # a dry run verifies nothing
        # The copy at another address is checked as it is, not as output/ holds it.
        other = run(
            ["publish", "-p", str(project), str(tmp_path / "elsewhere"), "--verify-url", web.url],
            env,
        )
        assert other.returncode == 1
        assert (
            f"verify: b.mp3: {web.url}/episodes/b.mp3 is 5 bytes, but the feed states 1000"
            in other.stderr
        )
        assert f"verifying {web.url}/feed.xml found 1 problem(s)" in other.stderr
