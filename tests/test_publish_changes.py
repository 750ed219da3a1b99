"""What a publish sends, and what it says: only the changed files on a WebDAV server of
any vendor (a real `rclone serve webdav` on 127.0.0.1), and nothing printed with -q.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.rclone_servers import SFTP_USER, Server, rclone_server
from tests.support import make_project
from tests.test_publish_servers import files_under, run, write_output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "podcast", [], engine="espeak")
    write_output(root, {f"{n}.mp3": f"ID3 {n}".encode() * (50 + n) for n in range(8)})
    return root


def puts(server: Server) -> list[str]:
    """The files the WebDAV server was sent (PUT), from its log."""
    return re.findall(r"(\S+): PUT", "\n".join(server.log_lines()))


# No vendor is rclone's `vendor=other`.
@pytest.mark.parametrize("vendor", ["", ",vendor=rclone"])
def test_webdav_sends_only_what_changed_whatever_the_vendor(
    project: Path, tmp_path: Path, env: dict[str, str], vendor: str
) -> None:
    fresh = ("--dir-cache-time", "0s")  # the server sees a file written beside it at once
    with rclone_server("webdav", tmp_path / "dav", tmp_path / "dav-home", extra=fresh) as server:
        target = f":webdav,url='{server.url}'{vendor},user={SFTP_USER}:site"
        first = run(["publish", "-p", str(project), target], env)
        assert first.returncode == 0, first.stderr
        sent = len(puts(server))
        assert sent == len(files_under(project / "output")) == 11
        again = run(["publish", "-p", str(project), target], env)
        assert again.returncode == 0, again.stderr
        assert "uploaded 0" in again.stdout and "unchanged 11" in again.stdout, again.stdout
        assert len(puts(server)) == sent
        # A changed episode and the feed, even of the same size and dated in the same
        # second as what was sent, go up; nothing else does.
        episode = project / "output" / "episodes" / "3.mp3"
        stamp = episode.stat().st_mtime
        episode.write_bytes(episode.read_bytes().replace(b"ID3", b"ID4"))
        os.utime(episode, (stamp, stamp))
        third = run(["publish", "-p", str(project), target], env)
        assert third.returncode == 0, third.stderr
        assert "uploaded 1" in third.stdout and "unchanged 10" in third.stdout, third.stdout
        assert files_under(server.root / "site") == files_under(project / "output")
        # Someone else's upload over ours is not taken for ours.
        (server.root / "site" / "episodes" / "5.mp3").write_bytes(b"ID3 theirs".ljust(300))
        fourth = run(["publish", "-p", str(project), target], env)
        assert fourth.returncode == 0, fourth.stderr
        assert "uploaded 1" in fourth.stdout, fourth.stdout
        assert files_under(server.root / "site") == files_under(project / "output")


def test_quiet_publishing_prints_nothing(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    web_root = tmp_path / "www"
    page = project / "output" / "index.html"
    for n, args in enumerate((["-q", "publish"], ["publish", "-q"], ["publish", "--quiet"])):
        page.write_text(f"<html>v{n}</html>", encoding="utf-8")
        result = run([*args, "-p", str(project), str(web_root)], env)
        assert result.returncode == 0, result.stderr
        assert (result.stdout, result.stderr) == ("", ""), args
        assert files_under(web_root) == files_under(project / "output")
    # A dry run still answers its question, without the summary.
    page.write_text("<html>v9</html>", encoding="utf-8")
    dry = run(["-q", "publish", "-n", "-p", str(project), str(web_root)], env)
    assert (dry.stdout, dry.stderr) == ("upload index.html\n", "")
    # and errors are still said
    failed = run(["-q", "publish", "-p", str(project), "nowhere-remote:x"], env)
    assert failed.returncode == 1 and "rclone does not know this remote" in failed.stderr
