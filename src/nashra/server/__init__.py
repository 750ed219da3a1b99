"""`nashra serve`: the built `output/` folder over HTTP, for a browser or a podcast app nearby.

`app` answers each request (files under `output/` only, byte ranges, validators,
HEAD, MIME types); `hosts` says which `Host` names are this server's. This
module binds the socket and runs them in waitress, a pure-Python WSGI server
whose one thread waits on every connection with poll() and hands only complete
requests to a few worker threads: a crowd waits in a long listen queue instead
of being dropped, an idle or slow client holds neither a thread nor the others
up and is closed after `idle_timeout` seconds, and malformed or oversized
requests are answered (400, 431) by its parser.

The feed and the index page are rendered again from the build state for the
address the server is reached at (`--base-url`, else the request's own host), so
the enclosures a phone on the same network fetches point at this server; the
files in `output/` keep the configured `base_url`.

May import: `stages` (the pages rendered again) and every layer below it. Never the CLI.
"""

from __future__ import annotations

import logging
import re
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import replace
from http import HTTPStatus
from pathlib import Path
from types import FrameType
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from nashra.config.settings import Settings
from nashra.core.errors import UsageError
from nashra.server.app import Refused, Rendered, Renderer, Site, _parse_range
from nashra.server.hosts import Hosts, lan_address
from nashra.storage import paths

__all__ = ["NashraServer", "_parse_range", "lan_address", "make_server"]


IDLE_TIMEOUT = 30
"""Seconds a connection may send and receive nothing before it is closed."""
THREADS = 4
"""Worker threads: what renders the feed and pages and opens files; sending is not theirs."""
BACKLOG = 1024
"""Connections the kernel holds for us while we are busy (http.server's default: 5)."""
MAX_HEADER = 64 * 1024
"""Bytes of request line and headers; more is answered 431."""
Handler = Callable[[int, FrameType | None], Any]
ACCEPT_BATCH = 256
"""Connections taken from the listen queue in one turn of the loop."""


def _connection_limit() -> int:
    """Open connections at once: as many as the file limit leaves room for (a
    connection sending a file holds two descriptors), at least 100."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return 1000
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 10_000
    return max(100, (soft - 64) // 2)


class _Listener(TcpWSGIServer):  # type: ignore[misc]
    """waitress's server, taking every waiting connection (up to a batch) in one turn of
    its loop instead of one: each turn walks all open connections, so one at a time made
    5,000 connections take 5,000 turns to get in, a normal request queued behind them."""

    def handle_accept(self) -> None:
        for _ in range(ACCEPT_BATCH):
            before = len(self._map)
            if before >= self.adj.connection_limit:
                return
            super().handle_accept()
            if len(self._map) == before:  # none left waiting (or one failed: logged)
                return


class NashraServer:
    """`output/` served over HTTP: bound and listening once made; `serve_forever` answers."""

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        *,
        base_url: str | None = None,
        rendered: dict[str, Renderer] | None = None,
        idle_timeout: int = IDLE_TIMEOUT,
        threads: int = THREADS,
    ) -> None:
        host, port = address
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        # IPv4 first, as http.server bound before: `localhost` is 127.0.0.1.
        family, kind, proto, _, where = min(found, key=lambda a: a[0] != socket.AF_INET)
        listener = socket.socket(family, kind, proto)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(where)
        except OSError:
            listener.close()
            raise
        self.server_address: tuple[str, int] = listener.getsockname()[:2]
        self.base_url = base_url.rstrip("/") if base_url else None
        self.site = Site(
            root.resolve(),
            Hosts(host, base_url),
            self.url,
            base_url=self.base_url,
            rendered=rendered or {},
        )
        adjustments = Adjustments(
            sockets=[listener],
            threads=threads,
            backlog=BACKLOG,
            connection_limit=_connection_limit(),
            channel_timeout=idle_timeout,
            cleanup_interval=max(1, idle_timeout // 4),
            max_request_header_size=MAX_HEADER,
            max_request_body_size=MAX_HEADER,  # GET and HEAD only: a body is never read
            asyncore_use_poll=True,  # select() stops at 1,024 descriptors
            log_socket_errors=False,  # players drop connections as soon as they seek
            ident="nashra",
        )
        workers = ThreadedTaskDispatcher()
        workers.set_thread_count(threads)
        self._map: dict[int, object] = {}
        self._waitress = _Listener(
            self.site,
            self._map,
            _sock=listener,
            dispatcher=workers,
            adj=adjustments,
            bind_socket=False,
            sockinfo=(listener.family, listener.type, listener.proto, listener.getsockname()),
        )
        # Requests waiting for a free thread is how a crowd is served here, not a fault: not
        # a warning per browser page load.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._closed = False

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = str(host)
        return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Answer requests until `shutdown` (from another thread), SIGINT or SIGTERM.

        A signal's own handler (Ctrl+C's KeyboardInterrupt, the command line's
        `Interrupted`) runs once the loop has stopped: raised inside the loop, waitress
        would take it for one connection's error, close that connection and go on.
        """
        self._stop.clear()
        self._stopped.clear()
        caught: list[int] = []
        handlers = self._hold_signals(caught)
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=poll_interval, map=self._map, use_poll=True, count=1)
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
            self._stopped.set()
        if caught:
            handlers[caught[0]](caught[0], None)

    def _hold_signals(self, caught: list[int]) -> dict[int, Handler]:
        """Make SIGINT and SIGTERM stop the loop; return the handlers they had."""
        if threading.current_thread() is not threading.main_thread():
            return {}

        def stop(signum: int, frame: FrameType | None) -> None:
            caught.append(signum)
            self._stop.set()

        held: dict[int, Handler] = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(signum)
            if callable(handler):  # not SIG_DFL or SIG_IGN: those need no help
                held[signum] = handler
                signal.signal(signum, stop)
        return held

    def shutdown(self) -> None:
        """Stop `serve_forever` and wait until it has returned."""
        self._stop.set()
        self._waitress.pull_trigger()
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket and every connection; stop the worker threads."""
        if self._closed:
            return
        self._closed = True
        self._waitress.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)


def make_server(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    base_url: str | None = None,
    idle_timeout: int = IDLE_TIMEOUT,
) -> NashraServer:
    """A server for `settings.output_dir`, bound but not yet serving (`serve_forever`)."""
    output = settings.output_dir
    if not (output / paths.FEED_FILE).is_file():
        raise UsageError(f"{output} has no {paths.FEED_FILE} yet: run `nashra build` first")
    if base_url is not None and not re.match(r"https?://[^/]", base_url):
        raise UsageError(f"--base-url must be an http:// or https:// URL, got {base_url!r}")
    try:
        return NashraServer(
            (host, port),
            output,
            base_url=base_url,
            rendered=_renderers(settings),
            idle_timeout=idle_timeout,
        )
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _renderers(settings: Settings) -> dict[str, Renderer]:
    """feed.xml and index.html for another base URL, rendered from the build state."""
    from nashra.core.model import EpisodeRecord
    from nashra.render import site
    from nashra.stages.bulletins.publish import served_bulletin_feed, served_link, unlisted_articles
    from nashra.stages.publish import feed_xml
    from nashra.storage import paths
    from nashra.storage.state import BuildState, Details

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
            raise Refused(HTTPStatus.NOT_FOUND)  # no bulletin has been made yet
        return Rendered(data, mtime)

    return {paths.FEED_FILE: feed, paths.INDEX_PAGE: index, paths.BULLETIN_FEED_FILE: bulletins}
