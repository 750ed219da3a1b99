"""The publishing plan (a pure function), target settings, and redaction of credentials."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.core.errors import PublishError, SettingsError
from nashra.publishing.publish import (
    CachePolicy,
    LocalFile,
    cache_control,
    content_type,
    deletion_wait,
    plan_publish,
    scan_output,
)
from nashra.publishing.rclone import RemoteFile, executable
from nashra.publishing.remotes import explain, redact, redacted_target, secrets_in
from tests.support import make_project

POLICY = CachePolicy(max_age=300, episode_max_age=31_536_000)


def local(path: str, data: bytes, mtime: float = 1_700_000_000.0) -> LocalFile:
    return LocalFile(
        path, len(data), hashlib.md5(data).hexdigest(), hashlib.sha1(data).hexdigest(), mtime
    )


def remote(
    f: LocalFile, *, hashes: str = "md5", content_type_: str | None = None, cache: str | None = None
) -> RemoteFile:
    chosen = {"md5": {"md5": f.md5}, "sha1": {"sha1": f.sha1}, "none": {}}[hashes]
    return RemoteFile(f.path, f.size, chosen, "2023-11-14T22:13:20Z", content_type_, cache)


OUTPUT = {
    p.path: p
    for p in (
        local("feed.xml", b"<rss>new</rss>"),
        local("index.html", b"<html>new</html>"),
        local("cover.png", b"PNG"),
        local("assets/font.ttf", b"font"),
        local("episodes/a.mp3", b"episode a"),
        local("episodes/a.vtt", b"WEBVTT a"),
        local("episodes/a.chapters.json", b"{}"),
        local("episodes/a.html", b"<html>a</html>"),
        local("episodes/b-v2.mp3", b"episode b, edited"),
        local("episodes/b.html", b"<html>b edited</html>"),
    )
}


def test_first_publish_sends_media_then_pages_then_the_feed() -> None:
    plan = plan_publish(OUTPUT, {}, keeps_headers=False, policy=POLICY)
    stages = [step.stage for step in plan.steps]
    assert stages == ["media", "pages", "feed"]
    assert set(plan.paths("media")) == {
        "cover.png",
        "assets/font.ttf",
        "episodes/a.mp3",
        "episodes/a.vtt",
        "episodes/a.chapters.json",
        "episodes/b-v2.mp3",
    }
    assert set(plan.paths("pages")) == {"index.html", "episodes/a.html", "episodes/b.html"}
    assert plan.paths("feed") == ["feed.xml"]
    assert plan.unchanged == ()


def test_only_changed_files_are_sent_and_gone_ones_deleted_after_the_feed() -> None:
    old_feed = local("feed.xml", b"<rss>old</rss>")
    on_remote = {
        p: remote(f)
        for p, f in OUTPUT.items()
        if p not in ("feed.xml", "episodes/b-v2.mp3", "episodes/b.html")
    }
    on_remote["feed.xml"] = remote(old_feed)
    on_remote["episodes/b.html"] = remote(local("episodes/b.html", b"<html>b old!</html>"))
    for gone in ("episodes/b.mp3", "episodes/b.vtt", "episodes/c.html"):
        on_remote[gone] = remote(local(gone, b"old"))
    plan = plan_publish(OUTPUT, on_remote, keeps_headers=False, policy=POLICY)
    assert [s.stage for s in plan.steps] == ["media", "pages", "feed", "delete"]
    assert plan.paths("media") == ["episodes/b-v2.mp3"]
    assert plan.paths("pages") == ["episodes/b.html"]
    assert plan.paths("feed") == ["feed.xml"]
    assert plan.paths("delete") == ["episodes/b.mp3", "episodes/b.vtt", "episodes/c.html"]
    assert len(plan.unchanged) == len(OUTPUT) - 3


def test_a_file_of_the_same_size_with_other_bytes_is_sent() -> None:
    mine = {"feed.xml": local("feed.xml", b"<rss>AAA</rss>")}
    theirs = {"feed.xml": remote(local("feed.xml", b"<rss>BBB</rss>"))}
    assert plan_publish(mine, theirs, keeps_headers=False, policy=POLICY).paths("feed") == [
        "feed.xml"
    ]
    sha_only = {"feed.xml": remote(local("feed.xml", b"<rss>BBB</rss>"), hashes="sha1")}
    assert plan_publish(mine, sha_only, keeps_headers=False, policy=POLICY).paths("feed")
    same_sha = {"feed.xml": remote(mine["feed.xml"], hashes="sha1")}
    assert not plan_publish(mine, same_sha, keeps_headers=False, policy=POLICY).steps


def test_without_hashes_the_modification_time_decides() -> None:
    mine = {"episodes/a.mp3": local("episodes/a.mp3", b"x" * 10, mtime=1_700_000_000.4)}
    same_time = {"episodes/a.mp3": remote(mine["episodes/a.mp3"], hashes="none")}
    assert not plan_publish(mine, same_time, keeps_headers=False, policy=POLICY).steps
    later = {"episodes/a.mp3": local("episodes/a.mp3", b"x" * 10, mtime=1_700_000_100.0)}
    assert plan_publish(later, same_time, keeps_headers=False, policy=POLICY).steps


def test_headers_group_the_uploads_and_a_wrong_header_is_sent_again() -> None:
    plan = plan_publish(OUTPUT, {}, keeps_headers=True, policy=POLICY)
    headers = {p: dict(s.headers) for s in plan.steps for p in s.paths}
    assert headers["feed.xml"] == {
        "Content-Type": "application/rss+xml; charset=utf-8",
        "Cache-Control": "public, max-age=300",
    }
    assert headers["episodes/a.mp3"]["Content-Type"] == "audio/mpeg"
    assert headers["episodes/a.mp3"]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["episodes/a.chapters.json"]["Content-Type"] == "application/json+chapters"
    assert headers["episodes/a.vtt"]["Content-Type"] == "text/vtt; charset=utf-8"
    assert headers["episodes/a.html"]["Cache-Control"] == "public, max-age=300"
    assert headers["cover.png"]["Cache-Control"] == "public, max-age=300"
    # Every file of a step shares the step's headers.
    for step in plan.steps:
        for path in step.paths:
            assert dict(step.headers)["Content-Type"] == content_type(path)
            assert dict(step.headers)["Cache-Control"] == cache_control(path, POLICY)
    mp3 = OUTPUT["episodes/a.mp3"]
    right = remote(mp3, content_type_="audio/mpeg", cache="public, max-age=31536000, immutable")
    wrong = remote(mp3, content_type_="application/octet-stream", cache=right.cache_control)
    only = {"episodes/a.mp3": mp3}
    assert not plan_publish(only, {mp3.path: right}, keeps_headers=True, policy=POLICY).steps
    assert plan_publish(only, {mp3.path: wrong}, keeps_headers=True, policy=POLICY).steps
    no_cache = remote(mp3, content_type_="audio/mpeg", cache=None)
    assert plan_publish(only, {mp3.path: no_cache}, keeps_headers=True, policy=POLICY).steps
    # A backend that reports no headers is no reason to send the same bytes again.
    bare = remote(mp3)
    assert not plan_publish(only, {mp3.path: bare}, keeps_headers=False, policy=POLICY).steps
    assert not plan_publish(only, {mp3.path: bare}, keeps_headers=True, policy=POLICY).steps


def test_files_nashra_did_not_make_are_never_deleted() -> None:
    on_remote = {
        p: remote(local(p, b"theirs"))
        for p in (
            ".htaccess",
            "robots.txt",
            "blog/post.html",
            "episodes/.partial",
            "feed.xml",
            "feed.xml.065c3420.partial",
            "notes.txt.065c3420.partial",
        )
    }
    plan = plan_publish({}, on_remote, keeps_headers=False, policy=POLICY)
    assert plan.paths("delete") == ["feed.xml", "feed.xml.065c3420.partial"]
    assert set(plan.left_alone) == {
        ".htaccess",
        "robots.txt",
        "blog/post.html",
        "episodes/.partial",
        "notes.txt.065c3420.partial",
    }


def test_scan_skips_hidden_temporary_files(tmp_path: Path) -> None:
    (tmp_path / "episodes").mkdir()
    (tmp_path / "feed.xml").write_bytes(b"<rss/>")
    (tmp_path / ".feed.xml.abc.part").write_bytes(b"<rs")
    (tmp_path / "episodes" / "a.mp3").write_bytes(b"ID3")
    files = scan_output(tmp_path)
    assert sorted(files) == ["episodes/a.mp3", "feed.xml"]
    assert files["feed.xml"].md5 == hashlib.md5(b"<rss/>").hexdigest()
    assert files["feed.xml"].size == 6


# ------------------------------------------------------------------ settings


def _project_with(tmp_path: Path, publish_table: str) -> Path:
    root = make_project(tmp_path / "p", [])
    with (root / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[publish]\n" + publish_table)
    return root


def test_publish_settings_are_read(tmp_path: Path) -> None:
    root = _project_with(
        tmp_path, 'target = "r2:podcast/show"\nmax_age = 60\nepisode_max_age = 86400\n'
    )
    settings = load_settings(root)
    assert settings.publish.target == "r2:podcast/show"
    assert (settings.publish.max_age, settings.publish.episode_max_age) == (60, 86400)


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (
            'target = ":s3,access_key_id=AKIA1,secret_access_key=abc123:bucket"\n',
            "holds credentials (access_key_id, secret_access_key)",
        ),
        ('target = ":sftp,host=h,user=u,pass=obscured:site"\n', "holds credentials (pass)"),
        ("target = \":webdav,url='https://u:pw@dav.example':x\"\n", "password in a URL"),
        ('target = "just-a-folder"\n', "must be an rclone remote and path"),
        ('target = "r2bucket/podcast"\n', "or a folder (`/path`, `./path`)"),
        ("max_age = -1\n", "`publish.max_age` must be between 0"),
        ('bucket = "x"\n', "unknown key `publish.bucket`"),
    ],
)
def test_bad_publish_settings_name_the_key(tmp_path: Path, table: str, problem: str) -> None:
    root = _project_with(tmp_path, table)
    with pytest.raises(SettingsError) as caught:
        load_settings(root)
    assert problem in str(caught.value)
    assert "abc123" not in str(caught.value)
    assert "obscured" not in str(caught.value)


def test_a_key_file_path_is_not_a_credential(tmp_path: Path) -> None:
    root = _project_with(tmp_path, 'target = ":sftp,host=h,key_file=~/.ssh/id_ed25519:site"\n')
    assert load_settings(root).publish.target.endswith(":site")


# ------------------------------------------------------------------ secrets and errors


def test_secrets_from_the_target_and_the_environment_are_redacted() -> None:
    target = ":s3,provider=AWS,access_key_id=AKIAXYZ,secret_access_key='s3cr/et+key':b/p"
    env = {
        "RCLONE_S3_SECRET_ACCESS_KEY": "env-secret-value",
        "RCLONE_SFTP_PASS": "obscuredpass",
        "RCLONE_S3_PROVIDER": "AWS",
        "AWS_SESSION_TOKEN": "tokentoken",
        "HOME": "/root",
    }
    secrets = secrets_in(target, env)
    assert set(secrets) >= {
        "AKIAXYZ",
        "s3cr/et+key",
        "s3cr%2Fet%2Bkey",  # as a URL carries it
        "env-secret-value",
        "obscuredpass",
        "tokentoken",
    }
    assert "AWS" not in secrets and "/root" not in secrets
    message = (
        "InvalidAccessKeyId: AKIAXYZ; signing with env-secret-value from /root "
        "via https://user:hunter22@dav.example/x"
    )
    shown = redact(message, secrets)
    for secret in ("AKIAXYZ", "env-secret-value", "hunter22"):
        assert secret not in shown
    assert "/root" in shown and "https://user:***@dav.example/x" in shown
    assert redacted_target(target) == (
        ":s3,provider=AWS,access_key_id=***,secret_access_key=***:b/p"
    )


@pytest.mark.parametrize(
    ("message", "meaning"),
    [
        ('didn\'t find section in config file ("nosuch")', "does not know this remote"),
        ("api error InvalidAccessKeyId: The Access Key Id you provided", "refused the credentials"),
        ("api error SignatureDoesNotMatch", "refused the credentials"),
        ("ssh: handshake failed: ssh: unable to authenticate", "refused the credentials"),
        ("api error NoSuchBucket: The specified bucket does not exist", "bucket does not exist"),
        ("write /srv/x.mp3: no space left on device", "out of space"),
        ("dial tcp 127.0.0.1:9: connect: connection refused", "could not be reached"),
        ("access_key_id not found", "no credentials for this remote"),
        ("couldn't connect to ssh-agent: SSH_AUTH_SOCK not-specified", "no credentials"),
        ("something no one has seen before", None),
        # Status codes count only standing alone: in CI a full disk under /tmp/pytest-403/ once
        # read as refused credentials ("403").
        (
            'Failed to copy: Update Close failed: sftp: "write /tmp/pytest-of-root/pytest-403/t/'
            'big.mp3.2bc9c916.partial: no space left on device" (SSH_FX_FAILURE)',
            "out of space",
        ),
        ("dial tcp 127.0.0.1:45301: connect: connection refused", "could not be reached"),
        ("ftp: 530 Login incorrect.", "refused the credentials"),
        ("api error: StatusCode: 403, RequestID: 1", "refused the credentials"),
        ("PUT /dav/a.mp3: 507 Insufficient Storage", "out of space"),
        ("open /srv/ep-4031.mp3.partial: EOF", "could not be reached"),
        ("open /tmp/pytest-403/a.mp3: EOF", "could not be reached"),
        ("file /srv/5301/530.mp3 was renamed", None),
    ],
)
def test_rclone_errors_are_explained(message: str, meaning: str | None) -> None:
    explained = explain([message])
    if meaning is None:
        assert explained is None
    else:
        assert explained is not None and meaning in explained


def test_the_rclone_binary_comes_from_the_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    monkeypatch.delenv("NASHRA_RCLONE", raising=False)
    binary = executable()
    assert binary.is_file()
    version = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("rclone v")
    monkeypatch.setenv("NASHRA_RCLONE", "/nonexistent/rclone")
    with pytest.raises(PublishError, match="NASHRA_RCLONE names /nonexistent/rclone"):
        executable()


def test_the_publishing_page_examples_are_valid_targets(tmp_path: Path) -> None:
    page = Path(__file__).resolve().parents[1] / "docs" / "publishing.md"
    section = page.read_text(encoding="utf-8")
    tables = section.split("```toml\n")[1:]
    assert tables, "the Publishing page shows a [publish] table"
    for block in tables:
        root = _project_with(tmp_path / str(len(block)), block.split("```")[0].split("\n", 1)[1])
        target = load_settings(root).publish.target
        assert target and secrets_in(target, {}) == []
    shell = "\n".join(b.split("```")[0] for b in section.split("```sh\n")[1:])
    assert "nashra publish" in shell and "--verify" in shell and "--dry-run" in shell
    assert ":s3,provider=" in shell and ":sftp,host=" in shell


@pytest.mark.parametrize(
    ("feed_changes", "feed_since", "wait"),
    [
        (True, None, 300.0),  # the feed goes up now: a cache may hold the old one 300 s
        (True, 1000.0, 300.0),
        (False, None, 300.0),  # unknown: counted from now
        (False, 1000.0, 200.0),  # replaced 100 s ago
        (False, 600.0, 0.0),  # replaced 500 s ago: old files may go
    ],
)
def test_old_files_wait_for_caches_to_let_go_of_the_previous_feed(
    feed_changes: bool, feed_since: float | None, wait: float
) -> None:
    got = deletion_wait(feed_changes=feed_changes, feed_since=feed_since, now=1100.0, max_age=300)
    assert got == wait
    assert deletion_wait(feed_changes=feed_changes, feed_since=feed_since, now=1100, max_age=0) == 0


def test_an_archive_page_no_longer_written_is_deleted_after_the_feed() -> None:
    on_remote = {p: remote(f) for p, f in OUTPUT.items()}
    on_remote["archive/3.html"] = remote(local("archive/3.html", b"<html>3</html>"))
    on_remote["notes/archive/3.html"] = remote(local("notes/archive/3.html", b"theirs"))
    plan = plan_publish(OUTPUT, on_remote, keeps_headers=False, policy=POLICY)
    assert plan.paths("delete") == ["archive/3.html"]
