"""A real HTTP server on 127.0.0.1 for the web import tests: a news site in miniature.

Each route answers with a `Page` (status, headers, body), or runs a function that
writes the answer itself (a stream of 50 MB, a server that never answers). Every
request is logged with its conditional headers, so tests can count what was asked.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    """Answer 304 to a request whose If-None-Match holds it."""


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Site:
    host: str
    port: int
    routes: dict[str, Page | Handler | list[Page]] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.log]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Answer(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            site.log.append((self.path, {k: v for k, v in self.headers.items()}))
            route = site.routes.get(self.path)
            if route is None:  # a query the site ignores, as sites do
                route = site.routes.get(self.path.split("?", 1)[0])
            if isinstance(route, list):  # answers in turn, the last one for good
                route = route.pop(0) if len(route) > 1 else route[0]
            if route is None:
                route = Page(b"not here", status=404, content_type="text/plain")
            if callable(route):
                route(self)
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
                self.send_header("Last-Modified", formatdate(usegmt=True))
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client refused the body: what a test wants

    return Answer


def stream(total: int, chunk: int = 1 << 20) -> Handler:
    """A page of `total` bytes made as it is sent, never held whole (no Content-Length)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Connection", "close")
        handler.end_headers()
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        sent = 0
        try:
            while sent < total:
                handler.wfile.write(block)
                sent += len(block)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what the test wants
        handler.close_connection = True

    return answer


def silent(site: Site) -> Handler:
    """A server that takes the request and says nothing until the test ends."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        site.stop.wait(30)
        handler.close_connection = True

    return answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that drops its connection (a refused body, a closed keep-alive) is
        # ordinary here; anything else is printed, as the standard server does.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@pytest.fixture
def site() -> Iterator[Site]:
    server = _Server(("127.0.0.1", 0), BaseHTTPRequestHandler)
    where = Site("127.0.0.1", server.server_address[1])
    server.RequestHandlerClass = _handler(where)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield where
    finally:
        where.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
        time.sleep(0)
