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
hash of the record's URL without its query and fragment (a site's `?live` or
`?weekly` copy of a page is the same article; of its title and content when it
has no URL), so a record met again (on another day's file, or on a second run)
lands on the same name and is skipped: an imported article, edited or not, is
never overwritten. A record whose text (at least `SAME_TEXT_MIN` letters) is
that of an article already imported (in this run or an earlier one), under another
address, is skipped too. Records dated before `backfill_since` are skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from nashra.core.errors import UsageError, describe_os_error
from nashra.readers.bylines import author_of, is_source, split_byline
from nashra.readers.sanitize import LinkRejected, web_link
from nashra.storage.writer import atomic_write, remove_stale_parts

log = logging.getLogger(__name__)

FORMATS = ("saudinewsnet", "jsonl")
SAUDI_TIME = timezone(timedelta(hours=3))
"""SaudiNewsNet's `date_extracted` is the scraper's clock in Saudi Arabia (UTC+3)."""

MAX_FILE_BYTES = 64 * 2**20
"""A JSON file of records (or one zip member) larger than this is refused: the largest
SaudiNewsNet day file is 10.5 MB, and the whole file is parsed at once."""
MAX_LINE_BYTES = 4 * 2**20
"""A JSON Lines line longer than this is refused: a 300,000-letter Arabic article is
0.6 MB as JSON."""
SAME_TEXT_MIN = 200
"""Letters of text from which two records with the same text are one article; a shorter
text (a caption, a "comments ()" line) may well stand in different articles."""
_CHUNK = 2**20
_SOURCE_MAX = 40
"""Letters of a record's `source` kept in its file name (file names have a length limit)."""

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
    key: str | None = None
    """What names a record that has no `url` (a feed item's GUID): only ever hashed into
    the file name, never written."""


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
    same_text: int = 0
    """Records with the text of one imported before them in this run, at another address."""
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
    # The texts of the articles imported before: a record with one of them, at another
    # address, is that article again.
    texts: set[str] = set(known_texts(articles_dir))
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
            text = _text_key(item)
            target = articles_dir / file_name(item)
            if target.exists() or (articles_dir / file_name(item, canonical=False)).exists():
                result.existing += 1
                texts.add(text)
                continue
            if text and text in texts:
                result.same_text += 1
                continue
            texts.add(text)
            try:
                atomic_write(target, article_text(item).encode("utf-8"), durable=False)
            except OSError as exc:
                result.failed.append(f"{target}: cannot write it ({exc.strerror or exc})")
                continue
            result.written.append(target)
    return result


def file_name(record: Record, *, canonical: bool = True) -> str:
    """`<source>-<key>.md`, the key a hash of the record's address, else of its `key`,
    else of its title and text: the same record always gets the same name; with
    `canonical` off, the name imports gave it before addresses lost their query and
    fragment."""
    url = canonical_url(record.url) if record.url and canonical else record.url
    identity = url or record.key or f"{record.title}\n{record.content}"
    key = hashlib.sha256(identity.strip().encode("utf-8")).hexdigest()[:12]
    source = _SOURCE_RE.sub("-", (record.source or "article").lower()).strip("-")[:_SOURCE_MAX]
    source = source.strip("-") or "article"
    return f"{source}-{key}.md"


def canonical_url(url: str) -> str:
    """`url` without its query and fragment: the address of the article itself."""
    return urlsplit(url)._replace(query="", fragment="").geturl()


def _text_key(record: Record) -> str:
    return text_key(record.content)


def text_key(content: str) -> str:
    """An article's text with its spacing evened out, or "" when it is too short to tell
    one article from another: two records with the same key are one article."""
    text = " ".join(content.replace("\u200f", "").split())
    return text if len(text) >= SAME_TEXT_MIN else ""


def known_texts(folder: Path) -> dict[str, str]:
    """`text_key` → file name of the Markdown articles in `folder` (the first in name
    order, for a text two files share)."""
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        try:
            article = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if article.startswith("---"):
            end = article.find("\n---", 3)
            if end != -1:
                article = article[end + 4 :]
        key = text_key(article)
        if key:
            texts.setdefault(key, path.name)
    return texts


def article_text(record: Record) -> str:
    """The record as Markdown with front matter (JSON strings are valid YAML scalars).

    A byline the text starts with (`نايف عبدالله – عين اليوم`, `الرياض - واس: …`) is
    read as the `.txt` reader reads one (`bylines.split_byline`): it leaves the text,
    which would otherwise say it and show it as the description, and names the author
    when the record's `author` names no writer. The front matter's `byline` keeps it."""
    byline, taken, body = split_byline(_lines(record.content))
    meta = {
        "title": record.title,
        "author": _author(record.author, byline.author if byline else None),
        "byline": " / ".join(taken) or None,
        "url": canonical_url(record.url) if record.url else None,
    }
    lines = ["---"]
    for key, value in meta.items():
        if value:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    if record.date:
        lines.append(f"date: {record.date.isoformat()}")
    lines.append("---")
    for paragraph in _unmarked(body):
        lines += ["", paragraph]
    return "\n".join(lines) + "\n"


def _author(field: str | None, signed: str | None) -> str | None:
    """The author field, unless it names no writer and the text's byline does: a person
    beats a paper or an agency, and a paper beats nobody."""
    named = author_of(field) if field else None
    if signed is None or (named is not None and (is_source(signed) or not is_source(named))):
        return field
    return signed


def paragraphs(content: str) -> list[str]:
    """The content's non-empty lines, each one paragraph, kept from reading as Markdown syntax."""
    return _unmarked(_lines(content))


def _lines(content: str) -> list[str]:
    return [text for line in content.splitlines() if (text := " ".join(line.split()))]


def _unmarked(lines: list[str]) -> list[str]:
    # A leading `-`, `#` or `1.` is the article's text, not a list or heading.
    return ["\u200f" + text if _BLOCK_START.match(text) else text for text in lines]


# ---------------------------------------------------------------- readers


def read_saudinewsnet(path: Path, *, limit: int = MAX_FILE_BYTES) -> Iterator[Record | Empty | str]:
    """Records of one SaudiNewsNet day file (`.zip` or `.json`), or `file: problem` strings.

    A zip's members are read one at a time, each through `_read_limited`: a member
    larger than `limit` is refused by name and the others are read."""
    try:
        if path.suffix.lower() != ".zip":
            with path.open("rb") as handle:
                blob = _read_limited(handle, limit)
            yield from _saudinewsnet_blob(str(path), blob, limit)
            return
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".json")]
            if not members:
                yield f"{path}: the zip holds no .json file"
                return
            for member in members:
                where = f"{path}:{member.filename}"
                if member.file_size > limit:
                    yield _too_large(where, limit)
                    continue
                try:
                    with archive.open(member) as handle:
                        blob = _read_limited(handle, limit)
                except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as exc:
                    # A damaged or encrypted member; the zip's other members may be whole.
                    yield f"{where}: cannot be read from the zip ({exc})"
                    continue
                yield from _saudinewsnet_blob(where, blob, limit)
    except zipfile.BadZipFile:
        yield f"{path}: not a zip file"
    except OSError as exc:
        yield describe_os_error(exc)


def _saudinewsnet_blob(
    where: str, blob: bytes | None, limit: int
) -> Iterator[Record | Empty | str]:
    if blob is None:
        yield _too_large(where, limit)
        return
    try:
        items = json.loads(blob.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        yield f"{where}: not JSON ({exc})"
        return
    del blob
    if not isinstance(items, list):
        yield f"{where}: expected a JSON array of articles, got {type(items).__name__}"
        return
    for number, item in enumerate(items, 1):
        yield _saudinewsnet_record(f"{where} article {number}", item)


def _read_limited(handle: IO[bytes], limit: int) -> bytes | None:
    """All of `handle`, or None once it passes `limit` bytes: a 1 MB zip may hold a
    gigabyte of spaces, and nothing past the limit is ever held in memory."""
    data = bytearray()
    while chunk := handle.read(min(_CHUNK, limit + 1 - len(data))):
        data += chunk
        if len(data) > limit:
            return None
    return bytes(data)


def _too_large(where: str, limit: int) -> str:
    return (
        f"{where}: refused, larger than {_size(limit)} (the limit for one file of records); "
        "split it into smaller files"
    )


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit} bytes"


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
    return _record(where, item, when)


def _record(where: str, item: dict[str, Any], when: datetime | None) -> Record | str:
    """The record of an item whose title and content are present, or its problem."""
    return check_record(
        where,
        Record(
            title=" ".join(item["title"].split()),
            content=item["content"],
            author=_optional(item, "author"),
            date=when,
            url=_optional(item, "url"),
            source=_optional(item, "source"),
        ),
    )


def read_jsonl(path: Path, *, limit: int = MAX_LINE_BYTES) -> Iterator[Record | Empty | str]:
    """Records of a JSON Lines file, or `file:line: problem` strings.

    Lines are read one at a time, none longer than `limit` bytes: a longer line is
    refused with its number (and skipped a chunk at a time), and so is a line that is
    not UTF-8; the lines after it are read."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield describe_os_error(exc)
        return
    with handle:
        number = 0
        while line := handle.readline(limit + 1):
            number += 1
            where = f"{path}:{number}"
            if len(line) > limit and not line.endswith(b"\n"):
                yield (
                    f"{where}: refused, the line is longer than {_size(limit)} "
                    "(the limit for one record)"
                )
                while line and not line.endswith(b"\n"):
                    line = handle.readline(_CHUNK)
                continue
            try:
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start + 1})"
                continue
            if text.strip():
                yield _jsonl_record(where, text)


def _jsonl_record(where: str, line: str) -> Record | Empty | str:
    try:
        item = json.loads(line)
    except (ValueError, RecursionError) as exc:
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
    return _record(where, item, when)


def check_record(where: str, record: Record) -> Record | str:
    """`record`, or why it cannot become an article: text that is not text (JSON can
    escape half a surrogate pair, `"\\ud800"`, which no UTF-8 file can hold), or a link
    the build would refuse."""
    for key in ("title", "content", "author", "url", "source"):
        value = getattr(record, key)
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end].encode("unicode_escape").decode("ascii")
            return f"{where}: `{key}` holds {bad}, half of a UTF-16 surrogate pair, not text"
    if record.url:
        try:
            web_link(record.url)
        except LinkRejected as exc:
            return f"{where}: `url` ({record.url!r}) is refused: {exc}"
    return record


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
