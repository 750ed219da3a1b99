"""The engine a build uses is asked, not named: its speaking rate, its fallback, and no
module outside an engine's own package names that engine."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from click.testing import CliRunner

from nashra.cli import cli
from nashra.config.settings import Speech, load_settings
from nashra.engines import create_engine, register, unregister
from nashra.engines.choice import expected_engine, fallback_engine
from nashra.stages.estimate import estimate_seconds
from nashra.stages.planner import plan
from tests.fake_engine import FakeEngine
from tests.support import CORPUS, REPO, make_project

SOURCE = REPO / "src" / "nashra"
OWN_ENGINES = ("espeak", "gtts", "piper")


class BriskEngine(FakeEngine):
    """A plugin that speaks twice as fast as a news reader, whatever its options say."""

    name: ClassVar[str] = "brisk"

    def speaking_rate(self) -> float:
        return 520


def test_nashra_plan_estimates_at_the_plugin_engines_own_rate(tmp_path: Path) -> None:
    register(BriskEngine)
    try:
        news = [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"]
        project = make_project(tmp_path / "p", news, engine="brisk")
        result = CliRunner().invoke(cli, ["plan", "--json", "-p", str(project)])
        assert result.exit_code == 0, result.output
        minutes = {a["slug"]: a["estimated_minutes"] for a in json.loads(result.output)["articles"]}
        scripts = {a.article.slug: a.script for a in plan(load_settings(project)).articles}
    finally:
        unregister("brisk")
    assert len(minutes) == 2
    for slug, script in scripts.items():
        assert minutes[slug] == round(estimate_seconds(script, rate=520) / 60, 1)
        assert minutes[slug] < round(estimate_seconds(script, rate=260) / 60, 1)


def test_the_expected_engine_is_found_without_a_request() -> None:
    configured = expected_engine(Speech(engine="fake"))
    assert configured is not None and configured.name == "fake"
    # `auto`: the first engine that can run here, a network one taken to answer.
    chosen = expected_engine(Speech())
    assert chosen is not None and chosen.needs_network


def test_the_fallback_is_none_when_unset_or_the_same_engine() -> None:
    first = create_engine("fake")
    assert fallback_engine(Speech(engine="fake"), first) is None
    assert fallback_engine(Speech(engine="fake", fallback="fake"), first) is None
    register(BriskEngine)
    try:
        fallback = fallback_engine(Speech(engine="fake", fallback="brisk"), first)
    finally:
        unregister("brisk")
    assert isinstance(fallback, BriskEngine)


def _python_files() -> Iterator[Path]:
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).parts
        if parts[0] == "engines" and parts[1] in OWN_ENGINES:
            continue  # an engine's own package names it freely
        yield path


def _namings(path: Path) -> list[str]:
    """Where `path`'s code (not its docstrings or messages) names one of nashra's engines."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and node.value in OWN_ENGINES:
            found.append(f"line {node.lineno}: {node.value!r}")
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        else:
            continue
        for module in modules:
            if any(module.startswith(f"nashra.engines.{e}") for e in OWN_ENGINES):
                found.append(f"line {node.lineno}: imports {module}")
    return found


def test_nothing_outside_an_engines_package_names_that_engine() -> None:
    allowed = {
        # The registry's own entry points, for a source tree run without being installed.
        "engines/__init__.py",
        # `nashra voices`, the thin command over Piper's voice library.
        "cli/voices.py",
    }
    named = {}
    for path in _python_files():
        relative = path.relative_to(SOURCE).as_posix()
        if relative not in allowed and (found := _namings(path)):
            named[relative] = found
    assert named == {}
