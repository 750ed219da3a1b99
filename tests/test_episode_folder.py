from dataclasses import replace
from pathlib import Path

from nashra.core.model import Chapter, EpisodeRecord
from nashra.storage.episode_folder import EpisodeFolder


def record(slug: str, file: str, **changes: object) -> EpisodeRecord:
    made = EpisodeRecord(
        slug=slug,
        source=f"articles/{slug}.md",
        guid="g",
        first_published="2026-12-01T10:00:00+00:00",
        content_key="k",
        engine="espeak",
        voice_id="v",
        file=file,
        length=1,
        duration=1.0,
        title="عنوان",
        description="",
        author=None,
        pub_date="2026-12-01T10:00:00+00:00",
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def test_the_listing_answers_for_episode_files_only(tmp_path: Path) -> None:
    folder = tmp_path / "episodes"
    folder.mkdir()
    for name in ("a.mp3", "a.png", "a.vtt", "a.html", "notes.txt", "b-v2.chapters.json"):
        (folder / name).write_bytes(b"x")
    (folder / "c.mp3").mkdir()  # not a file
    listing = EpisodeFolder.scan(tmp_path)
    assert "episodes/a.mp3" in listing and "episodes/./a.vtt" in listing
    assert "episodes/b-v2.chapters.json" in listing
    for absent in (
        "episodes/a.jpg",
        "episodes/a.html",
        "episodes/c.mp3",
        "a.mp3",
        "episodes/b.mp3",
    ):
        assert absent not in listing
    assert len(listing) == 4
    assert len(EpisodeFolder.scan(tmp_path / "nowhere")) == 0


def test_collect_removes_what_no_record_names_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "episodes"
    folder.mkdir()
    names = ["a.mp3", "a.png", "a.vtt", "a.srt", "a-v2.mp3", "a-v2.jpg", "a-v2.png", "b.mp3"]
    names += ["b.chapters.json", "b.html", "notes.txt", "gone.mp3", "gone.vtt"]
    for name in names:
        (folder / name).write_bytes(b"x")
    records = [
        # The new version of a: a JPEG cover now, no transcript; its old files go.
        record("a", "episodes/a-v2.mp3", image="episodes/a-v2.jpg"),
        record("b", "episodes/b.mp3", chapters=(Chapter(0.0, "t"),)),
    ]
    assert EpisodeFolder.scan(tmp_path).collect(records) == 7
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["a-v2.jpg", "a-v2.mp3", "b.chapters.json", "b.html", "b.mp3", "notes.txt"]
