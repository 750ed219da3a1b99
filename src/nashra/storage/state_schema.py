"""The build state's tables and rows, and the move from one version of them to the next.

Version 1 kept each episode's transcript inside its record's JSON; version 2
kept it in `transcripts`, one row per MP3, so reading the records (every build
does) no longer reads, decodes and holds every transcript of the archive.
Version 3 keeps each episode's description apart too: the table, now `texts`,
holds an MP3's transcript and description in one row (one row, not a table
each, so recording an episode writes one table's pages fewer). The description
is half of what is left of a record, and a build shows only a few (the feed's
newest, the pages it renders again).

The texts are keyed by the MP3, not the episode: an MP3 was made from one
version of its article, whose lead (the description) and transcript it carries
in its tags and companions, so an interrupted build that puts an older record
back finds that version's texts (see `nashra.core.interrupt.withdraw`).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict, fields, replace
from typing import Any

from nashra.core.model import Chapter, Cue, EpisodeRecord, WordTime

STATE_VERSION = 3
"""The database's version: 2 keeps transcripts apart from the records, 3 descriptions too."""
TEXTS = "texts"
"""The table of each MP3's transcript and description (version 3 on)."""
TRANSCRIPTS = "transcripts"
"""The table of each MP3's transcript in version 2."""
VERSIONS = ("1", "2", "3")
"""The versions this nashra reads (a version 1 database is migrated by the first build)."""
JSON_VERSION = 1
"""The version of the state nashra kept as one JSON file before the database."""

_TEXTS_TABLE = (
    "CREATE TABLE IF NOT EXISTS texts (file TEXT PRIMARY KEY, cues TEXT NOT NULL, description TEXT)"
)
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS episodes (
    slug TEXT PRIMARY KEY,
    guid TEXT NOT NULL,
    first_published TEXT NOT NULL,
    file TEXT NOT NULL,
    record TEXT NOT NULL,
    generation INTEGER NOT NULL
);
{_TEXTS_TABLE};
"""
_BATCH = 500
"""Rows migrated at a time: the archive's records are never all in memory."""


def encode(record: EpisodeRecord) -> str:
    """One episode's row: its record as compact JSON (readable with any SQLite tool),
    without its transcript and description (see `encode_cues`)."""
    data: dict[str, Any] = {f.name: getattr(record, f.name) for f in fields(record)}
    del data["cues"], data["description"]
    if not record.has_words:
        del data["has_words"]  # as rows were before word timings: unchanged rows stay so
    data["chapters"] = [asdict(c) for c in record.chapters]
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode_cues(cues: tuple[Cue, ...]) -> str:
    """A transcript's row: `[start, end, text]` per cue, and `[start, end, text, words]`
    for a cue with word timings, each word `[start, end, text]`."""
    return json.dumps(
        [
            [c.start, c.end, c.text, [[w.start, w.end, w.text] for w in c.words]]
            if c.words
            else [c.start, c.end, c.text]
            for c in cues
        ],
        ensure_ascii=False,
    )


def decode_cues(text: str) -> tuple[Cue, ...]:
    """The cues of a transcript's row (rows written before word timings have three fields)."""
    return tuple(
        Cue(
            float(row[0]),
            float(row[1]),
            str(row[2]),
            tuple(WordTime(float(s), float(e), str(w)) for s, e, w in row[3])
            if len(row) > 3
            else (),
        )
        for row in json.loads(text)
    )


def decode(text: str) -> EpisodeRecord:
    """A record from its row, without its transcript (a version 1 row's is dropped) and,
    from version 3 on, without its description (an older row's is kept)."""
    data = json.loads(text)
    cues = data.pop("cues", ())
    data.setdefault("has_cues", bool(cues))
    data.setdefault("description", None)
    # The same few engines and voices name every episode of an archive: held once.
    for key in ("engine", "voice_id", "author"):
        if isinstance(data.get(key), str):
            data[key] = sys.intern(data[key])
    record = EpisodeRecord.from_json(data)
    if any(c.title == record.title and c.title is not record.title for c in record.chapters):
        # The first chapter is mostly the episode's title: one string, not two.
        chapters = tuple(
            Chapter(c.start, record.title) if c.title == record.title else c
            for c in record.chapters
        )
        record = replace(record, chapters=chapters)
    return record


def migrate(db: sqlite3.Connection) -> int:
    """Move an older database's transcripts (version 1) and descriptions (versions 1
    and 2) out of its records into `texts`, in one transaction; return how many
    records were rewritten. The rows keep their generations: nothing they render changed.
    """
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    slugs = [slug for (slug,) in db.execute("SELECT slug FROM episodes ORDER BY slug")]
    with db:
        if TRANSCRIPTS in tables:  # version 2: its transcripts become the texts
            db.execute(f"ALTER TABLE {TRANSCRIPTS} RENAME TO {TEXTS}")
            db.execute(f"ALTER TABLE {TEXTS} ADD COLUMN description TEXT")
        else:
            db.execute(_TEXTS_TABLE)
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
                # A version 2 row's transcript is in its texts row already.
                db.execute(
                    "INSERT INTO texts (file, cues, description) VALUES (?, ?, ?) "
                    "ON CONFLICT (file) DO UPDATE SET description = excluded.description",
                    (record.file, encode_cues(record.cues), record.description or ""),
                )
                db.execute("UPDATE episodes SET record = ? WHERE slug = ?", (encode(record), slug))
    return len(slugs)
