"""`nashra build --cluster`: real Dask schedulers and workers on 127.0.0.1, real shared
storage (a folder, or `rclone serve s3`), and a coordinator that is a real `nashra`
process. The engine is the fake one, installed as a plugin, so clips are the same in
every process and a cluster build can be compared byte for byte with a local one."""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import Client

import nashra as nashra_package
from nashra.cli import cli
from nashra.storage import paths
from tests.cluster_servers import (
    plugin_packages,
    process_env,
    scheduler,
    wait_for_workers,
    worker,
)
from tests.processes import alive, command_line, descendants
from tests.rclone_servers import S3_KEY, S3_SECRET, Server, free_port
from tests.support import CORPUS, make_project, set_key

ARTICLES = [
    CORPUS / "saudinewsnet" / name
    for name in ("04-alweeam.txt", "05-alriyadh.txt", "03-sabq.txt", "01-alwatan.txt")
]
EPOCH = "1780000000"
"""SOURCE_DATE_EPOCH for every build: undated articles get the same first date."""


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    return plugin_packages(tmp_path / "site-packages")


def project(root: Path, *, shared: str = "", delay_ms: int = 0) -> Path:
    made = make_project(root, ARTICLES)
    toml = made / "podcast.toml"
    text = set_key(toml.read_text("utf-8"), "speech.fake", "delay_ms", delay_ms)
    if shared:
        text = set_key(text, "build", "shared", shared)
    toml.write_text(text, "utf-8")
    return made


def nashra(
    packages: Path, folder: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nashra", *args, "--project", str(folder)],
        env=process_env(packages, SOURCE_DATE_EPOCH=EPOCH, **env),
        capture_output=True,
        text=True,
        timeout=600,
    )


def start(packages: Path, folder: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "nashra", *args, "--project", str(folder)],
        env=process_env(packages, SOURCE_DATE_EPOCH=EPOCH),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def same_output(one: Path, other: Path) -> None:
    """The two projects published the same feed, and the same files of the same sizes."""
    assert (one / "output" / "feed.xml").read_bytes() == (
        other / "output" / "feed.xml"
    ).read_bytes()
    files = sorted(p.relative_to(one / "output") for p in (one / "output").rglob("*.mp3"))
    assert files == sorted(
        p.relative_to(other / "output") for p in (other / "output").rglob("*.mp3")
    )
    assert files
    for name in files:
        assert filecmp.cmp(one / "output" / name, other / "output" / name, shallow=False), name


def wait_until(condition: object, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def episodes_made(folder: Path) -> int:
    return len(list((folder / "output" / "episodes").glob("*.mp3")))


@pytest.fixture
def s3_env(s3: Server) -> dict[str, str]:
    return {
        "FSSPEC_S3_ENDPOINT_URL": s3.url,
        "FSSPEC_S3_KEY": S3_KEY,
        "FSSPEC_S3_SECRET": S3_SECRET,
    }


@pytest.mark.slow
def test_a_local_cluster_through_s3_publishes_what_a_local_build_does(
    tmp_path: Path, packages: Path, s3: Server, s3_env: dict[str, str]
) -> None:
    here = project(tmp_path / "here")
    there = project(tmp_path / "there", shared="s3://podcasts/nashra")
    assert nashra(packages, here, "build", "-j", "2").returncode == 0

    run = nashra(packages, there, "build", "--cluster", "local:2", **s3_env)

    assert run.returncode == 0, run.stderr
    assert "built 4, unchanged 0, failed 0" in run.stdout
    assert "Traceback" not in run.stderr
    same_output(here, there)
    # The clips went through the S3 server; the episodes were taken out of it.
    bucket = s3.root / "podcasts" / "nashra"
    assert len(list((bucket / "clips").rglob("*.wav"))) > 20
    assert not list((bucket / "episodes").rglob("*")) if (bucket / "episodes").exists() else True
    assert not paths.clip_dir(there / ".nashra").exists()

    again = nashra(packages, there, "build", "--cluster", "local:2", **s3_env)
    assert again.returncode == 0, again.stderr
    assert "built 0, unchanged 4" in again.stdout


@pytest.mark.slow
def test_a_local_cluster_worker_killed_mid_build_costs_only_a_retry(
    tmp_path: Path, packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--cluster local:2`: the build's own LocalCluster loses a worker process, and
    what it was making is left in the project's scratch space, never in $TMPDIR."""
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_tmp))
    here = project(tmp_path / "here", delay_ms=40)
    there = project(tmp_path / "there", delay_ms=40)
    assert nashra(packages, here, "build", "-j", "2").returncode == 0

    build = start(packages, there, "build", "--cluster", "local:2")

    def workers() -> list[int]:
        return sorted(
            pid
            for pid in alive(descendants(build.pid))
            if "spawn_main" in command_line(pid) and "resource_tracker" not in command_line(pid)
        )

    wait_until(lambda: len(workers()) == 2 and episodes_made(there) >= 1)
    victim = workers()[0]
    os.kill(victim, signal.SIGKILL)
    out, err = build.communicate(timeout=300)

    assert victim not in alive({victim})
    assert build.returncode == 0, err
    assert "built 4, unchanged 0, failed 0" in out
    same_output(here, there)
    assert list(system_tmp.glob("nashra-episode-*")) == []
    assert nashra(packages, there, "build").returncode == 0
    assert list((there / ".nashra" / "tmp").iterdir()) == []


@pytest.fixture
def dask_cluster(
    tmp_path: Path, packages: Path
) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A scheduler and two workers, each its own process."""
    env = process_env(packages)
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    with (
        scheduler(env, logs / "scheduler.log") as address,
        worker(address, env, logs / "worker-1.log") as one,
        worker(address, env, logs / "worker-2.log") as two,
    ):
        wait_for_workers(address, 2)
        yield address, [one, two]


@pytest.mark.slow
def test_a_worker_killed_mid_build_costs_only_a_retry(
    tmp_path: Path, packages: Path, dask_cluster: tuple[str, list[subprocess.Popen[bytes]]]
) -> None:
    address, workers = dask_cluster
    shared = (tmp_path / "shared").as_uri()
    here = project(tmp_path / "here", delay_ms=40)
    there = project(tmp_path / "there", shared=shared, delay_ms=40)
    assert nashra(packages, here, "build", "-j", "2").returncode == 0

    build = start(packages, there, "build", "--cluster", address)
    with Client(address, set_as_default=False) as client:
        pids = client.run(os.getpid)
        busy: list[str] = []

        def a_worker_is_in_a_task() -> bool:
            busy[:] = [a for a, keys in client.processing().items() if keys]
            return bool(busy) and episodes_made(there) >= 1

        wait_until(a_worker_is_in_a_task)
        victim = next(w for w in workers if w.pid == pids[busy[0]])
        lost = client.processing()[busy[0]]
        os.kill(victim.pid, signal.SIGKILL)
    out, err = build.communicate(timeout=300)

    assert victim.wait(timeout=10) == -signal.SIGKILL
    assert lost  # the killed worker was in the middle of an episode
    assert build.returncode == 0, err
    assert "built 4, unchanged 0, failed 0" in out
    same_output(here, there)


@pytest.mark.slow
def test_a_scheduler_that_disappears_fails_the_build_and_the_next_resumes(
    tmp_path: Path, packages: Path
) -> None:
    shared = (tmp_path / "shared").as_uri()
    there = project(tmp_path / "there", shared=shared, delay_ms=40)
    env = process_env(packages)
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    with (
        scheduler(env, logs / "scheduler.log") as address,
        worker(address, env, logs / "worker.log"),
    ):
        wait_for_workers(address, 1)
        build = start(packages, there, "build", "--cluster", address)
        wait_until(lambda: episodes_made(there) >= 1)
    # The scheduler and its worker are gone (stopped as the block ended).
    out, err = build.communicate(timeout=120)

    assert build.returncode == 1, (out, err)
    assert f"the Dask scheduler at {address}" in err
    assert "Traceback" not in err, err
    assert not (there / "output" / "feed.xml").exists()  # nothing published half

    port = int(address.rsplit(":", 1)[1])
    with (
        scheduler(env, logs / "scheduler-2.log", port=port),
        worker(address, env, logs / "worker-2.log"),
    ):
        wait_for_workers(address, 1)
        resumed = nashra(packages, there, "build", "--cluster", address)
    assert resumed.returncode == 0, resumed.stderr
    built, unchanged = _counts(resumed.stdout)
    assert unchanged >= 1 and built + unchanged == 4
    here = project(tmp_path / "here", delay_ms=0)
    local = nashra(packages, here, "build", "-j", "2")
    assert local.returncode == 0
    # What was voiced before the loss was kept: the resumed build voiced less.
    assert _synthesized(resumed.stdout) < _synthesized(local.stdout)
    same_output(here, there)


def _synthesized(summary: str) -> int:
    match = re.search(r"clips synthesized (\d+)", summary)
    assert match, summary
    return int(match.group(1))


def _counts(summary: str) -> tuple[int, int]:
    match = re.search(r"built (\d+), unchanged (\d+)", summary)
    assert match, summary
    return int(match.group(1)), int(match.group(2))


@pytest.mark.slow
def test_workers_are_checked_before_any_work(
    tmp_path: Path, packages: Path, s3: Server, s3_env: dict[str, str]
) -> None:
    """A worker with another nashra, one without the engine, one that cannot reach the
    storage: one error naming each, exit status 2, and nothing voiced."""
    other = tmp_path / "other-nashra"
    shutil.copytree(Path(nashra_package.__file__).parent, other / "nashra")
    init = other / "nashra" / "__init__.py"
    init.write_text(init.read_text("utf-8").replace(nashra_package.__version__, "0.0.1"), "utf-8")
    good = process_env(packages, **s3_env)
    older = {**good, "PYTHONPATH": f"{other}{os.pathsep}{good['PYTHONPATH']}"}
    no_engine = process_env(tmp_path / "nothing", **s3_env)
    no_storage = {**good, "FSSPEC_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    there = project(tmp_path / "there", shared="s3://podcasts/nashra")
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    with contextlib.ExitStack() as stack:
        address = stack.enter_context(scheduler(good, logs / "scheduler.log"))
        for n, env in enumerate((good, older, no_engine, no_storage)):
            stack.enter_context(worker(address, env, logs / f"worker-{n}.log"))
        wait_for_workers(address, 4)

        run = nashra(packages, there, "build", "--cluster", address, **s3_env)

    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    problems = re.findall(r"worker tcp://127\.0\.0\.1:\d+: ([^;]+)", run.stderr)
    assert len(problems) == 3, run.stderr
    assert any(
        f"nashra 0.0.1 is installed there, {nashra_package.__version__} here" in p for p in problems
    )
    assert any("the fake engine cannot start there" in p for p in problems)
    assert any("shared storage s3://podcasts/nashra is not reachable there" in p for p in problems)
    assert not (there / "output" / "feed.xml").exists()
    assert not list((s3.root / "podcasts").rglob("*.wav"))


def test_google_is_not_sent_to_a_cluster(tmp_path: Path) -> None:
    """Google's rate limits are per client: a cluster of clients would multiply them."""
    folder = make_project(tmp_path / "p", ARTICLES[:1], engine="gtts")
    result = CliRunner().invoke(cli, ["build", "--project", str(folder), "--cluster", "local:2"])
    assert result.exit_code == 2, result.output
    assert "`gtts` needs the network and cannot voice on a cluster" in result.output
    assert not (folder / "output" / "feed.xml").exists()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("local:0", "local:N needs N between 1 and 256"),
        ("local:many", "local:N needs N between 1 and 256"),
        ("my cluster", "neither a Dask scheduler's address"),
    ],
)
def test_a_cluster_that_cannot_be_is_refused(tmp_path: Path, value: str, problem: str) -> None:
    folder = make_project(tmp_path / "p", ARTICLES[:1])
    result = CliRunner().invoke(cli, ["build", "--project", str(folder), "--cluster", value])
    assert result.exit_code == 2
    assert problem in result.output
    toml = folder / "podcast.toml"
    toml.write_text(set_key(toml.read_text("utf-8"), "build", "cluster", value), "utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(folder)])
    assert result.exit_code == 2
    assert f"`build.cluster`: `{value}`" in result.output


def test_shared_storage_must_be_a_url(tmp_path: Path) -> None:
    folder = make_project(tmp_path / "p", ARTICLES[:1])
    toml = folder / "podcast.toml"
    toml.write_text(set_key(toml.read_text("utf-8"), "build", "shared", "/mnt/nashra"), "utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(folder)])
    assert result.exit_code == 2
    assert "`build.shared` must be a URL such as file:///mnt/nashra" in result.output


def test_a_remote_cluster_needs_shared_storage(tmp_path: Path) -> None:
    folder = make_project(tmp_path / "p", ARTICLES[:1])
    result = CliRunner().invoke(
        cli, ["build", "--project", str(folder), "--cluster", "tcp://10.0.0.9:8786"]
    )
    assert result.exit_code == 2
    assert "needs storage its workers see: set `[build] shared`" in result.output
