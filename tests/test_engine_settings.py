"""An engine's own settings trouble that engine alone, and say so once.

An uninstalled `[speech.piper] voice` matters only when Piper is used; a voice
espeak-ng does not have is one settings error before any work, not one failure
per article.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.config.settings import load_settings
from nashra.engines.piper import voices
from tests.support import CORPUS, make_project
from tests.test_cli import runner

ARTICLES = sorted((CORPUS / "saudinewsnet").glob("0[12]-*.txt"))
MISSING = "ar_XX-nobody-medium"


@pytest.fixture
def no_voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(voices.VOICES_ENV, str(tmp_path / "voices"))


def with_piper_voice(project: Path, voice: str) -> Path:
    with (project / "podcast.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[speech.piper]\nvoice = "{voice}"\n')
    return project


@pytest.mark.usefixtures("no_voices")
def test_an_uninstalled_piper_voice_troubles_only_piper(tmp_path: Path) -> None:
    project = with_piper_voice(make_project(tmp_path / "p", ARTICLES, engine="espeak"), MISSING)
    assert load_settings(project).speech.options_for("piper").voice == MISSING
    cli_runner: CliRunner = runner()
    listed = cli_runner.invoke(cli, ["engines", "-p", str(project)])
    # espeak is what the project uses, and it runs: exit 0, Piper's row says what is wrong.
    assert listed.exit_code == 0, listed.output
    (row,) = [line for line in listed.output.splitlines() if line.startswith("piper ")]
    assert "unavailable" in row and f"[speech.piper] voice: no voice called '{MISSING}'" in row
    assert f"nashra voices add {MISSING}" in row
    planned = cli_runner.invoke(cli, ["plan", "-p", str(project)])
    assert planned.exit_code == 0, planned.output


@pytest.mark.usefixtures("no_voices")
def test_a_project_that_uses_piper_is_told_which_key_to_fix(tmp_path: Path) -> None:
    project = with_piper_voice(make_project(tmp_path / "p", ARTICLES, engine="piper"), MISSING)
    cli_runner: CliRunner = runner()
    listed = cli_runner.invoke(cli, ["engines", "-p", str(project)])
    assert listed.exit_code == 1  # the configured engine cannot run here, as documented
    built = cli_runner.invoke(cli, ["build", "-p", str(project)])
    assert built.exit_code == 2
    assert f"[speech.piper] voice: no voice called '{MISSING}'" in built.stderr
    assert "Traceback" not in built.output + built.stderr
    assert not (project / "output" / "feed.xml").exists()


def test_a_bad_espeak_voice_under_auto_is_one_settings_error(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p", ARTICLES, engine="auto", options={"espeak": {"voice": "xx-bogus"}}
    )
    built = runner().invoke(cli, ["build", "-p", str(project)])
    assert built.exit_code == 2, built.output + built.stderr
    assert "[speech.espeak] voice" in built.stderr and "xx-bogus" in built.stderr
    # Said once, before any article was read or voiced.
    assert built.stderr.count("xx-bogus") == 1
    assert "failed" not in built.output + built.stderr
    assert not (project / "output" / "feed.xml").exists()
