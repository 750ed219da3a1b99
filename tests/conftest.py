"""Shared fixtures: podcast projects built in tmp_path from the repository's own sample."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from nashra.config.settings import deprecated_speech_keys
from nashra.engines import register
from tests.fake_engine import FakeEngine

pytest_plugins = ["tests.rclone_servers", "tests.assertion_count"]
"""The rclone servers' fixtures (`env`, `s3`, `sftp`) for the publishing tests, and the count
of assertions that fails a session in which a test passed without checking anything."""

# The fake engine comes in through the same door as a plugin: most pipeline tests
# voice with it, and a smaller set of end-to-end tests with the real engines.
register(FakeEngine)

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"


def make_project(
    root: Path, articles: list[Path], *, engine: str = "fake", **speech: object
) -> Path:
    """A project at `root` with the sample podcast.toml and copies of `articles`.

    `speech` sets more speech keys, replacing the sample's value where it has one:
    `fallback` in `[speech]`, and `<engine>_<key>` (`gtts_packing`, `espeak_rate`)
    as `<key>` in the engine's own table `[speech.<engine>]`.
    """
    root.mkdir(parents=True, exist_ok=True)
    text = (REPO / "podcast.toml").read_text(encoding="utf-8")
    text = text.replace('engine = "auto"', f'engine = "{engine}"')
    for name, value in speech.items():
        if name in (deprecated := deprecated_speech_keys()):
            table, key = deprecated[name]
            text = set_key(text, f"speech.{table}", key, value)
        else:
            text = set_key(text, "speech", name, value)
    (root / "podcast.toml").write_text(text, encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    for article in articles:
        shutil.copy(article, root / "articles" / article.name)
    return root


def set_key(text: str, table: str, key: str, value: object) -> str:
    """`text` (TOML) with `key = value` in `[table]`, the table added when missing."""
    line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
    header = f"[{table}]\n"
    if header not in text:
        return f"{text.rstrip()}\n\n{header}{line}\n"
    start = text.index(header) + len(header)
    end = text.find("\n[", start)
    end = len(text) if end < 0 else end + 1
    body, found = re.subn(rf"(?m)^{re.escape(key)} = .*$", line, text[start:end])
    if not found:
        body = f"{line}\n{body}"
    return text[:start] + body + text[end:]


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
