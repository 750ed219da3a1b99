"""Plain helpers the tests share: where the repository and its test data are, podcast
projects built in a folder from the repository's own sample, and the browser tests' screenshots.

Test modules import them from here; conftest.py keeps only fixtures and plugins.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
BROWSER_ARTIFACTS = REPO / "test-artifacts" / "browser"


def make_project(
    root: Path,
    articles: Sequence[Path],
    *,
    engine: str = "fake",
    fallback: str | None = None,
    options: Mapping[str, Mapping[str, object]] | None = None,
) -> Path:
    """A project at `root` with the sample podcast.toml and copies of `articles`.

    `engine` and `fallback` are `[speech]`'s keys; `options` sets keys in the engines' own
    tables, `{"espeak": {"rate": 450}}` as `rate = 450` under `[speech.espeak]`, replacing
    the sample's value where it has one.
    """
    root.mkdir(parents=True, exist_ok=True)
    text = (REPO / "podcast.toml").read_text(encoding="utf-8")
    text = text.replace('engine = "auto"', f'engine = "{engine}"')
    if fallback is not None:
        text = set_key(text, "speech", "fallback", fallback)
    for name, table in (options or {}).items():
        for key, value in table.items():
            text = set_key(text, f"speech.{name}", key, value)
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


def screenshot(tab: Any, name: str, *, full_page: bool = True) -> Path:
    """A Playwright page's screenshot, kept in `test-artifacts/browser/<name>.png`."""
    BROWSER_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = BROWSER_ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    return path
