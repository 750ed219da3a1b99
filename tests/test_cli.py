"""The command line, driven through click's CliRunner (and once as a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
import responses
from click.testing import CliRunner

from nashra.cli import cli
from nashra.config.settings import load_settings
from nashra.stages.script import LIMIT
from tests.gtts_mock import mock_google, spoken_texts, tiny_mp3
from tests.mp3s import mp3_info
from tests.support import CORPUS, make_project


def runner() -> CliRunner:
    # gTTS pins click < 8.2, where stderr is kept apart only on request.
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]  # click >= 8.2
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
        assert article["characters"] / 100 <= article["gtts_requests"]
        assert article["estimated_minutes"] > 0
        for section in article["sections"]:
            assert all(0 < len(chunk) <= LIMIT for chunk in section["chunks"])
        assert article["cache_hits"]["gtts"] == article["cache_hits"]["espeak"] == 0
    assert plan["failed"] == []


def test_plan_counts_the_clips_a_build_left_in_the_cache(tmp_path: Path) -> None:
    """After a build, `plan` finds every request of espeak-ng's cached: its requests
    are the prepared clauses joined into SSML, not the script's text."""
    project = make_project(
        tmp_path / "p", [CORPUS / "saudinewsnet" / "04-alweeam.txt"], engine="espeak"
    )
    code, out, _ = run("plan", "-p", str(project), "--json")
    assert code == 0
    (before,) = json.loads(out)["articles"]
    assert before["cache_hits"]["espeak"] == 0
    assert run("build", "-p", str(project))[0] == 0
    code, out, _ = run("plan", "-p", str(project), "--json")
    (after,) = json.loads(out)["articles"]
    from nashra.engines import create_engine
    from nashra.stages.article_cache import ScriptReader

    settings = load_settings(project)
    engine = create_engine("espeak", settings.speech.options_for("espeak"))
    _, script, _ = ScriptReader(settings).read(project / "articles" / "04-alweeam.txt")
    requests = {u.speech for u in engine.plan(script).utterances}
    assert after["cache_hits"]["espeak"] == len(requests) > 0


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
        assert mp3_info(mp3).length > 5

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
        "speak",
        "مرحبا بكم في نشرة. هذه تجربة قصيرة.",
        "-o",
        str(out),
        "--engine",
        "espeak",
        "-p",
        str(tmp_path),
    )
    assert code == 0, err
    assert mp3_info(out).length > 1
    assert "espeak" in stdout


@pytest.mark.slow
@responses.activate
def test_speak_with_google_packs_sentences_into_one_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Outside any project, so no clip cache already holds the request.
    monkeypatch.chdir(tmp_path)
    mock_google(responses.mock, tiny_mp3())
    out = tmp_path / "hello.mp3"
    text = "مرحبا بكم في نشرة. هذه تجربة قصيرة.\n\nوهذه فقرة ثانية."
    # Outside any project (the repository is one), so its clip cache is not used.
    code, stdout, err = run("speak", text, "-o", str(out), "--engine", "gtts", "-p", str(tmp_path))
    assert code == 0, err
    assert "gtts" in stdout
    assert spoken_texts(responses.mock) == ["مرحبا بكم في نشرة. هذه تجربة قصيرة. وهذه فقرة ثانية."]
    assert mp3_info(out).length > 0.5


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


@pytest.mark.parametrize(
    ("setup", "args", "expected"),
    [
        ("afile", ["init", "{tmp}/afile/pod"], "afile/pod/articles: {tmp}/afile is a file"),
        ("output", ["build", "-p", "{tmp}/p"], "{tmp}/p/output is a file, not a folder"),
        ("work", ["build", "-p", "{tmp}/p"], "{tmp}/p/.nashra: a file is in the way"),
        ("afile", ["speak", "مرحبا", "-o", "{tmp}/afile/x.mp3"], "{tmp}/afile: a file is in"),
    ],
)
def test_operating_system_errors_are_one_line_with_path_and_cause(
    tmp_path: Path, setup: str, args: list[str], expected: str
) -> None:
    tmp = str(tmp_path)
    if setup == "afile":
        (tmp_path / "afile").write_text("not a folder")
    else:
        assert run("init", f"{tmp}/p")[0] == 0
        (tmp_path / "p" / ("output" if setup == "output" else ".nashra")).write_text("x")
    code, _, err = run(*(arg.format(tmp=tmp) for arg in args))
    assert code == 1
    (line,) = err.strip().splitlines()
    assert line.startswith("Error: ") and expected.format(tmp=tmp) in line


def test_an_unreadable_build_state_is_named_once(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "p"))[0] == 0
    (tmp_path / "p" / ".nashra" / "state.json").mkdir(parents=True)
    code, _, err = run("build", "-p", str(tmp_path / "p"))
    assert code == 2
    (line,) = err.strip().splitlines()
    assert line.count("state.json") == 1 and "(Is a directory)" in line, line


def test_check_before_any_build_says_to_build_first(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "p"))[0] == 0
    code, out, err = run("check", "-p", str(tmp_path / "p"))
    assert code == 2
    assert "nothing has been built yet; run `nashra build` first" in err
    assert "feed-parse" not in out + err and "would reject" not in out + err


def test_plan_names_a_failing_article_once(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "p"))[0] == 0
    (tmp_path / "p" / "articles" / "empty.txt").write_text("")
    code, _, err = run("plan", "-p", str(tmp_path / "p"))
    assert code == 1
    (line,) = (line for line in err.splitlines() if "empty.txt" in line)
    assert line.count("empty.txt") == 1, line


@pytest.mark.slow
def test_check_warns_while_the_init_placeholders_are_there(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert run("init", str(project))[0] == 0
    assert run("build", "-p", str(project), "--engine", "espeak")[0] == 0
    code, out, _ = run("check", "-p", str(project))
    assert code == 0
    placeholders = [line for line in out.splitlines() if "[placeholder]" in line]
    assert len(placeholders) == 3, out
    assert any("base_url" in line and "podcast.example.com" in line for line in placeholders)
    assert any("owner.email" in line and "editor@example.com" in line for line in placeholders)
    assert any("articles/welcome.md" in line for line in placeholders)

    toml = project / "podcast.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("https://podcast.example.com", "https://podcasts.nashra.org")
    toml.write_text(text.replace("editor@example.com", "editor@nashra.org"), encoding="utf-8")
    sample = project / "articles" / "welcome.md"
    sample.write_text(sample.read_text(encoding="utf-8") + "\nفقرة كتبها المحرر.\n")
    assert run("build", "-p", str(project), "--engine", "espeak")[0] == 0
    code, out, _ = run("check", "-p", str(project))
    assert code == 0 and "[placeholder]" not in out, out


def test_engines_exits_1_when_the_configured_engine_cannot_run(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [], engine="espeak")
    assert run("engines", "-p", str(project))[0] == 0
    # A machine with no espeak-ng at all: only the program is allowed, and no
    # folder on PATH has it.
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "nashra", "engines", "-p", str(project)],
        capture_output=True,
        text=True,
        env={**os.environ, "NASHRA_ESPEAK": "program", "PATH": str(empty)},
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "espeak   unavailable" in done.stdout
    assert "no espeak-ng program on PATH" in done.stdout
    assert "the configured engine `espeak` cannot run here" in done.stderr
    # `auto` (outside a project) still runs here, with Google.
    assert run("engines", "-p", str(tmp_path))[0] == 0


def test_an_engine_that_cannot_run_is_refused_before_any_work(tmp_path: Path) -> None:
    """An unknown espeak-ng voice: exit 2, one message naming the key, nothing built."""
    project = make_project(
        tmp_path / "p", [CORPUS / "saudinewsnet" / "04-alweeam.txt"], engine="espeak"
    )
    toml = project / "podcast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('voice = "ar"', 'voice = "no-such-voice"'),
        encoding="utf-8",
    )
    code, _, err = run("build", "-p", str(project))
    assert code == 2, err
    assert "no voice 'no-such-voice'" in err and "[speech.espeak]" in err
    assert "published" not in err and "Traceback" not in err
    assert not (project / "output").exists()


def test_plan_speech_takes_a_file_name_or_a_slug_and_shows_espeaks_phonemes(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "p", [CORPUS / "saudinewsnet" / "04-alweeam.txt"])
    by_name = run("plan", "-p", str(project), "--speech", "04-alweeam.txt", "--json")
    by_slug = run("plan", "-p", str(project), "--speech", "04-alweeam", "--json")
    assert by_name[0] == by_slug[0] == 0, by_name[2]
    assert by_name[1] == by_slug[1]
    chunk = json.loads(by_name[1])[1]["chunks"][0]
    assert chunk["written"].startswith("أكد السكرتير")
    # espeak-ng's own IPA for what it is given: أكّد with its doubled k, in pause form at the end.
    assert chunk["espeak_phonemes"].startswith("ʔ_ˈa_kː_a_d")
    # The chunk is a clause; espeak-ng's request joins the sentence's clauses, the comma
    # pause inside.
    section = json.loads(by_name[1])[1]
    assert chunk["espeak"].endswith("،")
    request = section["espeak_requests"][0]
    assert request.startswith(chunk["espeak"] + ' <break time="200ms"/> ')
    code, _, err = run("plan", "-p", str(project), "--speech", "no-such-article")
    assert code == 2 and "no such article" in err
