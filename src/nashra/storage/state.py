"""The build state: what has been published, recorded durably between builds.

`.nashra/state.sqlite` remembers, per episode, when it was first published (its
pubDate never changes afterwards), its GUID, which engine voiced it, and the
hash of everything that shaped its audio. The feed is rendered from this record
alone, so an article that fails to build keeps its previously published episode.

It is an SQLite database (the standard library's, in WAL mode) with one row per
episode, so a build writes only the rows that changed: recording one finished
episode costs one row, not the whole archive. A project built by an older
nashra has `.nashra/state.json` instead; the first build migrates it, every
record as it was, and keeps the JSON beside it as `state.json.migrated`.

Transcripts and descriptions are kept apart from the records, in one row per MP3
(`texts`): they are most of a record's bytes, and only the
pages, companions and feed entries a build writes need them, so a build of an
archive does not hold them all in memory (see `Details`). Older databases kept
them in the records; the first build moves them out (`state_schema`).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from nashra.core.errors import UsageError
from nashra.core.model import Cue, EpisodeRecord
from nashra.storage import paths
from nashra.storage.state_schema import (
    JSON_VERSION,
    SCHEMA,
    STATE_VERSION,
    TEXTS,
    TRANSCRIPTS,
    VERSIONS,
    decode,
    decode_cues,
    encode,
    encode_cues,
    migrate,
)

log = logging.getLogger(__name__)

__all__ = ["STATE_VERSION", "BuildState", "Details", "encode"]

MIGRATED_SUFFIX = ".migrated"


@dataclass
class BuildState:
    podcast_guid: str | None = None
    episodes: dict[str, EpisodeRecord] = field(default_factory=dict)
    retired: dict[str, str] = field(default_factory=dict)
    """The first publication dates of episodes whose articles went (by slug): an
    article that comes back is published under its first date again."""
    _saved: dict[str, EpisodeRecord] = field(default_factory=dict, repr=False, compare=False)
    _saved_guid: str | None = field(default=None, repr=False, compare=False)
    _generation: int | None = field(default=None, repr=False, compare=False)
    _db: sqlite3.Connection | None = field(default=None, repr=False, compare=False)
    _db_path: Path | None = field(default=None, repr=False, compare=False)
    """The generation this object's writes are recorded under: one per build."""

    @classmethod
    def load(cls, path: Path) -> BuildState:
        """The state in `path` (read only); an older project's `state.json` if not migrated yet."""
        if not path.exists():
            legacy = path.with_name(paths.LEGACY_STATE_FILE)
            return _load_json(legacy) if legacy.exists() else cls()
        try:
            with closing(_connect(path)) as db:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
                if meta.get("version") not in VERSIONS:
                    raise ValueError(f"unknown state version {meta.get('version')!r}")
                episodes = {}
                # Row by row: an archive's rows, held at once, are most of a build's memory.
                for (text,) in db.execute("SELECT record FROM episodes"):
                    record = decode(text)
                    episodes[record.slug] = record
                retired = _retired(db)
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            raise _unreadable(path, exc) from exc
        state = cls(podcast_guid=meta.get("podcast_guid"), episodes=episodes, retired=retired)
        state._mark_saved()
        return state

    @classmethod
    def open(cls, path: Path) -> BuildState:
        """The state to build with: `load`, migrating an older project's `state.json` once.

        The JSON's records go into the database in one transaction; only after it
        is committed is the JSON renamed, so a build killed halfway migrates again.
        """
        legacy = path.with_name(paths.LEGACY_STATE_FILE)
        if path.exists() or not legacy.exists():
            if path.exists() and _version(path) not in (str(STATE_VERSION), None):
                _connect(path, create=True).close()  # which migrates it
            return cls.load(path)
        state = _load_json(legacy)
        state.save(path)
        state.close()
        legacy.replace(legacy.with_name(paths.LEGACY_STATE_FILE + MIGRATED_SUFFIX))
        log.warning(
            "migrated the build state (%d episodes) from %s to %s; the JSON is kept as %s%s",
            len(state.episodes),
            legacy.name,
            path.name,
            paths.LEGACY_STATE_FILE,
            MIGRATED_SUFFIX,
        )
        return cls.load(path)

    def save(self, path: Path) -> None:
        """Write what changed since the state was loaded or last saved, in one transaction."""
        changed = [
            record
            for slug, record in self.episodes.items()
            if self._saved.get(slug) is not record and self._saved.get(slug) != record
        ]
        gone = [slug for slug in self._saved if slug not in self.episodes]
        if not changed and not gone and self.podcast_guid == self._saved_guid and path.exists():
            return  # a build that changed nothing writes (and flushes) nothing
        self._write(path, changed, gone)
        # What is kept in memory leaves the transcripts and descriptions in the database.
        for record in changed:
            self.episodes[record.slug] = record.kept()
        self._mark_saved()
        self._generation = None  # the build's writes are done; later ones are another

    def put(self, path: Path, record: EpisodeRecord) -> None:
        """Record one finished episode at once, so a build killed later keeps it.

        The state keeps the record without its transcript and description, which are
        in the database.
        """
        self._write(path, [record], [])
        self.episodes[record.slug] = self._saved[record.slug] = record.kept()

    def _write(self, path: Path, records: Sequence[EpisodeRecord], gone: Iterable[str]) -> None:
        try:
            if self._db is None or self._db_path != path:
                # One connection for the whole build: closing the last connection
                # checkpoints the write-ahead log, which each episode should not pay.
                self._db, self._db_path = _connect(path, create=True), path
            db = self._db
            with db:
                # Each build that writes is a new generation, so what changed since
                # any moment (the last time the pages were rendered) can be asked for.
                generation = self._generation
                if generation is None:
                    (generation,) = db.execute(
                        "SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) + 1 FROM meta "
                        "WHERE key = 'generation'"
                    ).fetchone()
                    db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)",
                        (str(generation),),
                    )
                db.executemany(
                    "INSERT OR REPLACE INTO episodes (slug, guid, first_published, file, record, "
                    "generation) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (r.slug, r.guid, r.first_published, r.file, encode(r), generation)
                        for r in records
                    ],
                )
                # Texts belong to one MP3, and a new version of an episode has a new MP3:
                # the old version's stay until `prune_details`, for `withdraw`. A record
                # loaded from the state (without its texts) leaves its MP3's as they are,
                # and one given its description back (`Details.described`) its transcript.
                db.executemany(
                    "INSERT INTO texts (file, cues, description) "
                    "VALUES (:file, COALESCE(:cues, '[]'), :description) ON CONFLICT (file) "
                    "DO UPDATE SET cues = COALESCE(:cues, cues), description = :description",
                    [
                        {
                            "file": r.file,
                            "cues": encode_cues(r.cues) if r.cues or not r.has_cues else None,
                            "description": r.description,
                        }
                        for r in records
                        if r.description is not None
                    ],
                )
                gone = list(gone)
                if gone:
                    dates = [(s, self._saved[s].first_published) for s in gone if s in self._saved]
                    db.execute(_RETIRED)
                    db.executemany(
                        "INSERT OR REPLACE INTO retired (slug, first_published) VALUES (?, ?)",
                        dates,
                    )
                    self.retired.update(dates)
                db.executemany("DELETE FROM episodes WHERE slug = ?", [(s,) for s in gone])
                if self.podcast_guid is not None and self.podcast_guid != self._saved_guid:
                    db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('podcast_guid', ?)",
                        (self.podcast_guid,),
                    )
        except sqlite3.Error as exc:
            raise UsageError(f"{path}: cannot write the build state ({exc})") from exc
        self._saved_guid = self.podcast_guid
        self._generation = generation

    def close(self) -> None:
        """Close the connection writes go through (also done when the state is collected)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _mark_saved(self) -> None:
        self._saved = dict(self.episodes)
        self._saved_guid = self.podcast_guid

    @staticmethod
    def generations(path: Path) -> tuple[int, dict[str, int]]:
        """The state's current generation, and the generation each episode was written in."""
        if not path.exists():
            return 0, {}
        try:
            with closing(_connect(path)) as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
                rows = db.execute("SELECT slug, generation FROM episodes").fetchall()
        except sqlite3.Error as exc:
            raise _unreadable(path, exc) from exc
        return int(row[0]) if row else 0, dict(rows)

    @staticmethod
    def guids_by_file(path: Path) -> dict[str, str]:
        """Each published episode's GUID by its MP3 (relative to `output/`), without
        reading the whole records."""
        if not path.exists():
            return {r.file: r.guid for r in BuildState.load(path).episodes.values()}
        try:
            with closing(_connect(path)) as db:
                return dict(db.execute("SELECT file, guid FROM episodes").fetchall())
        except sqlite3.Error as exc:
            raise _unreadable(path, exc) from exc

    @staticmethod
    def prune_details(path: Path) -> int:
        """Forget the transcripts and descriptions of MP3s no record names (older
        versions, removed articles); called once the feed naming the new ones is out.
        Return how many rows went; writes nothing when there are none."""
        if not path.exists():
            return 0
        orphans = f"FROM {TEXTS} WHERE file NOT IN (SELECT file FROM episodes)"
        try:
            with closing(_connect(path)) as db:
                if db.execute(f"SELECT 1 {orphans} LIMIT 1").fetchone() is None:
                    return 0
            with closing(_connect(path, create=True)) as db, db:
                return db.execute(f"DELETE {orphans}").rowcount
        except sqlite3.Error as exc:
            raise UsageError(f"{path}: cannot write the build state ({exc})") from exc

    @staticmethod
    def modified(path: Path) -> float | None:
        """When the state last changed (its write-ahead log included), or None if never built."""
        times = []
        for candidate in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(paths.LEGACY_STATE_FILE),
        ):
            try:
                times.append(candidate.stat().st_mtime)
            except OSError:
                continue
        return max(times) if times else None


class Details:
    """Episodes' transcripts and descriptions, read from the build state as they are
    needed, through one read-only connection (`close` it, or use it in a `with`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._table: str | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = _connect(self.path)
            names = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master")}
            # Version 3 (`texts`), 2 (`transcripts`), else 1 (transcripts in the records).
            self._table = next((t for t in (TEXTS, TRANSCRIPTS) if t in names), None)
        return self._db

    def described(self, record: EpisodeRecord) -> EpisodeRecord:
        """The record with its description: its own, else the state's for its MP3.
        (Only records of version 3 come without one.)"""
        if record.description is not None:
            return record
        try:
            query = f"SELECT description FROM {TEXTS} WHERE file = ?"
            row = self._connection().execute(query, (record.file,)).fetchone()
        except sqlite3.Error as exc:
            raise _unreadable(self.path, exc) from exc
        if row is None or row[0] is None:
            log.warning("%s: no description kept for %s", self.path, record.file)
        return replace(record, description=row[0] if row and row[0] is not None else "")

    def cues(self, record: EpisodeRecord) -> tuple[Cue, ...]:
        """The record's cues: its own, else the state's for its MP3 (none if it has none)."""
        if record.cues or not record.has_cues or not self.path.exists():
            return record.cues
        try:
            db = self._connection()
            if self._table is not None:
                query = f"SELECT cues FROM {self._table} WHERE file = ?"
                row = db.execute(query, (record.file,)).fetchone()
                return decode_cues(row[0]) if row else ()
            # A database of version 1, not migrated yet, keeps them in the records.
            query = "SELECT record FROM episodes WHERE file = ?"
            row = db.execute(query, (record.file,)).fetchone()
        except (sqlite3.Error, ValueError, TypeError) as exc:
            raise _unreadable(self.path, exc) from exc
        return EpisodeRecord.from_json(json.loads(row[0])).cues if row else ()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Details:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_RETIRED = (
    "CREATE TABLE IF NOT EXISTS retired (slug TEXT PRIMARY KEY, first_published TEXT NOT NULL)"
)
"""Made by the first build that removes an episode; older states have none."""


def _retired(db: sqlite3.Connection) -> dict[str, str]:
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'retired'").fetchone() is None:
        return {}
    return dict(db.execute("SELECT slug, first_published FROM retired").fetchall())


def _version(path: Path) -> str | None:
    try:
        with closing(_connect(path)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from exc
    return str(row[0]) if row else None


def _connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not path.exists()
        db = sqlite3.connect(
            path, isolation_level=None if fresh else "DEFERRED", check_same_thread=False
        )
        if fresh:
            # WAL: a commit appends the changed pages, and readers (nashra serve,
            # nashra check) never block the build; FULL keeps each commit on disk.
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)",
                (str(STATE_VERSION),),
            )
            db.isolation_level = "DEFERRED"
        db.execute("PRAGMA synchronous=FULL")
        (version,) = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if version != str(STATE_VERSION):
            moved = migrate(db)
            log.warning(
                "moved the transcripts and descriptions of %d episodes out of the build "
                "state's records",
                moved,
            )
        return db
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _load_json(path: Path) -> BuildState:
    """The state as nashra kept it before the database: one JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != JSON_VERSION:
            raise ValueError(f"unknown state version {data.get('version')!r}")
        episodes = {
            slug: EpisodeRecord.from_json(record) for slug, record in data["episodes"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _unreadable(path, exc) from exc
    return BuildState(podcast_guid=data.get("podcast_guid"), episodes=episodes)


def _unreadable(path: Path, exc: Exception) -> UsageError:
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return UsageError(
        f"{path}: the build state cannot be read ({why}). It records first-publication "
        "dates and GUIDs; restore it from a backup, or delete it to start afresh "
        "(episodes then get new dates)."
    )
