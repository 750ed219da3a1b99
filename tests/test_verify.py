"""nashra publish --verify's check, against HTTP servers on 127.0.0.1 that answer as
some hosts do: no HEAD (405) but byte ranges, a wrong length, a feed that is not XML."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from nashra.publishing.verify import verify_feed

BASE = "https://podcast.example.org/show"
EPISODE = bytes(range(256)) * 40  # 10240 bytes


def feed(length: int) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version=\"2.0\"><channel><title>t</title>"
        f'<item><title>one</title><enclosure url="{BASE}/episodes/one.mp3" length="{length}" '
        'type="audio/mpeg"/></item></channel></rss>'
    ).encode()


class Host(BaseHTTPRequestHandler):
    """A host without HEAD: a podcast app falls back to a one-byte range."""

    files: ClassVar[dict[str, bytes]] = {}

    def do_HEAD(self) -> None:
        self.send_error(405)

    def do_GET(self) -> None:
        path = self.path.removeprefix("/show")
        body = self.files.get(path)
        if body is None:
            self.send_error(404)
            return
        match = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        if match:
            start, end = int(match.group(1)), int(match.group(2))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(body)}")
            body = body[start : end + 1]
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def host() -> Iterator[tuple[str, dict[str, bytes]]]:
    files: dict[str, bytes] = {}
    handler = type("H", (Host,), {"files": files})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/show", files
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_a_host_without_head_is_checked_with_a_one_byte_range(
    host: tuple[str, dict[str, bytes]],
) -> None:
    url, files = host
    files["/feed.xml"] = feed(len(EPISODE))
    files["/episodes/one.mp3"] = EPISODE
    result = verify_feed(f"{BASE}/feed.xml", rewrite=(BASE, url))
    assert result.ok, result.problems
    assert result.checked == 1
    assert result.feed_url == f"{url}/feed.xml"


def test_a_wrong_length_and_a_missing_file_are_problems(
    host: tuple[str, dict[str, bytes]],
) -> None:
    url, files = host
    files["/feed.xml"] = feed(len(EPISODE) + 1)
    files["/episodes/one.mp3"] = EPISODE
    result = verify_feed(f"{BASE}/feed.xml", rewrite=(BASE, url))
    assert result.problems == [
        f"one: {url}/episodes/one.mp3 is 10240 bytes, but the feed states 10241"
    ]
    del files["/episodes/one.mp3"]
    result = verify_feed(f"{BASE}/feed.xml", rewrite=(BASE, url))
    assert result.problems == [f"one: {url}/episodes/one.mp3 answered 404 Not Found"]


def test_a_feed_that_is_cut_short_or_absent_is_a_problem(
    host: tuple[str, dict[str, bytes]],
) -> None:
    url, files = host
    files["/feed.xml"] = feed(10)[:-20]
    result = verify_feed(f"{url}/feed.xml")
    assert len(result.problems) == 1 and "is not well-formed XML" in result.problems[0]
    result = verify_feed(f"{url}/missing.xml")
    assert result.problems == [f"feed: {url}/missing.xml could not be fetched: 404 Not Found"]
