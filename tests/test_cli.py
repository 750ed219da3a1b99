"""The command line, driven through click's CliRunner (and once as a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
import responses
from click.testing import CliRunner
from mutagen.mp3 import MP3

from nashra.cli import cli
from nashra.settings import load_settings
from tests.gtts_mock import mock_google, spoken_texts, tiny_mp3


def runner() -> CliRunner:
    # gTTS pins click < 8.2, where stderr is kept apart only on request.
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help() -> None:
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert command.help, f"`nashra {name}` has no help text"
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage:" in out


def test_python_dash_m_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nashra", "--version"], capture_output=True, text=True, check=True
    )
    assert "nashra" in done.stdout


def test_init_makes_a_project_that_plans(tmp_path: Path) -> None:
    target = tmp_path / "new"
    code, out, _ = run("init", str(target))
    assert code == 0
    assert (target / "podcast.toml").is_file()
    load_settings(target)  # the commented template is valid as written
    code, out, _ = run("plan", "-p", str(target), "--json")
    assert code == 0
    plan = json.loads(out)
    (article,) = plan["articles"]
    assert article["title"] == "مرحبا بكم في نشرتي"
    assert article["date"].startswith("2026-01-01")
    assert [s["title"] for s in article["sections"]] == [None, "كيف تعمل"]


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    code, _, err = run("init", str(tmp_path))
    assert code == 2
    assert "already exists" in err


def test_plan_json_on_the_sample_project(sample_project: Path) -> None:
    code, out, _ = run("plan", "-p", str(sample_project), "--json")
    assert code == 0
    plan = json.loads(out)
    by_file = {a["file"]: a for a in plan["articles"]}
    seed = by_file["articles/whatsapp-privacy.txt"]
    assert seed["title"].startswith("خبير تسويق إلكتروني")
    assert seed["author"] == "أحمد ماهر أبوالنصر"
    assert "إدارة واتساب طمأنت المستخدمين" in [s["title"] for s in seed["sections"]]
    for article in plan["articles"]:
        assert article["chunks"] > 0
        assert article["gtts_requests"] <= article["chunks"]
        assert article["estimated_minutes"] > 0
        for section in article["sections"]:
            assert all(0 < len(chunk) <= 100 for chunk in section["chunks"])
        assert article["cache_hits"] == {"gtts": 0, "espeak": 0}
    assert plan["failed"] == []


def test_plan_text_lists_articles(sample_project: Path) -> None:
    code, out, _ = run("plan", "-p", str(sample_project))
    assert code == 0
    assert "episodes/whatsapp-privacy.mp3" in out
    assert "Google requests" in out


@pytest.mark.slow
def test_build_exit_status_and_summary(small_project: Path) -> None:
    code, out, err = run("build", "-p", str(small_project), "--engine", "espeak", "-j", "2")
    assert code == 0, err
    assert "built 2, unchanged 0, failed 0" in out
    assert "engine espeak" in out
    code, out, err = run("build", "-p", str(small_project), "--engine", "espeak")
    assert code == 0
    assert "built 0, unchanged 2" in out
    assert "clips synthesized 0" in out

    (small_project / "articles" / "empty.md").write_text("", encoding="utf-8")
    code, out, err = run("build", "-p", str(small_project), "--engine", "espeak")
    assert code == 1
    assert "empty.md" in err
    assert "unchanged 2, failed 1" in out


def test_configuration_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = run("build", "-p", str(tmp_path))
    assert code == 2
    assert "podcast.toml" in err and "nashra init" in err
    (tmp_path / "podcast.toml").write_text('title = "x"\nbogus = 1\n', encoding="utf-8")
    code, _, err = run("plan", "-p", str(tmp_path))
    assert code == 2
    assert "bogus" in err


@pytest.mark.slow
@responses.activate
def test_build_with_google_mocked(small_project: Path) -> None:
    mock_google(responses.mock, tiny_mp3())
    code, out, err = run("plan", "-p", str(small_project), "--json")
    planned = json.loads(out)
    expected = sum(a["gtts_requests"] for a in planned["articles"])

    code, out, err = run("build", "-p", str(small_project), "--engine", "gtts", "-j", "4")
    assert code == 0, err
    sent = spoken_texts(responses.mock)
    assert len(sent) == expected == len(set(sent))
    assert all(len(text) <= 100 for text in sent)
    assert "engine gtts" in out
    settings = load_settings(small_project)
    for mp3 in (settings.output_dir / "episodes").glob("*.mp3"):
        assert MP3(str(mp3)).info.length > 5

    code, out, err = run("build", "-p", str(small_project), "--engine", "gtts")
    assert code == 0
    assert len(responses.mock.calls) == expected, "a rebuild must not call Google"


@pytest.mark.slow
@responses.activate
def test_auto_uses_google_when_it_answers_with_no_extra_request(small_project: Path) -> None:
    mock_google(responses.mock, tiny_mp3())
    code, out, err = run("plan", "-p", str(small_project), "--json")
    expected = sum(a["gtts_requests"] for a in json.loads(out)["articles"])
    code, out, err = run("build", "-p", str(small_project), "--engine", "auto", "-j", "2")
    assert code == 0, err
    assert "engine gtts" in out
    # The request that tried Google was one the build needed: it is not made twice.
    sent = spoken_texts(responses.mock)
    assert len(sent) == len(set(sent)) == expected


@pytest.mark.slow
@responses.activate
def test_auto_falls_back_to_espeak_when_google_is_down(small_project: Path) -> None:
    import requests

    responses.add(
        responses.POST,
        mock_google.__globals__["BATCHEXECUTE"],
        body=requests.exceptions.ConnectionError("offline"),
    )
    code, out, err = run("build", "-p", str(small_project), "--engine", "auto", "-j", "2")
    assert code == 0, err
    assert "espeak" in err and "Google" in err  # said once, as a note
    assert err.count("note:") == 1
    assert "engine espeak" in out
    assert len(responses.mock.calls) == 1, "one failed try is enough to decide"


@pytest.mark.slow
def test_speak_writes_an_mp3(tmp_path: Path) -> None:
    out = tmp_path / "hello.mp3"
    code, stdout, err = run(
        "speak", "مرحبا بكم في نشرة. هذه تجربة قصيرة.", "-o", str(out), "--engine", "espeak"
    )
    assert code == 0, err
    assert MP3(str(out)).info.length > 1
    assert "espeak" in stdout


@pytest.mark.slow
@responses.activate
def test_speak_with_google_packs_sentences_into_one_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Outside any project: inside one (this repository is one) the clip may be cached.
    monkeypatch.chdir(tmp_path)
    mock_google(responses.mock, tiny_mp3())
    out = tmp_path / "hello.mp3"
    text = "مرحبا بكم في نشرة. هذه تجربة قصيرة.\n\nوهذه فقرة ثانية."
    code, stdout, err = run("speak", text, "-o", str(out), "--engine", "gtts")
    assert code == 0, err
    assert "gtts" in stdout
    assert spoken_texts(responses.mock) == ["مرحبا بكم في نشرة. هذه تجربة قصيرة. وهذه فقرة ثانية."]
    assert MP3(str(out)).info.length > 0.5


def test_speak_needs_text_or_file(tmp_path: Path) -> None:
    code, _, err = run("speak", "-o", str(tmp_path / "x.mp3"))
    assert code == 2
    assert "TEXT or --file" in err


def test_engines_lists_both(tmp_path: Path) -> None:
    code, out, _ = run("engines")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "available" in lines["espeak"] and "offline" in lines["espeak"]
    assert "online" in lines["gtts"]
