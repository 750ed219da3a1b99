"""Shared fixtures: podcast projects built in tmp_path from the repository's own sample."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"


def make_project(
    root: Path, articles: list[Path], *, engine: str = "espeak", **speech: object
) -> Path:
    """A project at `root` with the sample podcast.toml and copies of `articles`.

    `speech` sets more `[speech]` keys (replacing the sample's value where it has one).
    """
    root.mkdir(parents=True, exist_ok=True)
    text = (REPO / "podcast.toml").read_text(encoding="utf-8")
    text = text.replace('engine = "auto"', f'engine = "{engine}"')
    for key, value in speech.items():
        line = f"{key} = {json.dumps(value)}"
        text, found = re.subn(rf"(?m)^{key} = .*$", line, text)
        if not found:
            text = text.replace(f'engine = "{engine}"\n', f'engine = "{engine}"\n{line}\n')
    (root / "podcast.toml").write_text(text, encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    for article in articles:
        shutil.copy(article, root / "articles" / article.name)
    return root


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """Two short real articles: quick to voice, enough to see one change in isolation."""
    return make_project(
        tmp_path / "podcast",
        [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"],
    )


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of the repository's sample podcast: every article in articles/."""
    return make_project(tmp_path / "sample", sorted((REPO / "articles").iterdir()))
