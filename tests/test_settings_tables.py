"""Every table of podcast.toml is read the same way (`nashra.config.tables`): a value of
the wrong type is named with its table and key alike in each, and an engine answers for
its own keys, even the flat `[speech]` keys of earlier releases."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import ClassVar

import pytest

from nashra.config.settings import deprecated_speech_keys, load_settings
from nashra.core.errors import SettingsError
from nashra.engines import register, unregister
from tests.fake_engine import FakeEngine, FakeOptions
from tests.support import make_project, set_key


@pytest.mark.parametrize(
    ("table", "key", "written"),
    [
        ("", "feed_items", "`feed_items`"),
        ("audio", "sample_rate", "`audio.sample_rate`"),
        ("bulletin", "closes_at", "`bulletin.closes_at`"),
        ("build", "max_removed", "`build.max_removed`"),
        ("publish", "max_age", "`publish.max_age`"),
        ("speech.fake", "pitch", "[speech.fake] pitch"),
    ],
)
def test_a_value_of_the_wrong_type_is_named_alike_in_every_table(
    tmp_path: Path, table: str, key: str, written: str
) -> None:
    project = make_project(tmp_path / "p", [])
    toml = project / "podcast.toml"
    text = toml.read_text(encoding="utf-8")
    text = set_key(text, table, key, "many") if table else f'{key} = "many"\n{text}'
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(project)
    assert f"{written} must be a whole number, not str" in str(info.value)
    assert "podcast.toml" in str(info.value)


class Renamed(FakeEngine):
    """A plugin whose `[speech] renamed_pitch` of an earlier release is now
    `[speech.renamed] pitch`."""

    name: ClassVar[str] = "renamed"
    flat_keys: ClassVar[dict[str, str]] = {"renamed_pitch": "pitch"}


def test_a_plugins_flat_keys_of_earlier_releases_are_read_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    register(Renamed)
    try:
        assert deprecated_speech_keys()["renamed_pitch"] == ("renamed", "pitch")
        project = make_project(tmp_path / "p", [], engine="renamed")
        toml = project / "podcast.toml"
        toml.write_text(set_key(toml.read_text("utf-8"), "speech", "renamed_pitch", 330), "utf-8")
        with caplog.at_level(logging.WARNING):
            speech = load_settings(project).speech
    finally:
        unregister("renamed")
    assert speech.options_for("renamed") == FakeOptions(pitch=330)
    assert "`speech.renamed_pitch` is deprecated: write `pitch = 330` under [speech.renamed]" in (
        caplog.text
    )
