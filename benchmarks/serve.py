"""`nashra serve` under load: many clients at once, and thousands of idle connections.

    python benchmarks/serve.py                    # this tree's server
    python benchmarks/serve.py --before OLD/src   # and another source tree's, in the same run
    python benchmarks/serve.py --quick            # small numbers: checks the benchmark works
    python benchmarks/serve.py --quick --check    # and exits 1 if a request went unanswered

A small project (two corpus articles, espeak-ng) is built once; then `nashra
serve` runs on 127.0.0.1 in a fresh process for each measurement and each
source tree (the one this file is in, and `--before`'s, which serves the same
`output/`):

(a) 200 clients at once, each making 5 requests one after another, each on a
    new connection (the feed, the index page, an episode page, 64 KiB of an
    MP3, the cover): the share answered within 30 s, and the slowest answer.
    Targets: every request answered (checked in every run, `--quick` too), none
    slower than 5 s (a time: checked in a full run).
(b) 5,000 connections opened and left idle (half send nothing, half the start
    of a request and then nothing); once the server holds them all (its open
    descriptors, at most 60 s), the feed fetched 5 times, one after another;
    compared with the same 5 fetches just before they were opened.
    Target (a time: checked in a full run): the slowest fetch with them open is
    at most 1 s slower than the slowest without.

Every wait is bounded (30 s a request, 10 s a connection), the clients run in
one asyncio loop in this process, and only 127.0.0.1 is used. The file limit
(RLIMIT_NOFILE) is raised as far as the hard limit allows, for this process and
the servers it starts. The figures are written to RESULTS.md as their own section.
With `--check`, a missed target of this tree's server (not `--before`'s) exits 1.
"""

from __future__ import annotations

import sys

# benchmarks/number_reading.py and its neighbours come after the standard library, so none
# can shadow a module of it; run and results_file are found there.
_HERE = str(__import__("pathlib").Path(__file__).parent)
sys.path[:] = [p for p in sys.path if p != _HERE] + [_HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from results_file import replace_section  # noqa: E402
from run import ARTICLES, make_project  # noqa: E402
from targets import Verdict, add_check_argument, exit_status  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MARKER = "## nashra serve under load"
REQUEST_TIMEOUT = 30.0
CONNECT_TIMEOUT = 10.0
ROUNDS = 5


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int

    def descriptors(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def threads(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        match = re.search(r"^Threads:\s+(\d+)", status, re.MULTILINE)
        return int(match.group(1)) if match else 0


@contextmanager
def serving(project: Path, source: Path) -> Iterator[Server]:
    """`nashra serve` from `source` on 127.0.0.1, an unused port; stopped on leaving."""
    process = subprocess.Popen(
        [PYTHON, "-m", "nashra", "serve", "-p", str(project), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(source)},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match is None:
            raise RuntimeError(f"nashra serve did not start: {line!r}")
        yield Server(process, int(match.group(1)))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def fetch(port: int, path: str, *extra: str) -> tuple[int | None, float]:
    """(status or None, seconds) for one GET on a new connection, read to its end."""
    started = time.perf_counter()
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close", *extra]
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
                await writer.drain()
                data = await reader.read()
            finally:
                writer.close()
    except (TimeoutError, OSError):
        return None, time.perf_counter() - started
    elapsed = time.perf_counter() - started
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", data)
    return (int(match.group(1)) if match else None), elapsed


def requests_of(output: Path) -> list[tuple[str, ...]]:
    """What a podcast app and a browser ask for: the feed, pages, part of an MP3, the cover."""
    mp3 = min((output / "episodes").glob("*.mp3")).relative_to(output).as_posix()
    page = min((output / "episodes").glob("*.html")).relative_to(output).as_posix()
    return [
        ("/feed.xml",),
        ("/",),
        (f"/{page}",),
        (f"/{mp3}", "Range: bytes=0-65535"),
        ("/cover.png",),
    ]


async def many_clients(port: int, clients: int, wanted: list[tuple[str, ...]]) -> dict[str, float]:
    """(a): `clients` at once, each making ROUNDS requests one after another."""
    start = asyncio.Event()

    async def client(number: int) -> list[tuple[int | None, float]]:
        await start.wait()
        done = []
        for turn in range(ROUNDS):
            path, *extra = wanted[(number + turn) % len(wanted)]
            done.append(await fetch(port, path, *extra))
        return done

    tasks = [asyncio.create_task(client(n)) for n in range(clients)]
    await asyncio.sleep(0.1)
    started = time.perf_counter()
    start.set()
    results = [r for rs in await asyncio.gather(*tasks) for r in rs]
    wall = time.perf_counter() - started
    answered = [seconds for status, seconds in results if status in (200, 206)]
    seconds = sorted(s for _, s in results)
    return {
        "requests": len(results),
        "answered": len(answered),
        "slowest": seconds[-1],
        "median": seconds[len(seconds) // 2],
        "over_5s": sum(s > 5 for s in seconds),
        "wall": wall,
    }


async def timed(port: int, times: int) -> list[float]:
    """The feed fetched `times` times, one after another: each fetch's seconds (inf: failed)."""
    spent = []
    for _ in range(times):
        status, seconds = await fetch(port, "/feed.xml")
        spent.append(seconds if status == 200 else float("inf"))
    return spent


async def idle_connections(server: Server, count: int) -> dict[str, float]:
    """(b): the feed's time with `count` idle connections open against without."""
    port = server.port
    await timed(port, 2)  # warm: the first render loads the state
    without = await timed(port, ROUNDS)
    opened: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    gate = asyncio.Semaphore(500)

    async def open_one(number: int) -> None:
        async with gate:
            try:
                async with asyncio.timeout(CONNECT_TIMEOUT):
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except (TimeoutError, OSError):
                return
            if number % 2:  # a slow client: the start of a request, then nothing
                writer.write(f"GET /feed.xml HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
            opened.append((reader, writer))

    held = server.descriptors()
    started = time.perf_counter()
    await asyncio.gather(*(open_one(n) for n in range(count)))
    opening = time.perf_counter() - started
    # A connection the client sees open may still wait in the listen queue: wait (bounded)
    # until the server holds them all, so that the fetches are timed against them.
    while server.descriptors() < held + len(opened) and time.perf_counter() - started < 60:
        await asyncio.sleep(0.2)
    accepted = time.perf_counter() - started
    await asyncio.sleep(1.0)
    threads = server.threads()
    with_them = await timed(port, ROUNDS)
    await asyncio.sleep(0.2)
    still_open = sum(1 for r, _ in opened if not r.at_eof() and r.exception() is None)
    for _, writer in opened:
        writer.close()
    return {
        "opened": len(opened),
        "opening": opening,
        "accepted": accepted,
        "still_open": still_open,
        "threads": threads,
        "without": max(without),
        "with": max(with_them),
        "with_median": sorted(with_them)[len(with_them) // 2],
    }


def raise_file_limit(needed: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def measure(project: Path, source: Path, clients: int, idle: int) -> dict[str, float]:
    with serving(project, source) as server:
        loaded = asyncio.run(many_clients(server.port, clients, requests_of(project / "output")))
    with serving(project, source) as server:
        quiet = asyncio.run(idle_connections(server, idle))
    return {**loaded, **quiet}


def seconds(value: float) -> str:
    return "not answered" if value == float("inf") else f"{value:.2f} s"


def verdicts(r: dict[str, float], clients: int, idle: int) -> list[Verdict]:
    """One server's figures against the targets: (a)'s answers, their time, (b)'s delay."""
    return [
        Verdict(
            f"requests answered, {clients} clients at once",
            "every one",
            r["answered"] == r["requests"],
        ),
        Verdict(
            f"slowest answer, {clients} clients at once",
            "at most 5 s",
            r["slowest"] <= 5,
            timing=True,
        ),
        Verdict(
            f"delay {idle} idle connections add to the feed",
            "at most 1 s",
            r["with"] - r["without"] <= 1,
            timing=True,
        ),
    ]


def report(runs: dict[str, dict[str, float]], clients: int, idle: int) -> list[str]:
    names = list(runs)
    rows: list[tuple[str, Callable[[dict[str, float]], str]]] = [
        ("requests answered", lambda r: f"{r['answered']:.0f} of {r['requests']:.0f}"),
        ("slowest answer", lambda r: seconds(r["slowest"])),
        ("median answer", lambda r: seconds(r["median"])),
        ("answers slower than 5 s", lambda r: f"{r['over_5s']:.0f}"),
        ("all answered in", lambda r: seconds(r["wall"])),
        (
            f"idle connections opened (of {idle})",
            lambda r: (
                f"{r['opened']:.0f} in {r['opening']:.1f} s, held by the server after "
                f"{r['accepted']:.1f} s, {r['still_open']:.0f} still open after the fetches"
            ),
        ),
        ("server threads while they are open", lambda r: f"{r['threads']:.0f}"),
        ("the feed, slowest of 5, without them", lambda r: seconds(r["without"])),
        ("the feed, slowest of 5, with them open", lambda r: seconds(r["with"])),
        ("delay they add", lambda r: seconds(r["with"] - r["without"])),
    ]
    lines = [
        "| figure | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for label, show in rows:
        lines.append(f"| {label} | " + " | ".join(show(runs[n]) for n in names) + " |")
    lines.append("")
    for name in names:
        answered, quick, calm = (v.met for v in verdicts(runs[name], clients, idle))
        every = answered and quick
        lines.append(
            f"{name}: {clients} clients, every request answered within 5 s: "
            f"{'met' if every else 'not met'}; {idle} idle connections add at most 1 s: "
            f"{'met' if calm else 'not met'}."
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="another source tree (its src/) to measure")
    parser.add_argument("--before-name", default="before", help="its column's heading")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="20 clients, 200 idle connections")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    add_check_argument(parser)
    args = parser.parse_args()
    clients, idle = (20, 200) if args.quick else (args.clients, args.idle)
    limit = raise_file_limit(2 * idle + 1000)
    sources = {"this tree": ROOT / "src"}
    if args.before:
        sources = {args.before_name: args.before.resolve(), **sources}
    runs: dict[str, dict[str, float]] = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nashra-serve-") as tmp:
        project = make_project(Path(tmp) / "podcast", ARTICLES[:2])
        subprocess.run(
            [PYTHON, "-m", "nashra", "build", "-p", str(project), "-q"],
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        for name, source in sources.items():
            runs[name] = measure(project, source, clients, idle)
            print(name, runs[name], flush=True)
    load_after = os.getloadavg()[0]
    lines = report(runs, clients, idle)
    print("\n".join(lines))
    judged = verdicts(runs["this tree"], clients, idle)
    if args.quick:
        return exit_status(judged, check=args.check, quick=True)
    heading = [
        MARKER,
        "",
        f"Measured by `python benchmarks/serve.py` on {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} CPU(s) (load average {load_before:.1f} before, {load_after:.1f} "
        f"after), Python {platform.python_version()}, file limit {limit}: "
        "`nashra serve` on 127.0.0.1 serving a two-article project, the clients in one "
        f"asyncio loop in another process. (a) {clients} clients at once, each making "
        f"{ROUNDS} requests one after another on new connections (feed, index, episode "
        "page, 64 KiB of an MP3, cover), 30 s allowed each. (b) "
        f"{idle} connections opened and left idle (half send the start of a request), "
        "then, once the server held them (at most 60 s), the feed fetched 5 times; against "
        "the same 5 fetches just before.",
        "",
    ]
    replace_section(args.output, MARKER, "\n".join(heading + lines) + "\n")
    return exit_status(judged, check=args.check, quick=False)


if __name__ == "__main__":
    sys.exit(main())
