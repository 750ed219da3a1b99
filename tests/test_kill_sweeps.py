"""A build stopped at every rename and unlink it makes, by SIGKILL and by SIGINT.

strace's fault injection (`-e inject=rename:signal=KILL:when=N`) stops the build's
main thread at its Nth rename (then unlink), which is where `output/` changes.
After each stop the feed names no missing file, no web page names a missing file,
and the next build repairs everything and leaves nothing temporary behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.stages.builder import build
from nashra.storage import paths
from tests.support import CORPUS, make_project
from tests.test_crash_safety import assert_consistent, edit_every_article

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace (apt-get install)"),
]

TRACED = "?rename,?renameat,?renameat2,?unlink,?unlinkat"
LINK = re.compile(r'(?:href|src)="([^"#?:]+\.(?:mp3|png|jpg|vtt|srt|json))"')


def traced_build(
    project: Path, trace: Path, inject: str | None = None, *, only: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`nashra build` under strace (its main thread only), optionally stopped by `inject`
    (counting only the calls on the path `only`, when given)."""
    command = ["strace", "-qq", "-o", str(trace), "-e", f"trace={TRACED}"]
    if inject:
        command += ["-e", f"inject={inject}"]
    if only:
        command += ["-P", str(only), "-e", "trace=all"]
    command += [sys.executable, "-m", "nashra", "build", "-p", str(project), "-j", "2"]
    env = {**os.environ, "NASHRA_DEBUG": "", "PYTHONPATH": str(Path("src").resolve())}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def calls(trace: Path) -> Counter[str]:
    """How many times the traced build made each traced system call."""
    names = re.findall(r"^(\w+)\(", trace.read_text(), re.MULTILINE)
    return Counter(names)


def missing_from_pages(output: Path) -> list[str]:
    """Files a web page links to that are not there."""
    missing = []
    for page in [output / "index.html", *output.glob("episodes/*.html")]:
        if not page.exists():
            continue
        for link in LINK.findall(page.read_text(encoding="utf-8")):
            if not (page.parent / link).is_file():
                missing.append(f"{page.relative_to(output)} -> {link}")
    return missing


def leftovers(project: Path) -> list[str]:
    """Temporary files and folders a build leaves when it ends."""
    found = [p for p in project.rglob(".*.part")]
    found += list((project / ".nashra" / "tmp").glob("*"))
    return sorted(str(p.relative_to(project)) for p in found)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Counter[str]]:
    """A built project with every article edited, its new clips in the cache, and the
    rename and unlink calls its rebuild makes."""
    root = tmp_path_factory.mktemp("sweep")
    articles = sorted((CORPUS / "saudinewsnet").glob("0[1-2]-*.txt"))
    project = make_project(root / "base", articles, engine="espeak")
    assert build(load_settings(project), jobs=2).ok
    edit_every_article(project, "أول")
    probe = root / "probe"
    shutil.copytree(project, probe)
    done = traced_build(probe, root / "probe.trace")
    assert done.returncode == 0, done.stderr
    # The rebuilds below only assemble and publish: they take the clips from here.
    shutil.rmtree(paths.clip_dir(project / ".nashra"))
    shutil.copytree(paths.clip_dir(probe / ".nashra"), paths.clip_dir(project / ".nashra"))
    # Counted on what each stopped build starts from.
    shutil.rmtree(probe)
    shutil.copytree(project, probe)
    done = traced_build(probe, root / "probe.trace")
    assert done.returncode == 0, done.stderr
    counted = calls(root / "probe.trace")
    assert counted["rename"] + counted["renameat"] + counted["renameat2"] >= 10, counted
    return project, counted


def points(counted: Counter[str]) -> list[tuple[str, int]]:
    return [(name, n) for name, count in sorted(counted.items()) for n in range(1, count + 1)]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["KILL", "INT"])
def test_a_build_stopped_at_every_rename_and_unlink(
    edited: tuple[Path, Counter[str]], tmp_path: Path, signum: signal.Signals
) -> None:
    base, counted = edited
    name = signum.name.removeprefix("SIG")
    broken: list[str] = []
    for syscall, n in points(counted):
        project = tmp_path / f"{syscall}-{n}"
        shutil.copytree(base, project)
        feed = project / "output" / "feed.xml"
        feed_before = feed.read_bytes()
        stopped = traced_build(project, tmp_path / "trace", f"{syscall}:signal={name}:when={n}")
        point = f"{signum.name} at {syscall} {n}"
        assert stopped.returncode in (-signum, 128 + signum), (point, stopped.stderr)
        try:
            assert_consistent(project)
        except AssertionError as exc:
            broken.append(f"{point}: {exc}")
        broken += [
            f"{point}: a page names a missing {m}" for m in missing_from_pages(project / "output")
        ]
        if signum == signal.SIGINT:
            said = stopped.stderr
            assert "Traceback" not in said and "interrupted by SIGINT" in said, (point, said)
            new_feed = feed.read_bytes() != feed_before
            expected = "The new feed was published" if new_feed else "Nothing new was published"
            if expected not in said:
                broken.append(f"{point}: the message does not say {expected!r}: {said}")
            named = set(LINK.findall((project / "output" / "index.html").read_text("utf-8")))
            named |= set(re.findall(r"episodes/[^\"<]+\.mp3", feed.read_text("utf-8")))
            for mp3 in (project / "output" / "episodes").glob("*.mp3"):
                if f"episodes/{mp3.name}" not in named:
                    broken.append(f"{point}: {mp3.name} is named by neither feed nor page")
        settings = load_settings(project)
        repaired = build(settings, jobs=2)
        assert repaired.ok, (point, repaired.failed)
        assert repaired.check_errors == 0, (point, repaired.findings)
        assert assert_consistent(project) == 2, point
        assert missing_from_pages(project / "output") == [], point
        assert leftovers(project) == [], point
        assert len(list((project / "output" / "episodes").glob("*.mp3"))) == 2, point
        shutil.rmtree(project)
    assert broken == []


@pytest.mark.parametrize("moment", ["settings", "lock"])
def test_a_signal_in_the_first_moment_names_the_stage(tmp_path: Path, moment: str) -> None:
    """SIGINT as the build reads podcast.toml, or takes the project's lock: before it
    reads an article (on a loaded machine, where a signal 0.8 s in may land)."""
    project = make_project(
        tmp_path / "p", [CORPUS / "saudinewsnet" / "03-sabq.txt"], engine="espeak"
    )
    watched = {
        "settings": project / "podcast.toml",
        "lock": paths.lock_file(project / ".nashra"),
    }[moment]
    inject = "openat:signal=INT:when=1"
    stopped = traced_build(project, tmp_path / "trace", inject, only=watched)
    assert stopped.returncode == 130, stopped.stderr
    assert "interrupted by SIGINT" in stopped.stderr, stopped.stderr
    assert "while starting" in stopped.stderr, stopped.stderr
    assert "next build resumes" in stopped.stderr
    assert "Traceback" not in stopped.stderr


def traced_publish(
    project: Path, target: Path, env: dict[str, str], trace: Path, inject: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`nashra publish` to a folder under strace (its main thread only). The output is
    made by hand (`write_output`), not built, so the check before publishing is skipped."""
    command = ["strace", "-qq", "-o", str(trace), "-e", f"trace={TRACED}"]
    if inject:
        command += ["-e", f"inject={inject}"]
    command += [sys.executable, "-m", "nashra", "publish", "--ignore-check"]
    command += ["-p", str(project), str(target)]
    full = {**env, "NASHRA_DEBUG": "", "PYTHONPATH": str(Path("src").resolve())}
    return subprocess.run(command, capture_output=True, text=True, env=full, timeout=300)


def test_a_publish_killed_at_every_rename_and_unlink(tmp_path: Path) -> None:
    """Killed anywhere, even just after the new feed is up, the next publish still keeps
    what the old feed named for `max_age`, and leaves no file list in `$TMPDIR`."""
    from tests.rclone_servers import client_env
    from tests.test_publish_servers import write_output

    env = {**client_env(tmp_path / "client"), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    base = make_project(tmp_path / "base", [], engine="espeak")
    with (base / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[publish]\nmax_age = 3600\n")
    write_output(base, {"a.mp3": b"ID3 a" * 100, "b.mp3": b"ID3 b" * 200})
    served, target = tmp_path / "served", tmp_path / "target"  # each run publishes to target
    assert traced_publish(base, target, env, tmp_path / "trace").returncode == 0
    target.rename(served)
    write_output(base, {"a.mp3": b"ID3 A" * 100}, title="v2")
    (base / "output" / "episodes" / "b.mp3").unlink()
    # The feed was published two hours ago: caches have long let go of it.
    times = base / ".nashra" / "publish.json"
    ago = {str(target): time.time() - 7200}
    times.write_text(json.dumps({"feed_replaced": ago}), encoding="utf-8")
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    shutil.copytree(served, target)
    assert traced_publish(probe, target, env, tmp_path / "trace").returncode == 0
    shutil.rmtree(target)
    counted = calls(tmp_path / "trace")
    assert sum(counted.values()) >= 3, counted
    broken: list[str] = []
    for syscall, n in points(counted):
        point = f"KILL at {syscall} {n}"
        project = tmp_path / f"p-{syscall}-{n}"
        shutil.copytree(base, project)
        shutil.copytree(served, target)
        stopped = traced_publish(
            project, target, env, tmp_path / "trace", f"{syscall}:signal=KILL:when={n}"
        )
        assert stopped.returncode == -signal.SIGKILL, (point, stopped.stderr)
        feed = (target / "feed.xml").read_text(encoding="utf-8")
        for name in re.findall(r"episodes/([\w.-]+\.mp3)", feed):
            if not (target / "episodes" / name).is_file():
                broken.append(f"{point}: the served feed names a missing {name}")
        again = traced_publish(project, target, env, tmp_path / "trace")
        assert again.returncode == 0, (point, again.stderr)
        if "v2" in feed and not (target / "episodes" / "b.mp3").is_file():
            broken.append(f"{point}: b.mp3 was deleted although the new feed is not max_age old")
        # (Python's own probe of $TMPDIR, an empty file with a random name, is not ours.)
        left = sorted(p.name for p in (tmp_path / "tmp").glob("nashra-*"))
        if left:
            broken.append(f"{point}: left in $TMPDIR: {left}")
        shutil.rmtree(project)
        shutil.rmtree(target)
    assert broken == []
