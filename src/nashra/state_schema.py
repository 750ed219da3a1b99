"""The build state's tables and rows, and the move from one version of them to the next.

Version 1 kept each episode's transcript inside its record's JSON; version 2
keeps it in `transcripts`, one row per MP3, so reading the records (every
build does) no longer reads, decodes and holds every transcript of the archive.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict, fields
from typing import Any

from nashra.model import Cue, EpisodeRecord

STATE_VERSION = 2
"""The database's version: 2 keeps transcripts apart from the records."""
VERSIONS = ("1", "2")
"""The versions this nashra reads (a version 1 database is migrated by the first build)."""
JSON_VERSION = 1
"""The version of the state nashra kept as one JSON file before the database."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS episodes (
    slug TEXT PRIMARY KEY,
    guid TEXT NOT NULL,
    first_published TEXT NOT NULL,
    file TEXT NOT NULL,
    record TEXT NOT NULL,
    generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS transcripts (file TEXT PRIMARY KEY, cues TEXT NOT NULL);
"""
_TRANSCRIPTS = "CREATE TABLE IF NOT EXISTS transcripts (file TEXT PRIMARY KEY, cues TEXT NOT NULL)"
_BATCH = 500
"""Rows migrated at a time: the archive's records are never all in memory."""


def encode(record: EpisodeRecord) -> str:
    """One episode's row: its record as compact JSON (readable with any SQLite tool),
    without its transcript (see `encode_cues`)."""
    data: dict[str, Any] = {f.name: getattr(record, f.name) for f in fields(record)}
    del data["cues"]
    data["chapters"] = [asdict(c) for c in record.chapters]
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode_cues(cues: tuple[Cue, ...]) -> str:
    """A transcript's row: `[start, end, text]` per cue."""
    return json.dumps([[c.start, c.end, c.text] for c in cues], ensure_ascii=False)


def decode_cues(text: str) -> tuple[Cue, ...]:
    return tuple(Cue(float(start), float(end), str(said)) for start, end, said in json.loads(text))


def decode(text: str) -> EpisodeRecord:
    """A record from its row, without its transcript (a version 1 row's is dropped)."""
    data = json.loads(text)
    cues = data.pop("cues", ())
    data.setdefault("has_cues", bool(cues))
    # The same few engines and voices name every episode of an archive: held once.
    for key in ("engine", "voice_id", "author"):
        if isinstance(data.get(key), str):
            data[key] = sys.intern(data[key])
    return EpisodeRecord.from_json(data)


def migrate(db: sqlite3.Connection) -> int:
    """Move a version 1 database's transcripts out of its records, in one transaction;
    return how many were moved. The rows keep their generations: nothing they render changed.
    """
    db.execute(_TRANSCRIPTS)
    slugs = [slug for (slug,) in db.execute("SELECT slug FROM episodes ORDER BY slug")]
    moved = 0
    with db:
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", (str(STATE_VERSION),)
        )
        for start in range(0, len(slugs), _BATCH):
            batch = slugs[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            rows = db.execute(
                f"SELECT slug, record FROM episodes WHERE slug IN ({marks})", batch
            ).fetchall()
            for slug, text in rows:
                record = EpisodeRecord.from_json(json.loads(text))
                if record.cues:
                    db.execute(
                        "INSERT OR REPLACE INTO transcripts (file, cues) VALUES (?, ?)",
                        (record.file, encode_cues(record.cues)),
                    )
                    moved += 1
                db.execute("UPDATE episodes SET record = ? WHERE slug = ?", (encode(record), slug))
    return moved
