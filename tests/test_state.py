import json
import shutil
import sqlite3
from contextlib import closing
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from nashra.core.errors import UsageError
from nashra.core.model import Chapter, Cue, EpisodeRecord
from nashra.storage.state import BuildState, Details, encode
from tests.support import DATA

OLD_STATE = DATA / "state-v1.json"
"""A state.json written by nashra before the database, by a real build of two articles."""


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
        cues=(Cue(0.0, 1.5, "جملة أولى."), Cue(1.8, 3.0, "جملة ثانية.")),
    )


def test_round_trip(tmp_path: Path) -> None:
    state = BuildState(podcast_guid="p", episodes={"b": record("b"), "a": record("a")})
    path = tmp_path / "state.sqlite"
    state.save(path)
    again = BuildState.load(path)
    assert again == state
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        rows = db.execute("SELECT slug, guid, first_published FROM episodes ORDER BY slug")
        assert rows.fetchall() == [
            ("a", "g-a", "2026-11-01T10:00:00+00:00"),
            ("b", "g-b", "2026-11-01T10:00:00+00:00"),
        ]


def test_changes_and_removals_are_saved(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    BuildState(podcast_guid="p", episodes={"a": record("a"), "b": record("b")}).save(path)
    state = BuildState.load(path)
    state.episodes["a"] = replace(state.episodes["a"], title="عنوان جديد")
    del state.episodes["b"]
    state.put(path, record("c"))
    state.save(path)
    again = BuildState.load(path)
    assert sorted(again.episodes) == ["a", "c"]
    assert again.episodes["a"].title == "عنوان جديد"


def test_missing_file_is_empty_state(tmp_path: Path) -> None:
    assert BuildState.load(tmp_path / "state.sqlite") == BuildState()
    assert BuildState.open(tmp_path / "state.sqlite") == BuildState()


def test_corrupt_state_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"not a database, but a file someone overwrote" * 100)
    with pytest.raises(UsageError, match=r"state.sqlite: .*first-publication dates"):
        BuildState.load(path)


def test_corrupt_old_state_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match=r"state.json: .*first-publication dates"):
        BuildState.open(tmp_path / "state.sqlite")
    assert not (tmp_path / "state.sqlite").exists()


def test_an_old_state_json_migrates_once_losing_nothing(tmp_path: Path) -> None:
    shutil.copy(OLD_STATE, tmp_path / "state.json")
    path = tmp_path / "state.sqlite"
    old = json.loads(OLD_STATE.read_text(encoding="utf-8"))
    # Readers (check, serve, plan) see the old state without migrating it.
    assert sorted(BuildState.load(path).episodes) == sorted(old["episodes"])
    assert not path.exists()
    state = BuildState.open(path)
    assert not (tmp_path / "state.json").exists()
    kept = tmp_path / "state.json.migrated"
    assert kept.read_bytes() == OLD_STATE.read_bytes()
    again = BuildState.load(path)
    assert again == state
    assert again.podcast_guid == old["podcast_guid"]
    for slug, data in old["episodes"].items():
        migrated = again.episodes[slug]
        assert migrated.guid == data["guid"]
        assert migrated.first_published == data["first_published"]
        assert migrated.pub_date == data["pub_date"]
        # The transcript is kept apart from the record, every cue as it was.
        cues = Details(path).cues(migrated)
        assert [c.text for c in cues] == [c["text"] for c in data["cues"]]
        # Every field, as the JSON had it.
        # So is the description.
        description = Details(path).described(migrated).description
        assert not any(c.words for c in cues)  # a state from before word timings has none
        old_cues = [{k: v for k, v in asdict(c).items() if k != "words"} for c in cues]
        row = {**json.loads(encode(migrated)), "cues": old_cues}
        assert {**row, "description": description} == {**data, "has_cues": True}
    # Once: a state.json that reappears (an old nashra run by mistake) is not read again.
    shutil.copy(OLD_STATE, tmp_path / "state.json")
    (tmp_path / "state.json").write_text('{"version": 1, "episodes": {}}', encoding="utf-8")
    assert BuildState.open(path) == state


def wal_growth(path: Path, change: object) -> int:
    """Bytes the write-ahead log grows by while `change()` runs, after a checkpoint."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = path.with_name(path.name + "-wal")
    before = wal.stat().st_size if wal.exists() else 0
    change()  # type: ignore[operator]
    return (wal.stat().st_size if wal.exists() else 0) - before


@pytest.mark.parametrize("archive", [20, 2000])
def test_recording_an_episode_writes_one_row_not_the_archive(tmp_path: Path, archive: int) -> None:
    path = tmp_path / "state.sqlite"
    episodes = {f"e{n:05d}": record(f"e{n:05d}") for n in range(archive)}
    BuildState(podcast_guid="p", episodes=episodes).save(path)
    state = BuildState.load(path)
    row = len(encode(record("new")).encode())
    # A write touches a few pages whatever the archive's size: in each of the records'
    # and texts' trees the row's leaf (and on a split its parent and sibling) and the
    # root, and the settings table's page.
    few_pages = 8 * (4096 + 24) + row
    grown = wal_growth(path, lambda: state.put(path, record("new")))
    assert 0 < grown <= few_pages
    # A save with nothing changed writes nothing at all.
    assert wal_growth(path, lambda: state.save(path)) == 0
    state.episodes["e00001"] = replace(state.episodes["e00001"], title="تغير")
    assert 0 < wal_growth(path, lambda: state.save(path)) <= few_pages


def test_a_project_built_before_the_database_keeps_its_dates_and_guids(tmp_path: Path) -> None:
    from nashra.config.settings import load_settings
    from nashra.stages.builder import build
    from tests.support import CORPUS, make_project

    project = make_project(
        tmp_path / "podcast",
        [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"],
    )
    (project / ".nashra").mkdir()
    shutil.copy(OLD_STATE, project / ".nashra" / "state.json")
    old = json.loads(OLD_STATE.read_text(encoding="utf-8"))
    report = build(load_settings(project), jobs=1)
    assert report.ok
    state = BuildState.load(project / ".nashra" / "state.sqlite")
    assert state.podcast_guid == old["podcast_guid"]
    for slug, data in old["episodes"].items():
        assert state.episodes[slug].guid == data["guid"]
        assert state.episodes[slug].first_published == data["first_published"]
    feed = (project / "output" / "feed.xml").read_text(encoding="utf-8")
    assert all(data["guid"] in feed for data in old["episodes"].values())
    assert (project / ".nashra" / "state.json.migrated").is_file()


def test_guids_by_file_from_the_database_and_from_an_old_state(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    BuildState(podcast_guid="p", episodes={"a": record("a"), "b": record("b")}).save(path)
    assert BuildState.guids_by_file(path) == {"episodes/a.mp3": "g-a", "episodes/b.mp3": "g-b"}
    old = tmp_path / "old"
    old.mkdir()
    shutil.copy(OLD_STATE, old / "state.json")
    data = json.loads(OLD_STATE.read_text(encoding="utf-8"))["episodes"]
    assert BuildState.guids_by_file(old / "state.sqlite") == {
        r["file"]: r["guid"] for r in data.values()
    }


# ---------------------------------------------------------------- transcripts apart


def test_records_are_kept_in_memory_without_their_transcripts(tmp_path: Path) -> None:
    """An archive's transcripts are two thirds of its records: a build holds none of them."""
    path = tmp_path / "state.sqlite"
    state = BuildState(podcast_guid="p", episodes={"a": record("a")})
    state.save(path)
    state.put(path, record("b"))
    for held in (state.episodes, BuildState.load(path).episodes, BuildState.open(path).episodes):
        assert all(r.cues == () and r.has_cues for r in held.values())
        # Nor their descriptions, half of what is left of a record.
        assert all(r.description is None for r in held.values())
    with Details(path) as details:
        for slug in ("a", "b"):
            assert details.cues(state.episodes[slug]) == record(slug).cues
            assert details.described(state.episodes[slug]) == replace(record(slug), cues=())
    # A record without a transcript stays without one.
    state.put(path, replace(record("c"), cues=(), has_cues=False))
    again = BuildState.load(path).episodes["c"]
    assert not again.has_cues and Details(path).cues(again) == ()


def test_a_changed_record_keeps_its_transcript(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    BuildState(podcast_guid="p", episodes={"a": record("a")}).save(path)
    state = BuildState.open(path)
    state.episodes["a"] = replace(state.episodes["a"], link="https://example.com/a")
    state.save(path)
    again = BuildState.load(path).episodes["a"]
    assert again.link == "https://example.com/a"
    assert Details(path).cues(again) == record("a").cues


def test_transcripts_of_older_versions_go_only_when_pruned(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    BuildState(podcast_guid="p", episodes={"a": record("a")}).save(path)
    state = BuildState.open(path)
    old = state.episodes["a"]
    new = replace(
        record("a"), file="episodes/a-v2.mp3", cues=(Cue(0.0, 1.0, "جديد"),), description="جديد"
    )
    state.put(path, new)
    state.save(path)
    new_text = Details(path).described(state.episodes["a"]).description
    assert new_text == new.description
    # An interrupted build puts the old record back (`withdraw`): its transcript and its
    # description are there, not the new version's.
    assert Details(path).cues(old) == record("a").cues
    assert Details(path).described(old).description == record("a").description
    assert BuildState.prune_details(path) == 1
    assert Details(path).cues(old) == ()
    assert Details(path).cues(state.episodes["a"]) == new.cues
    # With nothing to forget, pruning writes nothing.
    assert wal_growth(path, lambda: BuildState.prune_details(path)) == 0


def version_1_database(path: Path, episodes: dict[str, EpisodeRecord], generation: int) -> None:
    """A database as nashra wrote it before transcripts were kept apart."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE episodes (slug TEXT PRIMARY KEY, guid TEXT NOT NULL, "
            "first_published TEXT NOT NULL, file TEXT NOT NULL, record TEXT NOT NULL, "
            "generation INTEGER NOT NULL)"
        )
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("version", "1"), ("podcast_guid", "p"), ("generation", str(generation))],
        )
        for r in episodes.values():
            row = {k: v for k, v in asdict(r).items() if k != "has_cues"}
            db.execute(
                "INSERT INTO episodes VALUES (?, ?, ?, ?, ?, ?)",
                (r.slug, r.guid, r.first_published, r.file, json.dumps(row), generation),
            )


def test_a_version_1_database_is_read_then_migrated_once_losing_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    old = {"a": record("a"), "b": replace(record("b"), cues=(), has_cues=False, guid="g-other")}
    version_1_database(path, old, generation=7)
    # Readers (check, serve) read it as it is, transcripts included.
    loaded = BuildState.load(path)
    assert loaded.episodes == {slug: replace(r, cues=()) for slug, r in old.items()}
    assert Details(path).cues(loaded.episodes["a"]) == old["a"].cues
    # A build migrates it: the records as they were, the transcripts and descriptions
    # apart, the generations kept (the pages rendered from the records need not be
    # rendered again).
    state = BuildState.open(path)
    assert state.episodes == {slug: r.kept() for slug, r in old.items()}
    with Details(path) as details:
        assert {s: details.described(r) for s, r in state.episodes.items()} == loaded.episodes
    assert state.podcast_guid == "p"
    assert BuildState.generations(path) == (7, {"a": 7, "b": 7})
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == ("3",)
        texts = db.execute("SELECT file, cues != '[]', description FROM texts ORDER BY file")
        assert texts.fetchall() == [("episodes/a.mp3", 1, "وصف"), ("episodes/b.mp3", 0, "وصف")]
        assert all('"description"' not in r for (r,) in db.execute("SELECT record FROM episodes"))
        assert all('"cues"' not in text for (text,) in db.execute("SELECT record FROM episodes"))
    assert Details(path).cues(state.episodes["a"]) == old["a"].cues
    assert not state.episodes["b"].has_cues
    assert BuildState.open(path) == state


def test_a_version_2_database_gets_its_descriptions_moved_once(tmp_path: Path) -> None:
    """Version 2 kept transcripts apart but descriptions in the records."""
    path = tmp_path / "state.sqlite"
    old = {"a": record("a"), "b": replace(record("b"), description="")}
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE episodes (slug TEXT PRIMARY KEY, guid TEXT NOT NULL, "
            "first_published TEXT NOT NULL, file TEXT NOT NULL, record TEXT NOT NULL, "
            "generation INTEGER NOT NULL);"
            "CREATE TABLE transcripts (file TEXT PRIMARY KEY, cues TEXT NOT NULL);"
        )
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("version", "2"), ("podcast_guid", "p"), ("generation", "3")],
        )
        for r in old.values():
            row = {k: v for k, v in asdict(r).items() if k != "cues"}
            db.execute(
                "INSERT INTO episodes VALUES (?, ?, ?, ?, ?, ?)",
                (r.slug, r.guid, r.first_published, r.file, json.dumps(row), 3),
            )
            db.execute(
                "INSERT INTO transcripts VALUES (?, ?)",
                (r.file, json.dumps([[c.start, c.end, c.text] for c in r.cues])),
            )
    assert BuildState.load(path).episodes["a"].description == "وصف"
    state = BuildState.open(path)
    assert state.episodes == {slug: r.kept() for slug, r in old.items()}
    with Details(path) as details:
        for slug, r in old.items():
            assert details.described(state.episodes[slug]) == replace(r, cues=())
            assert details.cues(state.episodes[slug]) == r.cues
    assert BuildState.generations(path) == (3, {"a": 3, "b": 3})
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == ("3",)
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert "transcripts" not in tables and "texts" in tables
        assert all('"description"' not in r for (r,) in db.execute("SELECT record FROM episodes"))


def test_a_record_given_its_description_back_keeps_its_transcript(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    BuildState(podcast_guid="p", episodes={"a": record("a")}).save(path)
    state = BuildState.open(path)
    with Details(path) as details:
        whole = details.described(state.episodes["a"])
    state.put(path, replace(whole, title="عنوان آخر", description="وصف آخر"))
    again = BuildState.load(path).episodes["a"]
    assert again.title == "عنوان آخر"
    with Details(path) as details:
        assert details.described(again).description == "وصف آخر"
        assert details.cues(again) == record("a").cues
