"""The WSGI application behind `nashra serve`: one request in, one answer out.

What podcast apps and browsers rely on: the MIME types directories expect, byte
ranges (206 Partial Content: players seek and resume with them), `ETag` and
`Last-Modified` with conditional requests, and HEAD. Only files under `output/`
are served: the path is decoded once, as UTF-8 (anything else, overlong forms
included, is 400), any `..` segment is refused, the resolved file must still lie
under `output/` (so a symlink cannot lead out), hidden files (a build's
temporary `.part` files among them) are not served, and there is no directory
listing: a folder is its `index.html` or 404. A request whose `Host` this server
does not serve gets 421 (see `hosts`).
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote_to_bytes, urlsplit

from nashra.render.media_types import content_type
from nashra.server.hosts import Hosts, host_name
from nashra.storage import paths

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_SEGMENT = 255  # bytes: no file system has longer names
MAX_TARGET = 8192  # bytes of request target: more is 414, as most servers answer

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")

StartResponse = Callable[..., Any]
Environ = dict[str, Any]


@dataclass(frozen=True)
class Rendered:
    """A page or feed made on request rather than read from `output/`."""

    body: bytes
    last_modified: float | None


Renderer = Callable[[str], Rendered]
"""Given the base URL the client reached us at, the bytes to send."""


class Refused(Exception):
    """Answer with this status and a short plain-text body."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


@dataclass(frozen=True)
class Site:
    """`output/` as a WSGI application."""

    root: Path
    hosts: Hosts
    url: str
    """The address the server is bound to, for clients that send no `Host` (HTTP/1.0)."""
    base_url: str | None = None
    rendered: dict[str, Renderer] | None = None

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        exchange = _Exchange(self, environ, start_response)
        try:
            return exchange.respond()
        except Refused as refused:
            return exchange.error(refused.status)


class _Exchange:
    def __init__(self, site: Site, environ: Environ, start_response: StartResponse) -> None:
        self.site = site
        self.environ = environ
        self.start_response = start_response
        self.send_body = environ.get("REQUEST_METHOD") != "HEAD"

    def header(self, name: str) -> str | None:
        value = self.environ.get("HTTP_" + name.upper().replace("-", "_"))
        return None if value is None else str(value)

    # ------------------------------------------------------------ resolving

    def respond(self) -> Iterable[bytes]:
        method = self.environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD"):
            return self.error(HTTPStatus.METHOD_NOT_ALLOWED, [("Allow", "GET, HEAD")])
        base = self._base_url()
        relative, path = self._resolve()
        if path is None:
            # A folder without its trailing slash: relative links need it.
            location = self._target().partition("?")[0] + "/"
            headers = [("Location", location), ("Content-Length", "0")]
            return self.answer(HTTPStatus.MOVED_PERMANENTLY, headers, b"")
        renderer = (self.site.rendered or {}).get(relative)
        if renderer is not None:
            return self._send_rendered(relative, renderer, base)
        try:
            handle = path.open("rb")
        except OSError:
            raise Refused(HTTPStatus.NOT_FOUND) from None
        return self._send_file(handle, relative)

    def _target(self) -> str:
        """The request target as the client wrote it (latin-1 for its raw bytes)."""
        return str(self.environ.get("REQUEST_URI") or self.environ.get("PATH_INFO", "/"))

    def _base_url(self) -> str:
        """The address to point the rendered feed at, after checking the `Host`."""
        host = self.header("Host")
        target = urlsplit(self._target()) if "://" in self._target()[:10] else None
        if target is not None and not self.site.hosts.allows(target.netloc):
            raise Refused(HTTPStatus.MISDIRECTED_REQUEST)
        if host is None:
            if self.environ.get("SERVER_PROTOCOL") != "HTTP/1.0":
                raise Refused(HTTPStatus.BAD_REQUEST)  # HTTP/1.1 requires Host
            return self.site.base_url or self.site.url
        if host_name(host) is None:
            raise Refused(HTTPStatus.BAD_REQUEST)
        if not self.site.hosts.allows(host):
            log.warning("refused a request for host %r (not a name this server serves)", host)
            raise Refused(HTTPStatus.MISDIRECTED_REQUEST)
        return self.site.base_url or f"http://{host.strip()}"

    def _path(self) -> str:
        """The target's path, decoded once as strict UTF-8, or `Refused` (400, 414)."""
        target = self._target()
        if len(target) > MAX_TARGET:
            raise Refused(HTTPStatus.REQUEST_URI_TOO_LONG)
        raw = urlsplit(target).path if "://" in target[:10] else target.split("?")[0]
        try:
            encoded = unquote_to_bytes(raw.encode("latin-1"))
            decoded = encoded.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            raise Refused(HTTPStatus.BAD_REQUEST) from None
        if any(len(part) > MAX_SEGMENT for part in encoded.split(b"/")):
            raise Refused(HTTPStatus.BAD_REQUEST)
        return decoded

    def _resolve(self) -> tuple[str, Path | None]:
        """The request's path as (path relative to `output/`, file), or `Refused`.

        The file is None when the path names a folder without its trailing slash.
        """
        decoded = self._path()
        if "\x00" in decoded or "\\" in decoded or not decoded.startswith("/"):
            raise Refused(HTTPStatus.BAD_REQUEST)
        parts = [part for part in decoded.split("/") if part]
        if any(part == ".." for part in parts):
            raise Refused(HTTPStatus.FORBIDDEN)
        if any(part.startswith(".") for part in parts):
            raise Refused(HTTPStatus.NOT_FOUND)
        relative = posixpath.normpath("/".join(parts)) if parts else "."
        root = self.site.root
        try:
            target = (root / relative).resolve()
            if target != root and root not in target.parents:
                raise Refused(HTTPStatus.FORBIDDEN)
            if target.is_dir():
                if not decoded.endswith("/"):
                    return relative, None
                target = target / paths.INDEX_PAGE
                relative = paths.INDEX_PAGE if relative == "." else paths.folder_index(relative)
            found = target.is_file()
        except OSError:  # a name too long, a loop of symlinks, no permission
            raise Refused(HTTPStatus.NOT_FOUND) from None
        if not found:
            raise Refused(HTTPStatus.NOT_FOUND)
        return relative, target

    # ------------------------------------------------------------ responding

    def answer(
        self, status: HTTPStatus, headers: list[tuple[str, str]], body: Iterable[bytes] | bytes
    ) -> Iterable[bytes]:
        log.info(
            '%s "%s %s" %d',
            self.environ.get("REMOTE_ADDR", "-"),
            self.environ.get("REQUEST_METHOD"),
            self._target()[:200],
            status.value,
        )
        self.start_response(f"{status.value} {status.phrase}", headers)
        if isinstance(body, bytes):
            return [body] if self.send_body and body else []
        return body

    def error(
        self, status: HTTPStatus, extra: list[tuple[str, str]] | None = None
    ) -> Iterable[bytes]:
        body = f"{status.value} {status.phrase}\n".encode()
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
            *(extra or []),
        ]
        return self.answer(status, headers, body)

    def _validators(self, etag: str, mtime: float | None) -> bool:
        """Whether the client's copy is current (answer 304)."""
        match = self.header("If-None-Match")
        if match is not None:
            return match.strip() == "*" or etag in [m.strip() for m in match.split(",")]
        since = self.header("If-Modified-Since")
        if not since or mtime is None:
            return False
        try:
            stamp = email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(mtime) <= stamp

    def _common_headers(
        self, relative: str, etag: str, mtime: float | None
    ) -> list[tuple[str, str]]:
        headers = [("Content-Type", content_type(relative)), ("ETag", etag)]
        if mtime is not None:
            headers.append(("Last-Modified", email.utils.formatdate(mtime, usegmt=True)))
        # Revalidate each time: a new build may change any file.
        headers += [("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
        return headers

    def _send_rendered(self, relative: str, renderer: Renderer, base: str) -> Iterable[bytes]:
        try:
            page = renderer(base)
        except Refused:
            raise
        except Exception:
            log.exception("could not render %s", relative)
            raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR) from None
        etag = '"' + hashlib.sha256(page.body).hexdigest()[:32] + '"'
        if self._validators(etag, page.last_modified):
            return self.answer(HTTPStatus.NOT_MODIFIED, [("ETag", etag)], b"")
        headers = self._common_headers(relative, etag, page.last_modified)
        headers.append(("Content-Length", str(len(page.body))))
        return self.answer(HTTPStatus.OK, headers, page.body)

    def _send_file(self, handle: BinaryIO, relative: str) -> Iterable[bytes]:
        try:
            info = os.fstat(handle.fileno())
            size, mtime = info.st_size, info.st_mtime
            etag = f'"{info.st_ino:x}-{size:x}-{info.st_mtime_ns:x}"'
            if self._validators(etag, mtime):
                handle.close()
                return self.answer(HTTPStatus.NOT_MODIFIED, [("ETag", etag)], b"")
            start, end = 0, size - 1
            status = HTTPStatus.OK
            wanted = self.header("Range")
            if wanted is not None and self._range_applies(etag, mtime):
                parsed = _parse_range(wanted, size)
                if parsed is _UNSATISFIABLE:
                    handle.close()
                    headers = [("Content-Range", f"bytes */{size}"), ("Content-Length", "0")]
                    return self.answer(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, headers, b"")
                if isinstance(parsed, tuple):
                    start, end = parsed
                    status = HTTPStatus.PARTIAL_CONTENT
            length = max(0, end - start + 1)
            headers = self._common_headers(relative, etag, mtime)
            headers.append(("Accept-Ranges", "bytes"))
            if status == HTTPStatus.PARTIAL_CONTENT:
                headers.append(("Content-Range", f"bytes {start}-{end}/{size}"))
            headers.append(("Content-Length", str(length)))
            if not self.send_body or length == 0:
                handle.close()
                return self.answer(status, headers, b"")
            handle.seek(start)
        except BaseException:
            handle.close()
            raise
        # The server sends the file from its event loop (no worker thread waits on a slow
        # reader), stopping after Content-Length bytes.
        wrapper = self.environ.get("wsgi.file_wrapper")
        body = wrapper(handle, CHUNK) if wrapper else _chunks(handle, length)
        return self.answer(status, headers, body)

    def _range_applies(self, etag: str, mtime: float) -> bool:
        """`If-Range`: honour the range only if the client's copy is this one."""
        condition = self.header("If-Range")
        if condition is None:
            return True
        condition = condition.strip()
        if condition.startswith(('"', "W/")):
            return condition == etag
        try:
            return int(mtime) <= email.utils.parsedate_to_datetime(condition).timestamp()
        except (TypeError, ValueError):
            return False


def _chunks(handle: BinaryIO, length: int) -> Iterator[bytes]:
    with handle:
        remaining = length
        while remaining:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


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
