"""`nashra serve`: the built `output/` folder over HTTP, for a browser or a podcast app nearby.

A `http.server.ThreadingHTTPServer` with what podcast apps and browsers rely on:
the MIME types directories expect, byte ranges (206 Partial Content: players seek
and resume with them), `ETag` and `Last-Modified` with conditional requests, and
HEAD. It serves only files under `output/`: paths are decoded once, any `..`
segment is refused, the resolved file must still lie under `output/` (so a
symlink cannot lead out), hidden files (a build's temporary `.part` files among
them) are not served, and there is no directory listing: a folder is its
`index.html` or 404.

The feed and the index page are rendered again from the build state for the
address the server is reached at (`--base-url`, else the request's own host), so
the enclosures a phone on the same network fetches point at this server; the
files in `output/` keep the configured `base_url`.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import posixpath
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from nashra.errors import UsageError
from nashra.settings import Settings

log = logging.getLogger(__name__)

CHUNK = 64 * 1024

# By full-name suffix first (".chapters.json"), then by extension.
MIME_TYPES = {
    ".chapters.json": "application/json+chapters",
    ".mp3": "audio/mpeg",
    ".xml": "application/rss+xml",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
}

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_HOST = re.compile(r"[A-Za-z0-9.-]+(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?")


def mime_type(name: str) -> str:
    lower = name.lower()
    for suffix, mime in MIME_TYPES.items():
        if lower.endswith(suffix):
            return mime
    return "application/octet-stream"


@dataclass(frozen=True)
class Rendered:
    """A page or feed made on request rather than read from `output/`."""

    body: bytes
    last_modified: float | None


Renderer = Callable[[str], Rendered]
"""Given the base URL the client reached us at, the bytes to send."""


class NashraServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        *,
        base_url: str | None = None,
        rendered: dict[str, Renderer] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.base_url = base_url.rstrip("/") if base_url else None
        self.rendered = rendered or {}
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = str(host)
        return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"


def make_server(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    base_url: str | None = None,
) -> NashraServer:
    """A server for `settings.output_dir`, bound but not yet serving (`serve_forever`)."""
    output = settings.output_dir
    if not (output / "feed.xml").is_file():
        raise UsageError(f"{output} has no feed.xml yet: run `nashra build` first")
    if base_url is not None and not re.match(r"https?://[^/]", base_url):
        raise UsageError(f"--base-url must be an http:// or https:// URL, got {base_url!r}")
    try:
        return NashraServer((host, port), output, base_url=base_url, rendered=_renderers(settings))
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _renderers(settings: Settings) -> dict[str, Renderer]:
    """feed.xml and index.html for another base URL, rendered from the build state."""
    from nashra import paths, site
    from nashra.bulletins.publish import served_bulletin_feed, served_link, unlisted_articles
    from nashra.model import EpisodeRecord
    from nashra.stages.publish import feed_xml
    from nashra.state import BuildState, Details

    state_file = paths.state_file(settings.work_dir)
    cover = paths.cover_file(settings.image)
    lock = threading.Lock()

    def load() -> tuple[BuildState, float | None]:
        with lock:
            mtime = BuildState.modified(state_file)
            return BuildState.load(state_file), mtime

    def listed(state: BuildState) -> list[EpisodeRecord]:
        hidden = unlisted_articles(settings)
        return [r for r in state.episodes.values() if r.slug not in hidden]

    def feed(base: str) -> Rendered:
        state, mtime = load()
        if state.podcast_guid is None:
            raise UsageError("the build state has no podcast guid: run `nashra build`")
        local = replace(settings, base_url=base)
        with Details(state_file) as details:
            data = feed_xml(local, listed(state), state.podcast_guid, described=details.described)
        return Rendered(data, mtime)

    def index(base: str) -> Rendered:
        state, mtime = load()
        local = replace(settings, base_url=base)
        with Details(state_file) as details:
            page = site.render_index(
                local,
                listed(state),
                cover=cover,
                see_also=served_link(settings),
                described=details.described,
            )
        return Rendered(page, mtime)

    def bulletins(base: str) -> Rendered:
        _, mtime = load()
        data = served_bulletin_feed(replace(settings, base_url=base))
        if data is None:
            raise _Refused(HTTPStatus.NOT_FOUND)  # no bulletin has been made yet
        return Rendered(data, mtime)

    return {"feed.xml": feed, "index.html": index, "bulletin.xml": bulletins}


def lan_address() -> str | None:
    """This machine's address on the local network, if it has one.

    Connecting a UDP socket sends nothing; it only asks the kernel which
    interface would carry traffic to that (documentation-range) address.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


class _Refused(Exception):
    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    server: NashraServer
    server_version = "nashra"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)

    # ------------------------------------------------------------ resolving

    def _respond(self, *, send_body: bool) -> None:
        try:
            relative, path = self._resolve()
        except _Refused as refused:
            self._error(refused.status, send_body=send_body)
            return
        if path is None:
            # A folder without its trailing slash: relative links need it.
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", urlsplit(self.path).path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        renderer = self.server.rendered.get(relative)
        if renderer is not None:
            self._send_rendered(relative, renderer, send_body=send_body)
            return
        try:
            handle = path.open("rb")
        except OSError:
            self._error(HTTPStatus.NOT_FOUND, send_body=send_body)
            return
        with handle:
            self._send_file(handle, relative, send_body=send_body)

    def _resolve(self) -> tuple[str, Path | None]:
        """The request's path as (path relative to `output/`, file), or `_Refused`.

        The file is None when the path names a folder without its trailing slash.
        """
        raw = urlsplit(self.path).path
        decoded = unquote(raw, errors="strict")
        if "\x00" in decoded or "\\" in decoded or not decoded.startswith("/"):
            raise _Refused(HTTPStatus.BAD_REQUEST)
        parts = decoded.split("/")[1:]
        if any(part == ".." for part in parts):
            raise _Refused(HTTPStatus.FORBIDDEN)
        if any(part.startswith(".") for part in parts if part):
            raise _Refused(HTTPStatus.NOT_FOUND)
        relative = posixpath.normpath("/".join(parts)) if any(parts) else "."
        root = self.server.root
        target = (root / relative).resolve()
        if target != root and root not in target.parents:
            raise _Refused(HTTPStatus.FORBIDDEN)
        if target.is_dir():
            if not decoded.endswith("/"):
                return relative, None
            target = target / "index.html"
            relative = "index.html" if relative == "." else f"{relative}/index.html"
        if not target.is_file():
            raise _Refused(HTTPStatus.NOT_FOUND)
        return relative, target

    def _base_url(self) -> str:
        if self.server.base_url:
            return self.server.base_url
        host = self.headers.get("Host", "")
        if _HOST.fullmatch(host):
            return f"http://{host}"
        return self.server.url

    # ------------------------------------------------------------ responding

    def _validators(self, etag: str, mtime: float | None) -> bool:
        """Send 304 and return True when the client's copy is current."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            fresh = match.strip() == "*" or etag in [m.strip() for m in match.split(",")]
        else:
            since = self.headers.get("If-Modified-Since")
            fresh = False
            if since and mtime is not None:
                try:
                    stamp = email.utils.parsedate_to_datetime(since).timestamp()
                except (TypeError, ValueError):
                    stamp = None
                fresh = stamp is not None and int(mtime) <= stamp
        if fresh:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
        return fresh

    def _common_headers(self, relative: str, etag: str, mtime: float | None) -> None:
        self.send_header("Content-Type", mime_type(relative))
        self.send_header("ETag", etag)
        if mtime is not None:
            self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        # Revalidate each time: a new build may change any file.
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")

    def _send_rendered(self, relative: str, renderer: Renderer, *, send_body: bool) -> None:
        base = self._base_url()
        try:
            page = renderer(base)
        except _Refused as refused:
            self._error(refused.status, send_body=send_body)
            return
        except Exception:
            log.exception("could not render %s", relative)
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, send_body=send_body)
            return
        etag = '"' + hashlib.sha256(page.body).hexdigest()[:32] + '"'
        if self._validators(etag, page.last_modified):
            return
        self.send_response(HTTPStatus.OK)
        self._common_headers(relative, etag, page.last_modified)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if send_body:
            self._write(page.body)

    def _send_file(self, handle: BinaryIO, relative: str, *, send_body: bool) -> None:
        info = os.fstat(handle.fileno())
        size, mtime = info.st_size, info.st_mtime
        etag = f'"{info.st_ino:x}-{size:x}-{info.st_mtime_ns:x}"'
        if self._validators(etag, mtime):
            return
        start, end = 0, size - 1
        status = HTTPStatus.OK
        wanted = self.headers.get("Range")
        if wanted is not None and self._range_applies(etag, mtime):
            parsed = _parse_range(wanted, size)
            if parsed is _UNSATISFIABLE:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if isinstance(parsed, tuple):
                start, end = parsed
                status = HTTPStatus.PARTIAL_CONTENT
        length = max(0, end - start + 1)
        self.send_response(status)
        self._common_headers(relative, etag, mtime)
        self.send_header("Accept-Ranges", "bytes")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if not send_body or length == 0:
            return
        handle.seek(start)
        remaining = length
        try:
            while remaining:
                chunk = handle.read(min(CHUNK, remaining))
                if not chunk:
                    break
                self.wfile.write(chunk)
                remaining -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # Players drop connections as soon as they have seeked elsewhere.
            self.close_connection = True

    def _range_applies(self, etag: str, mtime: float) -> bool:
        """`If-Range`: honour the range only if the client's copy is this one."""
        condition = self.headers.get("If-Range")
        if condition is None:
            return True
        condition = condition.strip()
        if condition.startswith(('"', "W/")):
            return condition == etag
        try:
            return int(mtime) <= email.utils.parsedate_to_datetime(condition).timestamp()
        except (TypeError, ValueError):
            return False

    def _write(self, body: bytes) -> None:
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _error(self, status: HTTPStatus, *, send_body: bool) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self._write(body)


_UNSATISFIABLE = "unsatisfiable"


def _parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """The byte range a `Range` header asks for, clipped to the file.

    None when the header is to be ignored (malformed, another unit, or several
    ranges: players ask for one, and a full 200 answer is always allowed);
    `_UNSATISFIABLE` when the range starts past the end of the file.
    """
    match = _RANGE.fullmatch(header.strip())
    if match is None:
        return None
    head, tail = match.groups()
    if head == "" and tail == "":
        return None
    if head == "":
        if int(tail) == 0 or size == 0:
            return _UNSATISFIABLE
        return max(0, size - int(tail)), size - 1
    start = int(head)
    end = int(tail) if tail else size - 1
    if end < start and tail:
        return None
    if start >= size:
        return _UNSATISFIABLE
    return start, min(end, size - 1)
