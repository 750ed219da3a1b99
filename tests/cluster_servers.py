"""A real Dask scheduler and workers, each its own process on 127.0.0.1, and the fake
engine installed as pip would install a plugin, so that every process finds it."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.rclone_servers import free_port, stop, wait_for_port

TESTS = Path(__file__).resolve().parent


def plugin_packages(folder: Path) -> Path:
    """A folder laid out as pip installs a package: the fake engine and its entry point."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(TESTS / "fake_engine.py", folder / "nashra_test_engine.py")
    dist = folder / "nashra_test_engine-1.0.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: nashra-test-engine\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[nashra.engines]\nfake = nashra_test_engine:FakeEngine\n"
    )
    return folder


def process_env(packages: Path, **extra: str) -> dict[str, str]:
    """The environment of a nashra or Dask process that finds the fake engine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FSSPEC_", "DASK_"))}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(packages), str(TESTS.parent / "src"), env.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    env.update(extra)
    return env


@contextlib.contextmanager
def scheduler(env: dict[str, str], log: Path, port: int | None = None) -> Iterator[str]:
    """A Dask scheduler on 127.0.0.1; yields its address."""
    port = port or free_port()
    args = ["-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port)]
    with _started([*args, "--no-dashboard"], env, log) as process:
        wait_for_port(port, process)
        yield f"tcp://127.0.0.1:{port}"


@contextlib.contextmanager
def worker(address: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """One Dask worker process (no nanny: killing it kills the worker), one thread."""
    args = ["-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny"]
    with _started([*args, "--no-dashboard", "--host", "127.0.0.1"], env, log) as process:
        yield process


@contextlib.contextmanager
def _started(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop(process)


def wait_for_workers(address: str, count: int, timeout: float = 60) -> None:
    from distributed import Client

    with Client(address, timeout=timeout, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=timeout)
