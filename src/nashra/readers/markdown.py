"""The reader for Markdown articles, with optional YAML front matter.

This is not a Markdown parser: it keeps what a listener should hear (headings,
paragraphs, list items, quotes) and drops what only makes sense on a page
(link targets, images, emphasis marks, code blocks, rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # only for yaml.YAMLError; no stubs in the venv
from frontmatter.default_handlers import YAMLHandler

from nashra.core.errors import ArticleError
from nashra.core.model import Article, Section, voice_name_problem
from nashra.core.pubdates import EARLIEST_DATE, END_OF_DATES
from nashra.readers.bylines import author_of
from nashra.readers.debris import unescape
from nashra.readers.sanitize import LinkRejected, web_link
from nashra.readers.slugs import slug_for
from nashra.readers.text import HEADING_JOINER, collapse_spaces, read_source
from nashra.text.invisible import strip_controls

_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(.*)$")
_QUOTE_RE = re.compile(r"^ {0,3}>\s?(.*)$")

# Inline syntax, in the order it is removed: images before links because an
# image looks like a link with a "!" in front. As in CommonMark, `*` marks
# emphasis inside a word (Arabic glues و to the next word: و*مائل*) but `_`
# does not, so file_names_like_this survive.
_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"`+([^`]+?)`+"), r"\1"),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), r"\1"),
    (re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
)


def read_markdown(path: Path) -> Article:
    """Read a Markdown article; front matter keys override what the text says."""
    meta, body = _front_matter(path, read_source(path))
    title = _text(path, meta, "title")
    # An imported author field is often a whole byline (الرياض - واس).
    author = _text(path, meta, "author")
    parser = _Parser(title=title)
    for line in body.splitlines():
        parser.feed(line)
    sections = parser.finish()
    title = parser.title
    if not title:
        raise ArticleError(path, "no title: add `title:` to the front matter or a `# ` heading")
    if not sections:
        raise ArticleError(path, "no body text")
    return Article(
        source=path,
        slug=slug_for(path),
        title=title,
        sections=tuple(sections),
        author=author_of(author) if author else None,
        date=_date(path, meta.get("date")),
        url=_link(path, meta, "url"),
        image=_text(path, meta, "image"),
        description=_text(path, meta, "description"),
        dropped=tuple(parser.dropped),
        voice=_voice(path, meta.get("voice")),
    )


def strip_inline(text: str) -> str:
    """Remove inline Markdown syntax, keeping the words a listener should hear."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    # Entities are Markdown too (&quot; is "), and scraped text has them.
    return collapse_spaces(unescape(text))


def _front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    handler = YAMLHandler()
    if not handler.detect(text):
        return {}, text
    try:
        raw, body = handler.split(text)
    except ValueError as exc:
        raise ArticleError(
            path, "the front matter starts with `---` but has no closing `---` line"
        ) from exc
    try:
        meta = handler.load(raw)
    except yaml.YAMLError as exc:
        raise ArticleError(
            path, f"the front matter is not valid YAML: {_yaml_problem(exc)}"
        ) from exc
    except (ValueError, OverflowError) as exc:
        # PyYAML reads 2021-13-45 as a timestamp and then fails to build it.
        raise ArticleError(path, f"the front matter has an impossible value: {exc}") from exc
    except (AttributeError, KeyError, TypeError) as exc:
        # PyYAML's constructors fail so on a value that contradicts its tag
        # (`!!timestamp soon`, `!!bool maybe`).
        raise ArticleError(
            path,
            "the front matter has a value its `!!` tag does not allow (such as "
            "`!!timestamp` on something that is not a date); remove the tag",
        ) from exc
    if meta is None:
        return {}, str(body)
    if not isinstance(meta, dict):
        raise ArticleError(
            path,
            f"the front matter must be `key: value` lines, not a {type(meta).__name__}",
        )
    return meta, str(body)


def _yaml_problem(exc: Any) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        # The front matter text starts right after the opening `---` line 1,
        # so its line numbers (from 0) are the file's (from 1) minus one.
        problem += f" at line {mark.line + 1}"
    if "mapping values are not allowed" in problem:
        problem += "; put a value that contains `: ` in quotes"
    return problem


def _text(path: Path, meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if isinstance(value, str):
        # YAML's escapes ("\0", "\x1b") make characters no title or tag can carry.
        value = strip_controls(value)
    if value is None:
        return None
    # YAML reads `title: 1984` as a number; it is still a title.
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ArticleError(path, f"front matter `{key}` must be text, not {type(value).__name__}")
    if key in ("title", "author", "description"):
        value = unescape(value)  # a scraped title keeps its &#39;
    return collapse_spaces(value) or None


def _link(path: Path, meta: dict[str, Any], key: str) -> str | None:
    """Front matter `url`: an article with a link that is not http(s) fails, as one with
    an `image` URL does; publishing it without the link would hide the mistake."""
    value = _text(path, meta, key)
    if value is None:
        return None
    try:
        return web_link(value)
    except LinkRejected as exc:
        raise ArticleError(path, f"front matter `{key}` ({value!r}) is refused: {exc}") from None


def _voice(path: Path, value: Any) -> str | None:
    """Front matter `voice`: a voice's name, never a path (`voice_name_problem`)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleError(
            path, f"front matter `voice` must be a voice's name, not {type(value).__name__}"
        )
    voice = value.strip()
    if problem := voice_name_problem(voice):
        raise ArticleError(path, f"front matter `voice` {problem}")
    return voice


def _date(path: Path, value: Any) -> datetime | None:
    """Front matter `date` as an aware datetime; a date or naive time is taken as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if isinstance(value, datetime):
        when = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        if not EARLIEST_DATE <= when < END_OF_DATES:
            raise ArticleError(
                path,
                f"front matter `date` {when.isoformat()} is out of range: a feed carries "
                f"dates from {EARLIEST_DATE.year} to {END_OF_DATES.year - 1}",
            )
        return when
    raise ArticleError(
        path,
        "front matter `date` is not a date; write it as 2024-05-01 or 2024-05-01T08:30:00+03:00",
    )


@dataclass
class _Parser:
    """Groups Markdown lines into headings and paragraphs."""

    title: str | None
    """The front matter title; when None the first `# ` heading becomes the title."""
    dropped: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    """The current section's headings with their levels: a parent and the sub-headings under it."""
    paragraphs: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    fence: str | None = None

    def feed(self, line: str) -> None:
        if self.fence is not None:
            # Code is for the page, not for the ear.
            self.dropped.append(line)
            if line.strip().startswith(self.fence):
                self.fence = None
            return
        fence = _FENCE_RE.match(line)
        if fence:
            self._end_paragraph()
            self.fence = fence.group(1)
            self.dropped.append(line)
            return
        if not line.strip():
            self._end_paragraph()
            return
        heading = _HEADING_RE.match(line)
        if heading:
            self._heading(len(heading.group(1)), strip_inline(heading.group(2) or ""), line)
            return
        if _RULE_RE.match(line):
            self._end_paragraph()
            self.dropped.append(line)
            return
        item = _LIST_ITEM_RE.match(line)
        if item:
            self._end_paragraph()
            line = item.group(1)
        quote = _QUOTE_RE.match(line)
        if quote:
            line = quote.group(1)
            if not line.strip():
                self._end_paragraph()
                return
        self.lines.append(line)

    def finish(self) -> list[Section]:
        self._end_paragraph()
        self._end_section()
        return self.sections

    def _heading(self, level: int, text: str, line: str) -> None:
        self._end_paragraph()
        if level == 1 and (self.title is None or text == self.title):
            if self.title is None and text:
                self.title = text
            else:
                self.dropped.append(line)
            return
        if self.paragraphs:
            self._end_section()
        # Nothing under the headings so far: a deeper one is a sub-heading of
        # theirs and the section gets both titles (as the .txt reader does);
        # one as deep or shallower leaves them nothing to introduce.
        for _, parent in (kept for kept in self.headings if kept[0] >= level):
            self.dropped.append(parent)
        self.headings = [kept for kept in self.headings if kept[0] < level]
        if text:
            self.headings.append((level, text))
        else:
            self.dropped.append(line)

    def _end_paragraph(self) -> None:
        if not self.lines:
            return
        raw = " ".join(line.strip() for line in self.lines)
        self.lines = []
        paragraph = strip_inline(raw)
        if paragraph:
            self.paragraphs.append(paragraph)
        else:
            self.dropped.append(raw)

    def _end_section(self) -> None:
        if self.paragraphs:
            title = HEADING_JOINER.join(text for _, text in self.headings) or None
            self.sections.append(Section(title, tuple(self.paragraphs)))
        else:
            self.dropped.extend(text for _, text in self.headings)
        self.headings = []
        self.paragraphs = []
