"""Every stage of a build shows its progress; -q is silent; -v and -q work after the command."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.cli.progress_view import ProgressView, duration
from nashra.config.settings import load_settings
from nashra.core.progress import STAGES
from nashra.engines import register, unregister
from nashra.stages.builder import build
from tests.fake_engine import PacedEngine
from tests.support import CORPUS, make_project, set_key
from tests.test_cli import run


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_build_reports_every_stage_in_order(small_project: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    report = build(load_settings(small_project), jobs=1, progress=lambda *c: calls.append(c))
    assert report.ok
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == list(STAGES)
    for stage in STAGES:
        mine = [(done, total) for s, done, total in calls if s == stage]
        assert mine[-1][0] == mine[-1][1], (stage, mine)  # each runs to its end
        assert [done for done, _ in mine] == sorted(done for done, _ in mine)
    assert ("reading", 2, 2) in calls
    # Joining and encoding counts seconds of audio, moving within each episode too.
    encoding = [(done, total) for stage, done, total in calls if stage == "joining and encoding"]
    assert len(encoding) > 4, encoding


def test_plain_lines_for_a_long_stage_with_counts_and_time_left() -> None:
    clock, out = Clock(), io.StringIO()
    view = ProgressView("lines", out, interval=10, clock=clock, tick=None)
    view("reading", 0, 3)
    view("reading", 3, 3)  # a quick stage: no line at all
    view("voicing", 0, 400)
    for done in range(1, 401):
        clock.now += 0.125
        view("voicing", done, 400)
    view("joining and encoding", 0, 1)
    view.close()
    lines = out.getvalue().splitlines()
    assert lines[0] == "voicing: 80/400 clips (20 %), 10 s so far, about 40 s left"
    assert lines[1] == "voicing: 160/400 clips (40 %), 20 s so far, about 30 s left"
    assert lines[-1] == "voicing: 400 clips done in 50 s"
    assert len(lines) == 5
    assert not any(line.startswith("reading") for line in lines)


def test_the_interrupt_summary_says_what_finished() -> None:
    view = ProgressView("quiet", io.StringIO(), clock=Clock(), tick=None)
    view("reading", 0, 2)
    view("reading", 2, 2)
    view("voicing", 0, 10)
    view("voicing", 4, 10)
    view.close()
    assert view.summary() == "finished reading (2 articles); stopped while voicing (4 of 10 clips)"


def test_the_interrupt_summary_names_the_stage_before_the_first_one() -> None:
    view = ProgressView("quiet", io.StringIO(), clock=Clock(), tick=None)
    view.close()
    assert view.summary() == (
        "nothing had finished; stopped while starting, before reading the articles"
    )


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0 s"), (42.4, "42 s"), (185, "3 min 05 s"), (3720, "1 h 02 min")]
)
def test_durations(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_every_stage_prints_lines_when_stderr_is_not_a_terminal(
    small_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NASHRA_PROGRESS_EVERY", "0")
    code, _, err = run("build", "-p", str(small_project), "-j", "1")
    assert code == 0, err
    for stage in STAGES:
        assert f"\n{stage}: " in f"\n{err}", (stage, err)


def test_quiet_prints_nothing_on_success_before_or_after_the_command(small_project: Path) -> None:
    assert run("build", "-p", str(small_project))[0] == 0
    (small_project / "articles" / "03-sabq.txt").open("a", encoding="utf-8").write("خبر جديد.\n")
    assert run("-q", "build", "-p", str(small_project)) == (0, "", "")
    assert run("build", "-q", "-p", str(small_project)) == (0, "", "")
    assert run("check", "-p", str(small_project), "-q") == (0, "", "")


def test_verbose_after_the_command(small_project: Path) -> None:
    code, out, err = run("build", "-p", str(small_project), "-v")
    assert code == 0, err
    assert "built 2" in out
    assert run("check", "-p", str(small_project), "-vv")[0] == 0


@pytest.mark.slow
def test_library_debugging_only_with_vvv(tmp_path: Path) -> None:
    """filelock's and Pillow's debug lines drown nashra's at -vv; they wait for -vvv."""
    project = make_project(
        tmp_path / "p", [CORPUS / "saudinewsnet" / "04-alweeam.txt"], engine="espeak"
    )
    env = {**os.environ, "NASHRA_DEBUG": "", "PYTHONPATH": str(Path("src").resolve())}

    def stderr(*flags: str) -> str:
        (project / "articles" / "04-alweeam.txt").open("a", encoding="utf-8").write("خبر.\n")
        done = subprocess.run(
            [sys.executable, "-m", "nashra", *flags, "build", "-p", str(project)],
            capture_output=True,
            env=env,
            check=True,
        )
        return done.stderr.decode()

    err = stderr("-vv")
    assert "DEBUG: " in err  # nashra's own debugging detail
    assert "Lock " not in err and "STREAM b'" not in err, err
    err = stderr("-vvv")
    assert "Lock " in err or "STREAM b'" in err, err


# -- estimates at the project's speaking rate ----------------------------------------------


@pytest.fixture
def paced_engine() -> Iterator[None]:
    """An engine whose speaking rate is an option: `[speech.paced] rate`."""
    register(PacedEngine)
    yield
    unregister("paced")


@pytest.mark.usefixtures("paced_engine")
def test_encoding_progress_counts_the_audio_at_the_projects_rate(tmp_path: Path) -> None:
    from nashra.stages.planner import plan

    news = [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"]
    project = make_project(tmp_path / "p", news, engine="paced")
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text("utf-8"), "speech.paced", "rate", 400), "utf-8")
    settings = load_settings(project)
    expected = round(sum(item.estimated_seconds for item in plan(settings).articles))
    calls: list[tuple[str, int, int]] = []
    assert build(settings, jobs=1, progress=lambda *c: calls.append(c)).ok
    totals = {total for stage, _, total in calls if stage == "joining and encoding"}
    # The plan's estimate, at rate 400: a third of what rate 150 would say.
    assert totals == {expected}


@pytest.mark.usefixtures("paced_engine")
def test_the_long_episode_warning_uses_the_engines_rate(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from nashra.stages.article_cache import ScriptReader
    from nashra.stages.estimate import LONG_EPISODE_SECONDS, estimate_seconds

    # About 97 minutes at rate 150, 32 at 450. The fake engine refuses every clip
    # of more than one word, so nothing long is voiced or encoded.
    paragraph = " ".join(["أعلنت الوزارة اليوم عن خطة جديدة لتطوير الطرق في المدن الكبرى."] * 10)
    text = "مقال طويل جدا\n\n" + "\n\n".join([paragraph] * 85) + "\n"
    warned = {}
    for rate in (150, 450):
        project = make_project(tmp_path / str(rate), [], engine="paced")
        toml = project / "podcast.toml"
        fake = set_key(toml.read_text("utf-8"), "speech.paced", "fail_on", " ")
        toml.write_text(set_key(fake, "speech.paced", "rate", rate), "utf-8")
        (project / "articles" / "long.txt").write_text(text, encoding="utf-8")
        settings = load_settings(project)
        _, script, _ = ScriptReader(settings).read(project / "articles" / "long.txt")
        assert estimate_seconds(script, rate=150) > LONG_EPISODE_SECONDS
        assert estimate_seconds(script, rate=450) < LONG_EPISODE_SECONDS / 2
        caplog.clear()
        with caplog.at_level("WARNING"):
            build(settings, jobs=1)
        warned[rate] = any("a very long episode" in r.getMessage() for r in caplog.records)
    assert warned == {150: True, 450: False}


@pytest.mark.usefixtures("paced_engine")
def test_the_speaking_rate_is_the_expected_engines(tmp_path: Path) -> None:
    from nashra.config.settings import Speech
    from nashra.engines.base import NEWS_READER_RATE
    from nashra.stages.estimate import speaking_rate

    # espeak-ng's own rate setting, not the calibration's 150, nor another engine's.
    project = make_project(tmp_path / "p", [], engine="espeak", options={"espeak": {"rate": 320}})
    assert speaking_rate(load_settings(project).speech) == 320
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text("utf-8"), "speech", "engine", "paced"), "utf-8")
    toml.write_text(set_key(toml.read_text("utf-8"), "speech.paced", "rate", 200), "utf-8")
    assert speaking_rate(load_settings(project).speech) == 200
    # `auto` without a request: the first engine that can run, Google, at a news reader's pace.
    espeak = load_settings(project).speech.options_for("espeak")
    assert speaking_rate(Speech(options={"espeak": espeak})) == NEWS_READER_RATE
