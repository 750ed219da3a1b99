"""The reader for `.txt` articles as scraped from Arabic news sites.

The layout it expects is the one the corpus shows: the title on the first
non-empty line, one paragraph per line, short unpunctuated lines as
sub-headings, and a little debris around the text (a byline, the title
repeated, "related topics" lists, tag lines) that must not be read aloud.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nashra.errors import ArticleError
from nashra.model import Article, Section
from nashra.readers.decoding import decode_article

# Lines that look like sub-headings: short, and not ending like a sentence.
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
SENTENCE_CLOSERS = '.!؟?:…»"”،؛,;)'
BYLINE_MAX_WORDS = 6

# كتب/كتبت ("written by"), بقلم ("by the pen of"), with or without a colon.
_BYLINE_RE = re.compile(r"^(?:كتبت?|بقلم)\s*:?\s+(?P<name>\S.*)$")
# "NAME – SOURCE" (عين اليوم – الرياض): a spaced dash, or an en or em dash.
_DASH_PAIR_RE = re.compile(r"^(?P<left>[^-–—]+?)(?:\s+[-–—]\s+|\s*[–—]\s*)(?P<right>[^-–—]+)$")
# "NAME-SOURCE-PLACE:" glued to the start of the first paragraph (سبق does this).
_GLUED_BYLINE_RE = re.compile(r"^(?P<byline>[^:.!؟?،؛]*?\S-\S[^:.!؟?،؛]*?)\s*:\s+(?P<rest>\S.*)$")
_SENTENCE_MARKS = set(".!؟?،؛:,;")

# Debris at the end of scraped pages. A "related topics" or "read also" header
# starts a list of links; the others are single lines.
_RELATED_RE = re.compile(r"^(?:مواضيع متعلقة|اقرأ أيضا|اقرأ أيضاً|إقرأ أيضا|إقرأ أيضاً)")
_TRAILING_LINE_RE = re.compile(r"^(?:سمات|رابط الخبر)")


def read_text(path: Path) -> Article:
    """Read a scraped `.txt` article: title line, byline, headings and paragraphs."""
    lines = [collapse_spaces(line) for line in read_source(path).splitlines()]
    lines = [line for line in lines if line]
    title = lines[0]
    body, debris = _split_trailing_debris(lines[1:])
    parser = _Parser(title=title)
    for line in body:
        parser.feed(line)
    sections = parser.finish()
    parser.dropped.extend(debris)
    if not sections:
        raise ArticleError(path, "no body text after the title")
    return Article(
        source=path,
        slug=_slug(path),
        title=title,
        sections=tuple(sections),
        author=parser.author,
        dropped=tuple(parser.dropped),
    )


def read_source(path: Path) -> str:
    """The text of `path`, or an `ArticleError` saying why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not data:
        raise ArticleError(path, "the file is empty")
    text = decode_article(data, path)
    if not text.strip():
        raise ArticleError(path, "the file contains only whitespace")
    return text


def collapse_spaces(text: str) -> str:
    """Trim `text` and turn runs of whitespace (no-break spaces too) into one space."""
    return " ".join(text.split())


def _slug(path: Path) -> str:
    # Imported here because nashra.readers imports this module to build its registry.
    from nashra.readers import slug_for

    return slug_for(path)


def _split_trailing_debris(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off the debris at the end of the page; return (body, debris)."""
    debris: list[str] = []
    for index, line in enumerate(lines):
        # Link titles under a "related topics" header read like headlines; if a
        # line after the header ends like a sentence, the header was a stray
        # line in the middle of the text instead.
        if _RELATED_RE.match(line) and not any(
            _ends_like_sentence(rest) for rest in lines[index + 1 :]
        ):
            lines, debris = lines[:index], lines[index:]
            break
    while lines and _TRAILING_LINE_RE.match(lines[-1]) and not _ends_like_sentence(lines[-1]):
        debris.insert(0, lines[-1])
        lines = lines[:-1]
    return lines, debris


def _ends_like_sentence(line: str) -> bool:
    return line.endswith(tuple(SENTENCE_CLOSERS))


def _is_heading(line: str) -> bool:
    return (
        len(line.split()) <= HEADING_MAX_WORDS
        and len(line) <= HEADING_MAX_CHARS
        and not _ends_like_sentence(line)
    )


def _byline(line: str) -> str | None:
    """The author named by a byline line, or None if the line is not one."""
    if len(line.split()) > BYLINE_MAX_WORDS + 1:
        return None
    match = _BYLINE_RE.match(line)
    if match:
        name = match.group("name")
        if len(name.split()) <= BYLINE_MAX_WORDS and not _SENTENCE_MARKS & set(name):
            return name
        return None
    match = _DASH_PAIR_RE.match(line)
    if (
        match
        and len(line.split()) <= BYLINE_MAX_WORDS
        and not _SENTENCE_MARKS & set(line)
        and not match.group("left")[0].isdigit()
        and not match.group("right")[0].isdigit()
    ):
        return line
    return None


def _glued_byline(paragraph: str) -> tuple[str, str] | None:
    """(author, rest) when the paragraph starts with "NAME-SOURCE-PLACE: ..."."""
    match = _GLUED_BYLINE_RE.match(paragraph)
    if not match or len(match.group("byline").split()) > BYLINE_MAX_WORDS:
        return None
    return match.group("byline"), match.group("rest")


@dataclass
class _Parser:
    """Sorts the lines after the title into byline, headings, paragraphs and debris."""

    title: str
    dropped: list[str] = field(default_factory=list)
    author: str | None = None
    sections: list[Section] = field(default_factory=list)
    heading: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    seen_body: bool = False

    def feed(self, line: str) -> None:
        # "Read also" in the middle of the text is a single link line.
        if line == self.title or _RELATED_RE.match(line):
            self.dropped.append(line)
            return
        if not self.seen_body and self.author is None:
            author = _byline(line)
            if author is not None:
                self.author = author
                return
        if _is_heading(line):
            self._close_section()
            self.heading = line
            return
        if not self.seen_body and self.author is None:
            glued = _glued_byline(line)
            if glued is not None:
                self.author, line = glued
        self.seen_body = True
        self.paragraphs.append(line)

    def finish(self) -> list[Section]:
        self._close_section()
        return self.sections

    def _close_section(self) -> None:
        if self.paragraphs:
            self.sections.append(Section(self.heading, tuple(self.paragraphs)))
        elif self.heading is not None:
            # A heading with nothing under it has nothing to introduce.
            self.dropped.append(self.heading)
        self.heading = None
        self.paragraphs = []
