"""The reader for `.txt` articles as scraped from Arabic news sites.

The layout it expects is the one the corpus shows: the title on the first
non-empty line, one paragraph per line, short unpunctuated lines as
sub-headings, and a little debris around the text (a byline, the title
repeated, "related topics" lists, tag lines) that must not be read aloud.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from nashra.core.errors import ArticleError
from nashra.core.model import Article, Section
from nashra.readers import debris as scraps
from nashra.readers.bylines import Byline, glued_byline, is_source, parse_byline
from nashra.readers.decoding import decode_article
from nashra.readers.slugs import slug_for
from nashra.text.invisible import strip_controls, strip_from_written
from nashra.text.letters import TATWEEL, without_marks

# Lines that look like sub-headings: short, and not ending like a sentence.
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
SENTENCE_CLOSERS = '.!؟?:…»"”،؛,;)'
HEADING_JOINER = " — "
"""Between a parent heading and the sub-heading right under it (أولاً: الأسعار — 1- …)."""
QUESTION_CUE = "سؤال: "
ANSWER_CUE = "جواب: "
"""Said instead of an interview's question and answer marks (`*`, `-`, `س:`, `ج:`)."""

# Bidi controls, zero-width spaces and stray byte-order marks: invisible on the
# page, but they make a blank line look full and a repeated title look new.
# The zero-width (non-)joiners are kept: they shape letters and emoji.

# Debris at the end of scraped pages. A "related topics" or "read also" header
# starts a list of links; the others are single lines.
_RELATED_RE = re.compile(
    r"^(?:[اإ]قرأ\s+(?:[أا]يض(?:اً|ًا|ا)|المزيد)"
    r"|(?:مواضيع|موضوعات|أخبار|اخبار|مقالات|روابط)\s+(?:متعلقة|ذات\s+صلة))"
)
_TRAILING_LINE_RE = re.compile(
    r"^(?:سمات|رابط الخبر|الكلمات الدالة|الكلمات المفتاحية|كلمات مفتاحية|كلمات دلالية"
    r"|الوسوم|وسوم)(?:\s|:|$)"
)
# "Photo captions:" (شرح الصور:، الصور:، صورة:).
_CAPTIONS_HEADER_RE = re.compile(r"^(?:شرح\s+)?(?:ال)?صور(?:ة|ه)?\s*:")

# Structure marks at the start of a line.
_ORDINAL_RE = re.compile(
    r"^(?:[أا]ول|ثاني|ثالث|رابع|خامس|سادس|سابع|ثامن|تاسع|عاشر)(?:اً|ًا|ا)(?=$|[\s:\-–—.)])"
)
_NUMBERED_RE = re.compile(r"^[0-9٠-٩]{1,2}\s*[-–.)](?![0-9٠-٩])\s*\S")
_BULLET_RE = re.compile(r"^(?P<mark>[-–—•·▪◦●○■□►▶✓✔*])(?:\s*(?P=mark))*\s*(?P<text>\S.*)$")
_QA_RE = re.compile(r"^(?P<mark>[سج])\s*[:/]\s*(?P<text>\S.*)$")
_QUESTION_END_RE = re.compile(r"[؟?][»\"”')]*$")
# Some sites quote with two slashes (// verse //); espeak-ng says "slash slash".
_SLASH_QUOTE_RE = re.compile(r"(?<!\S)//\s*(?P<text>[^/]+?)\s*//(?!\S)")


def read_text(path: Path) -> Article:
    """Read a scraped `.txt` article: title line, byline, headings and paragraphs."""
    raw = [
        scraps.remove_hidden_addresses(scraps.unescape(line))
        for line in read_source(path).splitlines()
    ]
    # The marks that show where a caption ends are invisible, so look before stripping them.
    raw, caption = _split_lead_caption(raw)
    lines = [collapse_spaces(strip_marks(line)) for line in raw]
    lines = [line for line in lines if line]
    # Rules, separators and emoji rows above the title are not the title.
    dropped = list(itertools.takewhile(lambda line: not _has_words(line), lines))
    lines = lines[len(dropped) :]
    if not lines:
        raise ArticleError(path, "no text to read, only symbols")
    title = lines[0]
    body, rows = _cut_share_rows(lines[1:])
    body, debris, signed = _split_trailing_debris(body)
    parser = _Parser(title=title, dropped=dropped + caption + rows)
    for line in body:
        parser.feed(line)
    sections = parser.finish(signed=signed is not None)
    parser.dropped.extend(debris)
    if not sections:
        raise ArticleError(path, "no body text after the title")
    author = parser.author
    # A signature names the writer; it beats a byline that named only the paper.
    if signed is not None and (author is None or is_source(author)):
        author = signed
    return Article(
        source=path,
        slug=_slug(path),
        title=title,
        sections=tuple(sections),
        author=author,
        dropped=tuple(parser.dropped),
    )


def _split_lead_caption(raw: list[str]) -> tuple[list[str], list[str]]:
    """Cut a photo caption run into the lead off it; return (lines, [the caption] or [])."""
    seen_title = False
    for index, line in enumerate(raw):
        if not _has_words(strip_marks(line)):
            continue
        if not seen_title:
            seen_title = True
            continue
        if len(line.split()) < scraps.CAPTION_MAX_WORDS:
            continue  # a byline or a heading before the lead
        split = scraps.split_glued_caption(line)
        if split is None:
            return raw, []
        caption, lead = split
        return [*raw[:index], lead, *raw[index + 1 :]], [collapse_spaces(strip_marks(caption))]
    return raw, []


def _cut_share_rows(lines: list[str]) -> tuple[list[str], list[str]]:
    """Cut rows of share buttons run onto the start or end of lines; return (lines, the rows)."""
    kept: list[str] = []
    rows: list[str] = []
    for line in lines:
        text, cut = scraps.split_share_rows(line)
        rows += cut
        if text:
            kept.append(text)
    return kept, rows


def read_source(path: Path) -> str:
    """The text of `path`, or an `ArticleError` saying why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not data:
        raise ArticleError(path, "the file is empty")
    # A control character past the first few kilobytes (which a binary file is told by)
    # is damage: it must not reach the voice, the pages or the tags.
    text = strip_controls(decode_article(data, path))
    if not text.strip():
        raise ArticleError(path, "the file contains only whitespace")
    return text


def collapse_spaces(text: str) -> str:
    """Trim `text` and turn runs of whitespace (no-break spaces too) into one space."""
    return " ".join(text.split())


def strip_marks(text: str) -> str:
    """Remove bidi controls, zero-width spaces and byte-order marks, which no one can see."""
    return strip_from_written(text)


def _slug(path: Path) -> str:
    return slug_for(path)


def _split_trailing_debris(lines: list[str]) -> tuple[list[str], list[str], str | None]:
    """Split off the debris at the end of the page; return (body, debris, signed name)."""
    debris: list[str] = []
    for index, line in enumerate(lines):
        # Link titles under a "related topics" header read like headlines; if a
        # line after the header ends like a sentence, the header was a stray
        # line in the middle of the text instead.
        if _RELATED_RE.match(line) and not any(
            _ends_like_sentence(rest) and not _is_debris_line(rest) for rest in lines[index + 1 :]
        ):
            lines, debris = lines[:index], lines[index:]
            break
    signed: str | None = None
    while lines:
        last = lines[-1]
        if _is_debris_line(last) or scraps.is_debris_line(last) or scraps.is_writer_note(last):
            debris.insert(0, last)
            lines = lines[:-1]
            continue
        # The first line of the text is not a signature.
        name = _signature(last, lines[-2]) if len(lines) > 1 else None
        if name is not None:
            signed = signed or name
            debris.insert(0, last)
            lines = lines[:-1]
            continue
        glued = scraps.split_glued_tail(last)
        if glued is None:
            break
        text, tail, name = glued
        signed = signed or name
        debris.insert(0, tail)
        lines = [*lines[:-1], text]
    return lines, debris, signed


def _signature(line: str, before: str) -> str | None:
    """The author a closing signature line names (`- خالد الدوس`, `أحلام الفهمي - الدمام`)."""
    item = _list_item(before)
    if item is not None and item[0] == "dash":
        return None  # the last item of a dashed list
    name = scraps.signature(line)
    if name is not None:
        return name
    if _ends_like_sentence(line) or len(line.split()) > scraps.SIGNATURE_MAX_WORDS + 2:
        return None
    byline = parse_byline(line)
    # A name beside a known place or paper; a lone name may as well be a caption.
    if byline is None or byline.author is None or byline.author == line.strip():
        return None
    return None if is_source(byline.author) else byline.author


def _is_debris_line(line: str) -> bool:
    """A tag list, a link to the story or a row of share buttons."""
    if _TRAILING_LINE_RE.match(line) and not line.endswith((".", "؟", "?", "!")):
        return True
    words = re.sub(r"[|:،,\-–—/•·()]", " ", line.casefold()).split()
    return (
        bool(words)
        and all(word in scraps.SHARE_WORDS for word in words)
        and any(word in scraps.SHARE_ANCHORS for word in words)
    )


def _ends_text(line: str) -> bool:
    """Where an announced list ends: an address, a contact line, a tag list or share row."""
    return scraps.holds_address(line) or scraps.is_debris_line(line) or _is_debris_line(line)


def _has_words(line: str) -> bool:
    return any(char.isalnum() and char != TATWEEL for char in line)


def _ends_like_sentence(line: str) -> bool:
    return line.endswith(tuple(SENTENCE_CLOSERS))


def _is_heading(line: str) -> bool:
    if len(line.split()) > HEADING_MAX_WORDS or len(line) > HEADING_MAX_CHARS:
        return False
    # "أولاً: الأسعار:" is still a heading: the colon introduces what follows.
    return not _ends_like_sentence(line) or (_level(line) > 0 and line.endswith(":"))


def _level(heading: str) -> int:
    """1 for an ordinal heading (أولاً، ثانياً), 2 for a numbered one (1- ، 2.), else 0."""
    if _ORDINAL_RE.match(heading):
        return 1
    if _NUMBERED_RE.match(heading):
        return 2
    return 0


def _key(line: str) -> str:
    """What is compared to find the title repeated: no diacritics, tatweel or end marks."""
    bare = without_marks(line).strip(SENTENCE_CLOSERS + "«“\"'( ")
    return " ".join(bare.split()).casefold()


def _list_item(line: str) -> tuple[str, str] | None:
    """("question" | "answer" | "dash" | "bullet", the text without its mark), or None."""
    match = _QA_RE.match(line)
    if match:
        return ("question" if match.group("mark") == "س" else "answer"), match.group("text")
    match = _BULLET_RE.match(line)
    if not match:
        return None
    mark, text = match.group("mark"), match.group("text")
    if mark == "*" and _QUESTION_END_RE.search(text):
        return "question", text
    if mark in "-–—":
        return "dash", text
    return "bullet", text


@dataclass
class _Parser:
    """Sorts the lines after the title into byline, headings, paragraphs and debris."""

    title: str
    dropped: list[str] = field(default_factory=list)
    author: str | None = None
    sections: list[Section] = field(default_factory=list)
    heading: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    """Heading-like lines not yet followed by text; what they are depends on what comes next."""
    seen_body: bool = False
    after_question: bool = False

    def feed(self, line: str) -> None:
        # Rules, separators and emoji rows have nothing to read; "read also"
        # in the middle of the text is a single link line.
        if not _has_words(line) or _key(line) == _key(self.title) or _RELATED_RE.match(line):
            self.dropped.append(line)
            return
        if not self.seen_body and not self.pending and self._take_byline(parse_byline(line)):
            self.dropped.append(line)
            return
        item = _list_item(line)
        if item is not None:
            kind, text = item
            if kind == "question":
                text = QUESTION_CUE + text
            elif kind == "answer" or (kind == "dash" and self.after_question):
                text = ANSWER_CUE + text
            self._paragraph(text)
            self.after_question = kind == "question"
            return
        if _is_heading(line):
            self.pending.append(line)
            return
        if not self.seen_body:
            glued = glued_byline(line)
            if glued is not None and self._take_byline(glued[0]):
                self.dropped.append(glued[1])
                line = glued[2]
        self._paragraph(_SLASH_QUOTE_RE.sub(r"«\g<text>»", line))
        self.after_question = False

    def finish(self, *, signed: bool = False) -> list[Section]:
        """The sections; `signed` when a signature closed the text."""
        if signed and self.seen_body:
            # Short lines the writer signed under are the text's own (a poem's last verses).
            self.paragraphs.extend(self.pending)
        else:
            # Short lines after the last paragraph lead nowhere (link titles,
            # captions) unless it announced them: what a paragraph ending with a
            # colon announces is its list or its verses (المقبولات من النساء:),
            # up to the first address or line of boilerplate.
            announced = 0
            if self._announces_list():
                addresses = (n for n, line in enumerate(self.pending) if _ends_text(line))
                announced = next(addresses, len(self.pending))
            self.paragraphs.extend(self.pending[:announced])
            self.dropped.extend(self.pending[announced:])
        self.pending = []
        self._close_section()
        return self.sections

    def _announces_list(self) -> bool:
        """Whether the last paragraph ends with a colon, announcing the lines after it.

        Photo captions are announced too (شرح الصور:), but are not the text.
        """
        if not self.paragraphs or not self.paragraphs[-1].endswith(":"):
            return False
        return _CAPTIONS_HEADER_RE.match(self.paragraphs[-1]) is None

    def _take_byline(self, byline: Byline | None) -> bool:
        """Take the author from `byline`; False when it is not one to take."""
        if byline is None:
            return False
        if self.author is None:
            self.author = byline.author
            return True
        # After the author only a dateline or a credit: a second name-like
        # line is more likely a heading.
        return byline.author is None

    def _paragraph(self, text: str) -> None:
        self._place_pending()
        self.paragraphs.append(text)
        self.seen_body = True

    def _place_pending(self) -> None:
        """Decide what the heading-like lines before a paragraph were."""
        run, self.pending = self.pending, []
        if not run:
            return
        if len(run) == 1:
            self._start_section(run[0])
            return
        levels = [_level(line) for line in run]
        if len(run) == 2 and (levels[0] != levels[1] or levels[0] == 0):
            # A parent heading straight above its first sub-heading (أولاً:
            # الأسعار, then 1- التطورات الأخيرة): one section, both titles, so
            # that the parent is neither lost nor an empty chapter.
            self._start_section(HEADING_JOINER.join(_unclosed(line) for line in run))
            return
        # Three or more short lines, or siblings (1- …, 2- …): a list, read as
        # paragraphs, under the first line when it is of another kind.
        if levels[0] != levels[1]:
            self._start_section(run[0])
            run = run[1:]
        self.paragraphs.extend(run)

    def _start_section(self, heading: str) -> None:
        self._close_section()
        self.heading = _unclosed(heading)

    def _close_section(self) -> None:
        if self.paragraphs:
            self.sections.append(Section(self.heading, tuple(self.paragraphs)))
        elif self.heading is not None:
            # A heading with nothing under it has nothing to introduce.
            self.dropped.append(self.heading)
        self.heading = None
        self.paragraphs = []


def _unclosed(heading: str) -> str:
    return heading.removesuffix(":").rstrip()
