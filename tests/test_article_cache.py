"""The content cache: no article is read twice, and what matters invalidates it."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from nashra.config.settings import load_settings
from nashra.readers import read_article
from nashra.readers.decoding import arabic_share
from nashra.stages import article_cache
from nashra.stages.article_cache import ScriptReader
from nashra.stages.builder import build
from nashra.stages.script import make_script
from nashra.storage import paths
from nashra.storage.state import BuildState
from nashra.text.lexicon import load_lexicon
from tests.fake_engine import FakeEngine
from tests.support import CORPUS, make_project
from tests.test_cli import run


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The articles the build reads from scratch (rather than from the cache)."""
    reads: list[str] = []

    def counting(path: Path) -> Any:
        reads.append(path.name)
        return read_article(path)

    monkeypatch.setattr(article_cache, "read_article", counting)
    return reads


def project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path / "p",
        [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"],
    )


def test_plan_inputs_come_from_the_cache_until_something_changes(
    tmp_path: Path, counted: list[str]
) -> None:
    root = project(tmp_path)

    def read_all() -> list[str]:
        counted.clear()
        reader = ScriptReader(load_settings(root))
        for path in sorted((root / "articles").iterdir()):
            reader.read(path)
        return sorted(counted)

    assert read_all() == ["03-sabq.txt", "04-alweeam.txt"]
    assert read_all() == []  # both from the cache

    article = root / "articles" / "03-sabq.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nسطر.\n", encoding="utf-8")
    assert read_all() == ["03-sabq.txt"]

    (root / "lexicon.toml").write_text('[words]\n"عدن" = "عَدَن"\n', encoding="utf-8")
    assert read_all() == ["03-sabq.txt", "04-alweeam.txt"]


def test_cached_script_equals_a_fresh_one(tmp_path: Path) -> None:
    root = project(tmp_path)
    settings = load_settings(root)
    lexicon = load_lexicon(root)
    path = root / "articles" / "03-sabq.txt"
    reader = ScriptReader(settings)
    first = reader.read(path)
    again = reader.read(path)
    fresh = read_article(path)
    script = make_script(fresh, settings.audio, lexicon=lexicon)
    assert again[:2] == first[:2] == (fresh, script)
    # The share of Arabic letters is kept with them: all but a few digits and Latin letters.
    assert again[2] == first[2] == arabic_share(" ".join(u.written for u in script.utterances))
    assert 0.9 < first[2] <= 1.0


def test_a_damaged_entry_is_only_a_miss(tmp_path: Path) -> None:
    root = project(tmp_path)
    settings = load_settings(root)
    path = root / "articles" / "03-sabq.txt"
    reader = ScriptReader(settings)
    reader.read(path)
    for entry in (settings.work_dir / "cache" / "articles").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    key = reader.cache.key(path, path.read_bytes())
    assert reader.cache.get(key, path) is None


def test_ignore_cache_reads_every_article_again(tmp_path: Path) -> None:
    settings = load_settings(project(tmp_path))
    first = build(settings)
    assert (first.read_anew, len(first.built)) == (2, 2)
    again = build(settings)
    assert (again.read_anew, len(again.unchanged)) == (0, 2)  # the read memo knew both
    forced = build(settings, ignore_cache=True)
    assert (forced.read_anew, len(forced.unchanged)) == (2, 2)
    assert forced.clips_synthesized == 0


def test_ignore_cache_mends_a_stale_reading_without_voicing_again(tmp_path: Path) -> None:
    # A cached script that the current code would not make (as after an edit that the
    # fingerprint did not see): the cache hides it until a build ignores the cache.
    root = project(tmp_path)
    settings = load_settings(root)
    assert run("build", "-p", str(root))[0] == 0
    state_file = paths.state_file(settings.work_dir)
    made = {s: r.content_key for s, r in BuildState.load(state_file).episodes.items()}

    path = root / "articles" / "03-sabq.txt"
    reader = ScriptReader(settings)
    key = reader.cache.key(path, path.read_bytes())
    cached = reader.cache.get(key, path)
    assert cached is not None
    article, script, share = cached
    stale = replace(script, utterances=script.utterances[:-1])
    reader.cache.put(key, article, stale, share)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    status, out, _ = run("build", "-p", str(root))
    assert status == 0 and "built 1, unchanged 1" in out
    keys = {s: r.content_key for s, r in BuildState.load(state_file).episodes.items()}
    assert keys != made

    FakeEngine.calls.clear()
    status, out, _ = run("build", "-p", str(root), "--ignore-cache")
    assert status == 0 and "built 1, unchanged 1" in out
    assert {s: r.content_key for s, r in BuildState.load(state_file).episodes.items()} == made
    # Every clip of the mended episode was voiced before: none is voiced again.
    assert FakeEngine.calls == []
    assert re.search(r"clips synthesized 0, from cache [1-9]", out)
