"""nashra serve against hostile and careless clients: malformed requests, other Host
names (DNS rebinding), idle connections, crowds. Raw sockets to 127.0.0.1, so that
each request goes out exactly as written."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.config.settings import Settings
from nashra.server import NashraServer, make_server
from nashra.server.hosts import Hosts
from tests.test_server import AUDIO, publish, running

# Generous bounds: a loaded machine must never fail these, only a server that never answers.
WAIT = 30.0


def exchange(server: NashraServer, data: bytes) -> tuple[int | None, bytes]:
    """Send `data` on a new connection; (status, whole answer) once the server closes it.

    Status None: the server closed the connection without answering.
    """
    port = server.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as client:
        client.sendall(data)
        client.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := client.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass  # the server closed with some of the request unread: its answer came first
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    return (int(match.group(1)) if match else None), answer


def get(server: NashraServer, target: bytes, host: bytes | None = b"127.0.0.1") -> int | None:
    head = b"GET " + target + b" HTTP/1.1\r\nConnection: close\r\n"
    if host is not None:
        head += b"Host: " + host + b"\r\n"
    return exchange(server, head + b"\r\n")[0]


@pytest.fixture
def published(tmp_path: Path) -> Settings:
    return publish(tmp_path / "podcast")


@pytest.fixture
def server(published: Settings) -> Iterator[NashraServer]:
    yield from running(make_server(published, port=0, idle_timeout=1))


@pytest.mark.parametrize(
    "target",
    [
        b"/%ff",
        b"/episodes/%ff.mp3",
        b"/%c0%af",  # overlong "/"
        b"/%c0%ae%c0%ae/secret.txt",  # overlong ".."
        b"/%ed%a0%80",  # a surrogate
        b"/\xff",  # a raw byte that is not UTF-8
        b"/" + b"a" * 300,  # longer than any file name
        b"/episodes/" + b"b" * 5000,
        b"/episodes/" + b"%41" * 300,
    ],
)
def test_a_path_it_cannot_read_gets_400_not_a_dropped_connection(
    server: NashraServer, target: bytes
) -> None:
    assert get(server, target) == 400
    assert get(server, b"/episodes/first-v2.mp3") == 200  # and the server still serves


def test_an_overlong_request_line_gets_an_answer(server: NashraServer) -> None:
    line = b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    status, answer = exchange(server, line)
    assert status == 414 and len(answer) < 1000
    # Past the 64 KiB allowed for the request line and headers, waitress answers 431 and
    # closes with the rest unread; the kernel then resets the connection, which may
    # discard the answer before the client reads it. Either way the server goes on.
    status, _ = exchange(server, b"GET /" + b"a" * 300_000 + b" HTTP/1.1\r\n\r\n")
    assert status in (431, None)
    assert get(server, b"/feed.xml") == 200


@pytest.mark.parametrize(
    "host",
    [
        b"evil.example",
        b"evil.example:{port}",
        b"127.0.0.1.evil.example:{port}",
        b"localhost.evil.example",
        b"192.168.1.7:{port}",  # an address this server is not bound to
        b"[::2]:{port}",
    ],
)
def test_a_host_it_does_not_serve_gets_421(server: NashraServer, host: bytes) -> None:
    port = str(server.server_address[1]).encode()
    request = b"GET /feed.xml HTTP/1.1\r\nHost: " + host.replace(b"{port}", port) + b"\r\n\r\n"
    status, answer = exchange(server, request)
    assert status == 421
    assert b"<rss" not in answer and len(answer) < 1000


@pytest.mark.parametrize(
    "host",
    [b"127.0.0.1:{port}", b"localhost:{port}", b"LocalHost", b"app.localhost:{port}", b"[::1]"],
)
def test_localhost_names_and_the_bound_address_are_served(
    server: NashraServer, host: bytes
) -> None:
    port = str(server.server_address[1]).encode()
    assert get(server, b"/feed.xml", host.replace(b"{port}", port)) == 200


def test_a_missing_or_malformed_host_is_a_bad_request(server: NashraServer) -> None:
    assert get(server, b"/feed.xml", host=None) == 400
    assert get(server, b"/feed.xml", host=b"bad host/<x>") == 400
    # HTTP/1.0 has no Host: a client of that age gets the feed for the bound address.
    status, answer = exchange(server, b"GET /feed.xml HTTP/1.0\r\n\r\n")
    assert status == 200 and server.url.encode() in answer


def test_base_url_host_is_served(published: Settings) -> None:
    made = make_server(published, port=0, base_url="http://podcast.lan:8000/")
    for server in running(made):
        assert get(server, b"/feed.xml", b"podcast.lan:8000") == 200
        assert get(server, b"/feed.xml", b"other.lan:8000") == 421


def test_an_absolute_request_target_names_a_host_too(server: NashraServer) -> None:
    assert get(server, b"http://evil.example/feed.xml") == 421
    assert get(server, b"http://127.0.0.1/episodes/first-v2.mp3") == 200


def test_hosts_with_every_interface_take_addresses_not_foreign_names() -> None:
    hosts = Hosts("0.0.0.0", None)
    for good in ("192.168.1.7:8000", "10.0.0.2", "[fe80::1]:8000", "localhost:8000", "[::1]"):
        assert hosts.allows(good), good
    for bad in ("evil.example:8000", "rebind.127.0.0.1.nip.io:8000", "192.168.1.7.evil.example"):
        assert not hosts.allows(bad), bad
    bound = Hosts("192.168.1.7", "https://podcast.example.org/show/")
    assert bound.allows("192.168.1.7:8000") and bound.allows("podcast.example.org")
    assert bound.allows("PODCAST.example.org.") and not bound.allows("10.0.0.2")


def test_a_client_that_sends_nothing_is_dropped_after_the_idle_timeout(
    server: NashraServer,
) -> None:
    port = server.server_address[1]
    with (
        socket.create_connection(("127.0.0.1", port), timeout=WAIT) as idle,
        socket.create_connection(("127.0.0.1", port), timeout=WAIT) as slow,
    ):
        slow.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the end
        # recv returns b"" once the server has closed the connection; a server that keeps
        # it open leaves recv waiting until the socket's timeout, which fails the test.
        assert idle.recv(1024) == b""
        assert slow.recv(1024) == b""


def test_idle_connections_hold_no_thread_and_do_not_block_others(
    server: NashraServer,
) -> None:
    before = threading.active_count()
    port = server.server_address[1]
    idle = [socket.create_connection(("127.0.0.1", port), timeout=WAIT) for _ in range(60)]
    try:
        status, answer = exchange(
            server, b"GET /episodes/first-v2.mp3 HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        assert status == 200 and answer.endswith(AUDIO)
        assert threading.active_count() <= before + 2
    finally:
        for connection in idle:
            connection.close()


def test_the_listen_backlog_holds_a_crowd(published: Settings) -> None:
    """Connections wait in the kernel's queue while the server is busy; a queue of 5
    (http.server's default) drops the 7th connection attempt until one is accepted."""
    server = make_server(published, port=0)  # listening, but not yet accepting
    port = server.server_address[1]
    crowd: list[socket.socket] = []
    try:
        for _ in range(100):
            crowd.append(socket.create_connection(("127.0.0.1", port), timeout=WAIT))
        for _ in running(server):
            for connection in crowd[:3]:
                connection.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert connection.recv(12).startswith(b"HTTP/1.1 200")
    finally:
        for connection in crowd:
            connection.close()
        server.server_close()
