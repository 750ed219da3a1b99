import json
from pathlib import Path

import pytest

from nashra.errors import UsageError
from nashra.model import Chapter, EpisodeRecord
from nashra.state import BuildState


def record(slug: str = "a") -> EpisodeRecord:
    return EpisodeRecord(
        slug=slug,
        source=f"articles/{slug}.txt",
        guid="g-" + slug,
        first_published="2026-11-01T10:00:00+00:00",
        content_key="k",
        engine="espeak",
        voice_id="v",
        file=f"episodes/{slug}.mp3",
        length=12345,
        duration=61.5,
        title="عنوان",
        description="وصف",
        author=None,
        pub_date="2026-11-01T10:00:00+00:00",
        chapters=(Chapter(0.0, "مقدمة"), Chapter(12.25, "قسم")),
    )


def test_round_trip(tmp_path: Path) -> None:
    state = BuildState(podcast_guid="p", episodes={"b": record("b"), "a": record("a")})
    path = tmp_path / "state.json"
    state.save(path)
    again = BuildState.load(path)
    assert again == state
    text = path.read_text(encoding="utf-8")
    assert "عنوان" in text  # readable, not \u escapes
    assert list(json.loads(text)["episodes"]) == ["a", "b"]


def test_missing_file_is_empty_state(tmp_path: Path) -> None:
    assert BuildState.load(tmp_path / "state.json") == BuildState()


def test_corrupt_state_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match="first-publication dates"):
        BuildState.load(path)
