"""Readers turn one file in `articles/` into an `Article`, chosen by file extension.

- `text`, `markdown`: the readers; `decoding`, `bylines`, `debris`, `sanitize`: what they
  share; `slugs`: an article's slug, from its file name;
- `importing`: `nashra import`, an archive's records into article files.

May import: `text`, `storage` and `core`. Never an engine, settings or a stage.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from nashra.core.errors import ArticleError
from nashra.core.model import Article
from nashra.readers.markdown import read_markdown
from nashra.readers.slugs import article_slugs, choose_slug, name_slugs, slug_for
from nashra.readers.text import read_text

Reader = Callable[[Path], Article]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}
"""File extension (lower case, with the dot) to the reader for it."""


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
    return [folder / name for name in article_names(folder)]


def article_names(folder: Path) -> list[str]:
    """The names of the files `find_articles` finds, sorted: an archive's tens of
    thousands of articles are listed without a `Path` each (the read stage makes one
    only for an article it reads)."""
    try:
        with os.scandir(folder) as entries:
            names = [
                entry.name
                for entry in entries
                if not entry.name.startswith(".")
                and os.path.splitext(entry.name)[1].lower() in READERS
                and entry.is_file()
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(names)


_IMAGES = {".jpg", ".jpeg", ".png"}
"""Covers an article's front matter may name: kept beside the articles, never reported."""
_WEB_PAGE = "a saved web page; copy the article's text into a .txt file to publish it"
_DOCUMENT = "a word-processor document; save it as plain text (.txt) to publish it"
_SAVE_AS_TEXT = {
    ".html": _WEB_PAGE,
    ".htm": _WEB_PAGE,
    ".mhtml": _WEB_PAGE,
    ".docx": _DOCUMENT,
    ".doc": _DOCUMENT,
    ".odt": _DOCUMENT,
    ".rtf": _DOCUMENT,
    ".pdf": "a PDF; copy the article's text into a .txt file to publish it",
}


def ignored_files(folder: Path) -> list[tuple[Path, str]]:
    """The files under `folder` that no build will read, each with why and what to do.

    Files of a type no reader knows, and articles in subfolders; not hidden files
    (editor swap files, `.DS_Store`), backups (`name.md~`) or images (covers
    named by front matter).
    """
    if not folder.is_dir():
        return []
    known = ", ".join(sorted(READERS))
    found: list[tuple[Path, str]] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.name.endswith("~"):
            continue  # hidden, or an editor's backup
        suffix = path.suffix.lower()
        if path.is_dir():
            found.extend(
                (
                    inner,
                    f"skipped: in a subfolder, and nashra reads only the files directly "
                    f"in {folder.name}/; move it there to publish it",
                )
                for inner in sorted(path.rglob("*"))
                if inner.is_file()
                and inner.suffix.lower() in READERS
                and not any(part.startswith(".") for part in inner.relative_to(folder).parts)
            )
        elif suffix not in READERS and suffix not in _IMAGES and path.is_file():
            what = _SAVE_AS_TEXT.get(
                suffix,
                f"nashra reads only {known} files; save its text as a .txt or .md file "
                "to publish it",
            )
            found.append((path, f"skipped: {what}"))
    return found


__all__ = [
    "READERS",
    "Reader",
    "article_names",
    "article_slugs",
    "choose_slug",
    "find_articles",
    "ignored_files",
    "name_slugs",
    "read_article",
    "slug_for",
]
