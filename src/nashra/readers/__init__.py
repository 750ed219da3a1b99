"""Readers turn one file in `articles/` into an `Article`, chosen by file extension."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from nashra.errors import ArticleError
from nashra.model import Article
from nashra.readers.markdown import read_markdown
from nashra.readers.text import read_text

Reader = Callable[[Path], Article]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}
"""File extension (lower case, with the dot) to the reader for it."""

_NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")


def read_article(path: Path) -> Article:
    """Read `path` with the reader registered for its extension."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise ArticleError(path, f"unknown file type {path.suffix!r}; nashra reads {known}")
    return reader(path)


def find_articles(folder: Path) -> list[Path]:
    """The readable files directly in `folder`, sorted by name.

    Hidden files (editor swap files, `.DS_Store`) and subfolders are skipped,
    and so are files with extensions no reader knows. A missing folder has no
    articles.
    """
    if not folder.is_dir():
        return []
    return sorted(
        (
            path
            for path in folder.iterdir()
            if not path.name.startswith(".") and path.suffix.lower() in READERS and path.is_file()
        ),
        key=lambda path: path.name,
    )


def slug_for(path: Path) -> str:
    """A URL- and file-safe name for the article, made from its file name.

    Accents are stripped (café -> cafe); a name with no ASCII letters or digits
    at all, such as an Arabic one, gets `article-` and a hash of the name so
    that it stays the same from build to build.
    """
    # NFC first: macOS hands out decomposed file names, and the hash must not
    # change when a project moves between machines.
    name = unicodedata.normalize("NFC", path.name)
    stem = name[: len(name) - len(path.suffix)] if path.suffix else name
    ascii_stem = "".join(
        char for char in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(char)
    )
    slug = _NOT_SLUG_RE.sub("-", ascii_stem.lower()).strip("-")
    if slug:
        return slug
    digest = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    return f"article-{digest}"


__all__ = ["READERS", "Reader", "find_articles", "read_article", "slug_for"]
