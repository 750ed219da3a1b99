"""nashra serve: ranges, validators, HEAD, MIME types, refusing traversal, the served feed."""

from __future__ import annotations

import http.client
import io
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import podcastparser
import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.config.settings import Settings, load_settings
from nashra.core.errors import UsageError
from nashra.render import site
from nashra.server import NashraServer, _parse_range, make_server
from nashra.stages.publish import feed_xml
from nashra.storage import paths
from nashra.storage.state import BuildState
from tests.support import make_project
from tests.test_site import record

AUDIO = bytes(range(256)) * 400  # 102400 bytes, each offset recognisable


def publish(project: Path) -> Settings:
    """A project as a build leaves it (feed, pages, one episode), without voicing anything."""
    settings = load_settings(make_project(project, [], engine="espeak"))
    out = settings.output_dir
    episode = record(length=len(AUDIO), image=None)
    state = BuildState(podcast_guid="ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    state.episodes[episode.slug] = episode
    state.save(paths.state_file(settings.work_dir))
    (out / "episodes").mkdir(parents=True)
    (out / episode.file).write_bytes(AUDIO)
    (out / "episodes" / "first-v2.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (out / "episodes" / "first-v2.chapters.json").write_text("{}", encoding="utf-8")
    (out / "episodes" / ".first-v2.mp3.abc.part").write_bytes(b"half")
    (out / "cover.png").write_bytes(b"\x89PNG")
    assert state.podcast_guid is not None
    (out / "feed.xml").write_bytes(feed_xml(settings, [episode], state.podcast_guid))
    site.write_site(settings, [episode], cover="cover.png", files={})
    (project / "secret.txt").write_text("not for the network", encoding="utf-8")
    return settings


@pytest.fixture
def published(tmp_path: Path) -> Settings:
    return publish(tmp_path / "podcast")


def running(server: NashraServer) -> Iterator[NashraServer]:
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server(published: Settings) -> Iterator[NashraServer]:
    yield from running(make_server(published, port=0))


def request(
    server: NashraServer, path: str, method: str = "GET", **headers: str
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Send `path` exactly as given (http.client does not normalize `..`).

    The answer's headers are looked up without regard to case, as HTTP's are."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_a_range_request_gets_206_and_exactly_those_bytes(server: NashraServer) -> None:
    status, headers, body = request(server, "/episodes/first-v2.mp3", Range="bytes=1000-1999")
    assert status == 206
    assert body == AUDIO[1000:2000]
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(AUDIO)}"
    assert headers["Content-Length"] == "1000"
    assert headers["Content-Type"] == "audio/mpeg"
    assert headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-", slice(0, None)),
        ("bytes=100000-", slice(100000, None)),
        ("bytes=-500", slice(-500, None)),
        ("bytes=102300-999999", slice(102300, None)),
        ("bytes=0-0", slice(0, 1)),
    ],
)
def test_open_ended_suffix_and_clipped_ranges(
    server: NashraServer, header: str, expected: slice
) -> None:
    status, headers, body = request(server, "/episodes/first-v2.mp3", Range=header)
    assert status == 206
    assert body == AUDIO[expected]
    offsets = range(len(AUDIO))[expected]
    assert headers["Content-Range"] == f"bytes {offsets[0]}-{offsets[-1]}/{len(AUDIO)}"


def test_a_range_past_the_end_is_416(server: NashraServer) -> None:
    status, headers, body = request(server, "/episodes/first-v2.mp3", Range="bytes=999999-")
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{len(AUDIO)}"
    assert body == b""


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "lines=1-2", "bytes=9-3", "bytes=x-"])
def test_ranges_it_does_not_serve_get_the_whole_file(server: NashraServer, header: str) -> None:
    status, _, body = request(server, "/episodes/first-v2.mp3", Range=header)
    assert status == 200
    assert body == AUDIO


def test_head_sends_the_headers_of_get_without_a_body(server: NashraServer) -> None:
    got = request(server, "/episodes/first-v2.mp3")
    status, headers, body = request(server, "/episodes/first-v2.mp3", "HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(len(AUDIO)) == got[1]["Content-Length"]
    assert headers["ETag"] == got[1]["ETag"]
    status, headers, body = request(server, "/episodes/first-v2.mp3", "HEAD", Range="bytes=0-9")
    assert (status, headers["Content-Length"], body) == (206, "10", b"")


def test_etag_and_last_modified_answer_conditional_requests(server: NashraServer) -> None:
    _, headers, _ = request(server, "/episodes/first-v2.mp3")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f-]+"', etag)
    assert request(server, "/episodes/first-v2.mp3", **{"If-None-Match": etag})[0] == 304
    assert request(server, "/episodes/first-v2.mp3", **{"If-Modified-Since": modified})[0] == 304
    assert request(server, "/episodes/first-v2.mp3", **{"If-None-Match": '"other"'})[0] == 200
    # If-Range: the range only for the copy the client has.
    fresh = request(server, "/episodes/first-v2.mp3", Range="bytes=0-9", **{"If-Range": etag})
    stale = request(server, "/episodes/first-v2.mp3", Range="bytes=0-9", **{"If-Range": '"old"'})
    assert (fresh[0], stale[0]) == (206, 200)


@pytest.mark.parametrize(
    ("path", "mime"),
    [
        ("/episodes/first-v2.mp3", "audio/mpeg"),
        ("/feed.xml", "application/rss+xml"),
        ("/episodes/first-v2.vtt", "text/vtt; charset=utf-8"),
        ("/episodes/first-v2.chapters.json", "application/json+chapters"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/episodes/first.html", "text/html; charset=utf-8"),
        ("/assets/NotoKufiArabic.ttf", "font/ttf"),
        ("/cover.png", "image/png"),
    ],
)
def test_mime_types(server: NashraServer, path: str, mime: str) -> None:
    status, headers, _ = request(server, path)
    assert (status, headers["Content-Type"]) == (200, mime)


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/episodes/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/episodes/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5csecret.txt",
        "/.nashra/state.json",
        "/%2e%2e/.nashra/state.json",
        "/episodes/.first-v2.mp3.abc.part",
        "/%00/secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
    ],
)
def test_traversal_and_hidden_files_are_refused(server: NashraServer, path: str) -> None:
    status, _, body = request(server, path)
    assert status in (400, 403, 404)
    assert b"not for the network" not in body and b"half" not in body


def test_a_symlink_out_of_output_is_refused(published: Settings, server: NashraServer) -> None:
    (published.output_dir / "link.txt").symlink_to(published.project / "secret.txt")
    assert request(server, "/link.txt")[0] == 403


def test_folders_are_never_listed(server: NashraServer) -> None:
    status, _, body = request(server, "/")
    assert status == 200 and b'dir="rtl"' in body
    assert request(server, "/episodes/")[0] == 404
    status, headers, _ = request(server, "/episodes")
    assert (status, headers["Location"]) == (301, "/episodes/")
    assert request(server, "/missing.mp3")[0] == 404


def test_the_served_feed_points_at_the_server_and_output_keeps_base_url(
    published: Settings, server: NashraServer
) -> None:
    on_disk = (published.output_dir / "feed.xml").read_bytes()
    status, _, body = request(server, "/feed.xml")
    assert status == 200
    url = server.url
    feed = podcastparser.parse(f"{url}/feed.xml", io.BytesIO(body))
    (episode,) = feed["episodes"]
    assert episode["enclosures"][0]["url"] == f"{url}/episodes/first-v2.mp3"
    assert episode["enclosures"][0]["file_size"] == len(AUDIO)
    assert episode["link"] == f"{url}/episodes/first.html"  # the episode's page, served
    assert (published.output_dir / "feed.xml").read_bytes() == on_disk
    assert b"https://nashra.example.org/podcast/episodes/first-v2.mp3" in on_disk
    # The index page offers the served feed too.
    assert f'value="{url}/feed.xml"'.encode() in request(server, "/")[2]


def test_base_url_names_the_address_phones_use(published: Settings) -> None:
    for server in running(make_server(published, port=0, base_url="http://192.168.1.20:8000/")):
        _, _, body = request(server, "/feed.xml")
        assert b'url="http://192.168.1.20:8000/episodes/first-v2.mp3"' in body
        assert request(server, "/feed.xml", Host="192.168.1.20:8000")[2] == body


def test_the_served_feed_follows_the_host_the_client_used(server: NashraServer) -> None:
    _, _, body = request(server, "/feed.xml", Host="localhost:8123")
    assert b'url="http://localhost:8123/episodes/first-v2.mp3"' in body


def test_serving_an_unbuilt_project_says_to_build(tmp_path: Path) -> None:
    settings = load_settings(make_project(tmp_path / "empty", []))
    with pytest.raises(UsageError, match="nashra build"):
        make_server(settings, port=0)
    with pytest.raises(UsageError, match="--base-url"):
        publish(tmp_path / "p")
        make_server(load_settings(tmp_path / "p"), port=0, base_url="ftp://x")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=5-", (5, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-1000", (0, 99)),
        ("bytes=50-5000", (50, 99)),
        ("bytes=100-", "unsatisfiable"),
        ("bytes=-0", "unsatisfiable"),
        ("bytes=9-1", None),
        ("bytes=-", None),
        ("bytes=1-2,4-5", None),
        ("items=1-2", None),
    ],
)
def test_parse_range(header: str, expected: object) -> None:
    assert _parse_range(header, 100) == expected


@contextmanager
def serving(project: Path, *options: str) -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    """`nashra serve` on a port the system picks: the process, once it has said where it
    listens and where its feed is, that first line and the port; killed at the end."""
    process = subprocess.Popen(
        [sys.executable, "-m", "nashra", "serve", "-p", str(project), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        match = re.search(r"at http://[^/]+:(\d+)/", first)
        assert match, first
        assert process.stdout.readline().startswith("feed: http://")
        yield process, first, int(match.group(1))
    finally:
        process.kill()
        process.wait(timeout=10)


def _head(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("HEAD", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_serve_command_binds_localhost_and_serves(published: Settings) -> None:
    with serving(published.project) as (process, first, port):
        assert "at http://127.0.0.1:" in first
        assert _head(port, "/episodes/first-v2.mp3") == 200
        # Ctrl+C stops it, even arriving while a connection is being closed.
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert process.stdout is not None
        assert process.stdout.read().strip() == "stopped"


def test_serve_on_every_interface_warns(published: Settings) -> None:
    with serving(published.project, "--host", "0.0.0.0") as (process, _, port):
        # Every interface includes the loopback one.
        assert _head(port, "/feed.xml") == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert process.stderr is not None
        assert "warning: listening on every network interface" in process.stderr.read()


def test_serve_help_names_its_options() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--base-url", "--project"):
        assert option in result.output
