"""A third-party engine, installed as a package with a `nashra.engines` entry point:
the example engine of docs/engines.md, saved as written, is listed, chosen, configured and
builds a podcast."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nashra.render.tagging import read_engine
from tests.support import CORPUS, REPO, make_project, set_key

pytestmark = pytest.mark.slow


def readme_engine() -> str:
    """The example engine's code block in docs/engines.md, exactly as a reader would copy it."""
    page = (REPO / "docs" / "engines.md").read_text(encoding="utf-8")
    blocks: list[str] = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    (code,) = [b for b in blocks if "class ToneEngine(Engine)" in b]
    return code


@pytest.fixture
def site_packages(tmp_path: Path) -> Path:
    """A folder laid out as pip installs a package: the module and its dist-info."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    (folder / "tone_engine.py").write_text(readme_engine(), encoding="utf-8")
    dist = folder / "tone_engine-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tone-engine\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[nashra.engines]\ntone = tone_engine:ToneEngine\n")
    return folder


def nashra(packages: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(packages)}
    return subprocess.run(
        [sys.executable, "-m", "nashra", *args], capture_output=True, text=True, env=env
    )


def test_the_readme_engine_is_listed_and_builds_a_podcast(
    tmp_path: Path, site_packages: Path
) -> None:
    project = make_project(
        tmp_path / "p", [CORPUS / "saudinewsnet" / "04-alweeam.txt"], engine="tone"
    )
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text(encoding="utf-8"), "speech.tone", "pitch", 330))

    listed = nashra(site_packages, "engines", "-p", str(project))
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^tone\s+available\s+offline", listed.stdout, flags=re.M), listed.stdout

    built = nashra(site_packages, "build", "-p", str(project))
    assert built.returncode == 0, built.stderr
    assert "engine tone" in built.stdout
    (episode,) = (project / "output" / "episodes").glob("*.mp3")
    assert read_engine(episode) == "tone"
    assert "<enclosure" in (project / "output" / "feed.xml").read_text(encoding="utf-8")

    # The engine's own table is validated by the engine, before any work.
    toml.write_text(set_key(toml.read_text(encoding="utf-8"), "speech.tone", "pitch", 10))
    refused = nashra(site_packages, "build", "-p", str(project))
    assert refused.returncode == 2
    assert "[speech.tone] pitch must be between 50 and 4000 Hz" in refused.stderr
    toml.write_text(set_key(toml.read_text(encoding="utf-8"), "speech.tone", "pitch", "high"))
    refused = nashra(site_packages, "build", "-p", str(project))
    assert refused.returncode == 2
    assert "[speech.tone] pitch must be a number, not str" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_the_engine_is_a_choice_of_build_engine(tmp_path: Path, site_packages: Path) -> None:
    project = make_project(tmp_path / "p", [CORPUS / "saudinewsnet" / "04-alweeam.txt"])
    helped = nashra(site_packages, "build", "--help")
    assert "tone" in helped.stdout
    built = nashra(site_packages, "build", "-p", str(project), "--engine", "tone")
    assert built.returncode == 0, built.stderr
    (episode,) = (project / "output" / "episodes").glob("*.mp3")
    assert read_engine(episode) == "tone"
    # Without the package the engine is unknown, and says which engines there are.
    gone = nashra(tmp_path / "nothing", "build", "-p", str(project), "--engine", "tone")
    assert gone.returncode == 2
    assert "tone" in gone.stderr
