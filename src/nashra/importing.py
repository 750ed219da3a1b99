"""`nashra import`: an archive's records into article files, once each.

Two formats are read:

* `saudinewsnet`: the SaudiNewsNet dataset's daily files as published, a
  `YYYY-MM-DD.zip` holding one JSON array (or that `.json` itself), whose
  objects have `source`, `url`, `date_extracted`, `title`, `author` and
  `content`;
* `jsonl`: JSON Lines, one object per line with `title` and `content` (or
  `body`), and optionally `author`, `date` (ISO 8601), `url` and `source`.

Each record becomes `articles/<source>-<key>.md`: Markdown with front matter
(title, author, date, url) and the content's lines as paragraphs. The key is a
hash of the record's URL (of its title and content when it has none), so a
record met again (on another day's file, or on a second run) lands on the same
name and is skipped: an imported article, edited or not, is never overwritten.
Records dated before `backfill_since` are skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from nashra.errors import UsageError, describe_os_error
from nashra.writer import atomic_write, remove_stale_parts

log = logging.getLogger(__name__)

FORMATS = ("saudinewsnet", "jsonl")
SAUDI_TIME = timezone(timedelta(hours=3))
"""SaudiNewsNet's `date_extracted` is the scraper's clock in Saudi Arabia (UTC+3)."""

_SOURCE_RE = re.compile(r"[^a-z0-9]+")
_BLOCK_START = re.compile(r"^(?:#|>|[-*+=_](?:\s|$)|\d{1,9}[.)](?:\s|$)|`{3}|~{3}|[-*_]{3})")


@dataclass(frozen=True)
class Record:
    """One archive article, as plain text."""

    title: str
    content: str
    author: str | None = None
    date: datetime | None = None
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Empty:
    """A record with no title or no text: archives hold some; there is nothing to import."""

    where: str
    problem: str


@dataclass
class Imported:
    written: list[Path] = field(default_factory=list)
    existing: int = 0
    """Records whose article file was already there (imported before, or a duplicate)."""
    too_old: int = 0
    """Records dated before `backfill_since`."""
    empty: list[str] = field(default_factory=list)
    """`file: problem` for each record without a title or text."""
    failed: list[str] = field(default_factory=list)
    """`file: problem` for each record that could not be read."""


def import_files(
    kind: str, files: Iterable[Path], articles_dir: Path, *, since: date | None = None
) -> Imported:
    """Import every record of `files` (read as `kind`) into `articles_dir`."""
    if kind not in FORMATS:
        raise UsageError(f"unknown import format {kind!r}; formats: {', '.join(FORMATS)}")
    articles_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(articles_dir, recursive=False)  # what a killed import left
    result = Imported()
    reader = read_saudinewsnet if kind == "saudinewsnet" else read_jsonl
    # Day files in date order: a record on several days keeps its earliest date.
    for path in sorted(files, key=lambda p: p.name):
        for item in reader(path):
            if isinstance(item, str):
                result.failed.append(item)
                continue
            if isinstance(item, Empty):
                result.empty.append(f"{item.where}: {item.problem}")
                continue
            if since and item.date and item.date.date() < since:
                result.too_old += 1
                continue
            target = articles_dir / file_name(item)
            if target.exists():
                result.existing += 1
                continue
            atomic_write(target, article_text(item).encode("utf-8"), durable=False)
            result.written.append(target)
    return result


def file_name(record: Record) -> str:
    """`<source>-<key>.md`: the same record always gets the same name."""
    identity = record.url or f"{record.title}\n{record.content}"
    key = hashlib.sha256(identity.strip().encode("utf-8")).hexdigest()[:12]
    source = _SOURCE_RE.sub("-", (record.source or "article").lower()).strip("-") or "article"
    return f"{source}-{key}.md"


def article_text(record: Record) -> str:
    """The record as Markdown with front matter (JSON strings are valid YAML scalars)."""
    meta = {"title": record.title, "author": record.author, "url": record.url}
    lines = ["---"]
    for key, value in meta.items():
        if value:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    if record.date:
        lines.append(f"date: {record.date.isoformat()}")
    lines.append("---")
    for paragraph in paragraphs(record.content):
        lines += ["", paragraph]
    return "\n".join(lines) + "\n"


def paragraphs(content: str) -> list[str]:
    """The content's non-empty lines, each one paragraph, kept from reading as Markdown syntax."""
    kept = []
    for line in content.splitlines():
        text = " ".join(line.split())
        if not text:
            continue
        if _BLOCK_START.match(text):
            # A leading `-`, `#` or `1.` is the article's text, not a list or heading.
            text = "\u200f" + text
        kept.append(text)
    return kept


# ---------------------------------------------------------------- readers


def read_saudinewsnet(path: Path) -> Iterator[Record | Empty | str]:
    """Records of one SaudiNewsNet day file (`.zip` or `.json`), or `file: problem` strings."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".json")]
                if not names:
                    yield f"{path}: the zip holds no .json file"
                    return
                blobs = [(f"{path}:{name}", archive.read(name)) for name in names]
        else:
            blobs = [(str(path), path.read_bytes())]
    except zipfile.BadZipFile:
        yield f"{path}: not a zip file"
        return
    except OSError as exc:
        yield describe_os_error(exc)
        return
    for where, blob in blobs:
        try:
            items = json.loads(blob.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            yield f"{where}: not JSON ({exc})"
            continue
        if not isinstance(items, list):
            yield f"{where}: expected a JSON array of articles, got {type(items).__name__}"
            continue
        for number, item in enumerate(items, 1):
            yield _saudinewsnet_record(f"{where} article {number}", item)


def _saudinewsnet_record(where: str, item: Any) -> Record | Empty | str:
    if not isinstance(item, dict):
        return f"{where}: not an object"
    problem = _missing(item, ("title", "content"))
    if problem:
        return Empty(where, problem) if problem.endswith("empty") else f"{where}: {problem}"
    when = None
    stamp = item.get("date_extracted")
    if isinstance(stamp, str) and stamp.strip():
        try:
            when = datetime.fromisoformat(stamp.strip()).replace(tzinfo=SAUDI_TIME)
        except ValueError:
            return f"{where}: `date_extracted` is not a date and time: {stamp!r}"
    return Record(
        title=" ".join(item["title"].split()),
        content=item["content"],
        author=_optional(item, "author"),
        date=when,
        url=_optional(item, "url"),
        source=_optional(item, "source"),
    )


def read_jsonl(path: Path) -> Iterator[Record | Empty | str]:
    """Records of a JSON Lines file, or `file:line: problem` strings."""
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as exc:
        yield describe_os_error(exc)
        return
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield _jsonl_record(f"{path}:{number}", line)
        except UnicodeDecodeError as exc:
            yield f"{path}: not UTF-8 text ({exc.reason})"


def _jsonl_record(where: str, line: str) -> Record | Empty | str:
    try:
        item = json.loads(line)
    except ValueError as exc:
        return f"{where}: not JSON ({exc})"
    if not isinstance(item, dict):
        return f"{where}: expected an object, got {type(item).__name__}"
    if "content" not in item and "body" in item:
        item["content"] = item["body"]
    problem = _missing(item, ("title", "content"))
    if problem:
        return Empty(where, problem) if problem.endswith("empty") else f"{where}: {problem}"
    when = None
    stamp = item.get("date")
    if stamp is not None:
        try:
            when = datetime.fromisoformat(str(stamp).strip())
        except ValueError:
            return f"{where}: `date` is not an ISO 8601 date: {stamp!r}"
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return Record(
        title=" ".join(item["title"].split()),
        content=item["content"],
        author=_optional(item, "author"),
        date=when,
        url=_optional(item, "url"),
        source=_optional(item, "source"),
    )


def _missing(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = item.get(key)
        if key not in item:
            return f"`{key}` is missing"
        if not isinstance(value, str):
            return f"`{key}` must be text, not {type(value).__name__}"
        if not value.strip():
            return f"`{key}` is empty"
    return None


def _optional(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return " ".join(value.split()) or None if isinstance(value, str) else None
