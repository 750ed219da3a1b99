"""`[bulletin]` in podcast.toml: bad values are refused with a message naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.core.errors import SettingsError
from tests.bulletins.test_bulletin_build import enable
from tests.support import make_project


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("period", "month", "`bulletin.period` must be `day` or `week`"),
        ("timezone", "Mars/Olympus", "`bulletin.timezone` must be an IANA time zone"),
        ("closes_at", 0, "`bulletin.closes_at` must be an hour between 1 and 24"),
        ("max_articles", -1, "`bulletin.max_articles` must be 0"),
        ("late", "drop", "`bulletin.late` must be `next` or `amend`"),
        ("title", "نشرة {day}", "`bulletin.title` may hold `{date}`"),
        ("enabled", "yes", "bulletin.enabled"),
        ("hijiri", True, "did you mean `bulletin.hijri`?"),
    ],
)
def test_bad_bulletin_settings(tmp_path: Path, key: str, value: object, message: str) -> None:
    project = make_project(tmp_path / "p", [])
    enable(project, **{key: value})
    with pytest.raises(SettingsError, match=r"podcast\.toml") as caught:
        load_settings(project)
    assert message in str(caught.value)


def test_the_bulletin_is_off_by_default(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [])
    toml = project / "podcast.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[: text.index("\n# A bulletin")] + "\n", encoding="utf-8")
    assert not load_settings(project).bulletin.enabled
