"""Credentials never shown by `nashra publish`, whatever rclone echoes back: at every
verbosity, in a dry run and in a traceback, against real rclone servers on 127.0.0.1.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.rclone_servers import SFTP_PASS, SFTP_USER, obscure, rclone_server
from tests.support import make_project
from tests.test_publish_servers import run, write_output

# ------------------------------------------------------------------ every message


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "podcast", [], engine="espeak")
    write_output(root, {"a.mp3": b"ID3 a" * 100})
    return root


VERBOSITIES = [["-q"], [], ["-v"], ["-vv"], ["-vvv"], ["--dry-run"], ["NASHRA_DEBUG"]]


def publish_everyhow(
    project: Path, target: str, env: dict[str, str], verbosities: list[list[str]] = VERBOSITIES
) -> Iterator[tuple[list[str], subprocess.CompletedProcess[str]]]:
    """`nashra publish` of `target` at each verbosity, in a dry run, and with tracebacks."""
    for flags in verbosities:
        if flags == ["NASHRA_DEBUG"]:
            yield flags, run(["publish", "-p", str(project), target], {**env, "NASHRA_DEBUG": "1"})
        else:
            yield flags, run(["publish", "-p", str(project), target, *flags], env)


def test_a_password_after_an_unquoted_url_is_refused_and_never_shown(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    with rclone_server("webdav", tmp_path / "dav", tmp_path / "dav-home") as server:
        secret = obscure(SFTP_PASS, env)
        target = f":webdav,url={server.url},user={SFTP_USER},pass={secret}:site"
        for flags, result in publish_everyhow(project, target, env):
            assert result.returncode in (1, 2), flags
            out = result.stdout + result.stderr
            assert secret not in out, (flags, out)
            if flags != ["NASHRA_DEBUG"]:
                assert result.returncode == 2
                assert "quote it: url='http://…'" in out, out
        assert not (server.root / "site").exists()
        quoted = target.replace(f"url={server.url}", f"url='{server.url}'")
        good = run(["-vv", "publish", "-p", str(project), quoted], env)
        assert good.returncode == 0, good.stderr
        assert secret not in good.stdout + good.stderr


@pytest.mark.parametrize(
    ("written", "secrets"),
    [
        (
            # too short to look for anywhere, still hidden where it stands; a header
            # that authenticates; a token
            "pass=ab,headers='Authorization,Bearer hdr-secret-77',bearer_token=bearer-secret-99",
            ["pass=ab", "hdr-secret-77", "bearer-secret-99"],
        ),
        # rclone refuses a password it cannot reveal, echoing it, URL-encoded too
        ("pass='pl/ain+pw&x'", ["pl/ain+pw&x", "pl%2Fain"]),
    ],
)
def test_credentials_rclone_echoes_are_never_shown(
    project: Path, tmp_path: Path, env: dict[str, str], written: str, secrets: list[str]
) -> None:
    with rclone_server("webdav", tmp_path / "dav", tmp_path / "dav-home") as server:
        target = f":webdav,url='{server.url}',user={SFTP_USER},{written}:site"
        clean = {k: v for k, v in env.items() if not k.startswith("RCLONE_WEBDAV")}
        for flags, result in publish_everyhow(project, target, clean):
            assert result.returncode == 1, (flags, result.stderr)
            for secret in secrets:
                assert secret not in result.stdout + result.stderr, (flags, result.stderr)
            assert "Traceback" not in result.stderr or flags == ["NASHRA_DEBUG"]
        assert not (server.root / "site").exists()


def test_a_target_without_a_colon_is_refused_without_showing_its_credential(
    project: Path, env: dict[str, str]
) -> None:
    target = "s3,secret_access_key=abcdef-secret"
    for flags, result in publish_everyhow(project, target, env, [[], ["-vv"], ["NASHRA_DEBUG"]]):
        assert result.returncode in (1, 2), flags
        assert "abcdef-secret" not in result.stdout + result.stderr, flags
        assert "'s3,secret_access_key=***' is not an rclone remote" in result.stderr, flags


def test_a_verify_url_with_a_password_is_used_and_never_shown(
    project: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    web_root = tmp_path / "www"
    auth = ("--dir-cache-time", "0s", "--user", "viewer", "--pass", "view-secret-55")
    with rclone_server("http", web_root, tmp_path / "http-home", extra=auth) as web:
        url = web.url.replace("http://", "http://viewer:view-secret-55@")
        good = run(["publish", "-p", str(project), str(web_root), "--verify-url", url], env)
        assert good.returncode == 0, good.stderr
        assert f"verified http://viewer:***@127.0.0.1:{web.port}/feed.xml" in good.stdout
        wrong = url.replace("view-secret-55", "wrong-secret-66")
        bad = run(
            ["-vvv", "publish", "-p", str(project), str(web_root), "--verify-url", wrong], env
        )
        assert bad.returncode == 1
        assert (
            "could not be fetched: 401 Unauthorized" in bad.stderr and "Traceback" not in bad.stderr
        )
    for result in (good, bad):
        for secret in ("view-secret-55", "wrong-secret-66"):
            assert secret not in result.stdout + result.stderr
