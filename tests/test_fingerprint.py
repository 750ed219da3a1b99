"""nashra's fingerprint: every file the package ships, so editing any of them rebuilds
what it changes, and nothing else invalidates the caches."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nashra.storage.fingerprint import digest, fingerprint
from tests.cluster_servers import plugin_packages
from tests.support import REPO, make_project

PACKAGE = REPO / "src" / "nashra"


def package_copy(folder: Path) -> Path:
    """A copy of the package's source as it ships: no bytecode."""
    copy = folder / "nashra"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_editing_any_kind_of_packaged_file_changes_the_fingerprint(tmp_path: Path) -> None:
    package = package_copy(tmp_path)
    files = sorted(p for p in package.rglob("*") if p.is_file())
    kinds: dict[str, Path] = {}
    for path in files:
        kinds.setdefault(path.suffix, path)
    # The kinds the package ships today, all found (a new kind is covered by the walk).
    assert {".py", ".toml", ".json", ".html", ".css", ".js"} <= set(kinds)
    before = digest(package)
    for suffix, path in kinds.items():
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert digest(package) != before, suffix
        path.write_bytes(original)
        # Content, not modification times: the same bytes are the same package.
        assert digest(package) == before, suffix


def test_files_added_or_moved_change_the_fingerprint_and_bytecode_does_not(
    tmp_path: Path,
) -> None:
    package = package_copy(tmp_path)
    before = digest(package)
    (package / "text" / "__pycache__").mkdir()
    (package / "text" / "__pycache__" / "numbers.cpython-313.pyc").write_bytes(b"\0" * 16)
    (package / "stray.pyc").write_bytes(b"\0" * 16)
    assert digest(package) == before
    (package / "text" / "extra.toml").write_text("", encoding="utf-8")
    assert digest(package) != before
    (package / "text" / "extra.toml").unlink()
    (package / "readers" / "sources.toml").rename(package / "sources.toml")
    assert digest(package) != before


def test_the_fingerprint_is_the_installed_package_s_and_kept_for_the_process() -> None:
    assert fingerprint() == digest(PACKAGE) == fingerprint()


def python(src: Path, plugins: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` with the source tree `src` and the fake engine installed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugins), str(src)])}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    )


@pytest.mark.slow
def test_editing_packaged_data_rebuilds_the_episodes_it_changes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    package = package_copy(src)
    plugins = plugin_packages(tmp_path / "plugins")
    root = make_project(tmp_path / "p", [])
    article = root / "articles" / "years.txt"
    article.write_text("خمس سنوات\n\nمضت 5 سنة على الاتفاق.\n", encoding="utf-8")

    def speech() -> str:
        plan = ["plan", "-p", str(root), "--speech", article.name, "--json"]
        shown = python(src, plugins, "-m", "nashra", *plan)
        return json.dumps(json.loads(shown.stdout), ensure_ascii=False)

    runs = python(src, plugins, "-c", "import nashra; print(nashra.__file__)")
    assert runs.stdout.strip() == str(package / "__init__.py")
    first = python(src, plugins, "-m", "nashra", "build", "-p", str(root))
    assert "built 1, unchanged 0" in first.stdout
    assert "مضت خمس سنوات" in speech()

    nouns = package / "text" / "counted_nouns.toml"
    text = nouns.read_text(encoding="utf-8")
    feminine = '"سنة" = ["f", "سنوات", "سنين"]'
    assert feminine in text
    nouns.write_text(text.replace(feminine, feminine.replace('"f"', '"m"')), encoding="utf-8")

    # A masculine noun takes the feminine form of the number: the reading changed.
    assert "مضت خمسة سنوات" in speech()
    again = python(src, plugins, "-m", "nashra", "build", "-p", str(root))
    assert "built 1, unchanged 0" in again.stdout
    assert "clips synthesized 0" not in again.stdout
