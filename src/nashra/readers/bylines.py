"""Bylines and datelines of Arabic news articles: who wrote it, and what is not read.

Newspapers put a person, a source (the paper or a news agency) and a place
(the dateline) together in many orders: `كتب: NAME`, `NAME – SOURCE`,
`الرياض - NAME`, `NAME-سبق-الرياض:`, `جدة - الجزيرة:`, `بريدة: NAME`,
`«الاقتصادية» من الرياض`, `SOURCE - متابعة:`. Which side is the person cannot be
told from the shape, so places and sources are looked up in two lists kept as
data (`readers/sources.toml`: Saudi and Arab cities, and papers, channels and
agencies from the Gulf to the Maghreb); whatever is neither is the person.
Without a person the source is the author (as `رويترز` is); a place alone is a
dateline with no author.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from nashra.text.letters import TATWEEL, fold_alefs

BYLINE_MAX_WORDS = 6
PART_MAX_WORDS = 4
GLUED_BYLINE_MAX_WORDS = 6
"""The longest dateline glued before a paragraph's colon (`الرياض - واس: ...`)."""
LEADING_BYLINE_LINES = 2
"""Byline lines an article's text may start with: the writer, then a dateline or credit."""
NAME_MAX_WORDS = 8
"""The longest author field taken as a name as it stands (titles and `بن` make names long)."""
SOURCES_FILE = "sources.toml"
"""The lists of places, sources and newsroom words, in the package's `data` folder."""


class SourcesFileError(ValueError):
    """The package's own `readers/sources.toml` is malformed (a packaging bug, not the user's)."""


def load_names(text: str) -> dict[str, frozenset[str]]:
    """`places`, `sources` and `staff` from the text of a sources file.

    Each table holds lists of names (grouped by region, which only helps
    whoever keeps the file); the groups of a table are merged.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesFileError(f"{SOURCES_FILE}: {exc}") from exc
    names: dict[str, frozenset[str]] = {}
    for table in ("places", "sources", "staff"):
        groups = data.get(table)
        if not isinstance(groups, dict):
            raise SourcesFileError(f"{SOURCES_FILE}: [{table}] is missing")
        found: set[str] = set()
        for group, values in groups.items():
            if not isinstance(values, list) or not all(
                isinstance(v, str) and v.strip() for v in values
            ):
                raise SourcesFileError(f"{SOURCES_FILE}: {table}.{group} must be a list of names")
            found.update(" ".join(v.split()) for v in values)
        names[table] = frozenset(found)
    return names


_NAMES = load_names((resources.files("nashra.readers") / SOURCES_FILE).read_text(encoding="utf-8"))
PLACES = _NAMES["places"]
"""Places a dateline names: Saudi cities and regions, Arab and world capitals."""
SOURCES = _NAMES["sources"]
"""Newspapers, channels and agencies across the Arab world, and the world agencies they quote.
الرياض, المدينة and مكة are papers too, but as a dateline they are places; the
place wins (either way they are not the person and not read)."""
STAFF = _NAMES["staff"]
"""Newsroom words that name nobody: "follow-up", "exclusive", "the editor"."""

# كتب/كتبت ("wrote"), بقلم ("by the pen of"), with or without a colon; the
# others (review, interview, report, prepared, investigation) only with one,
# because they also start ordinary headings (تقرير جديد يكشف ...).
_BY_RE = re.compile(r"^(?:كتبت?|بقلم)\s*:?\s+(?P<name>\S.*)$")
_ROLE_RE = re.compile(r"^(?:رؤية|حوار|تقرير|إعداد|اعداد|تحقيق|متابعة)\s*:\s*(?P<name>\S.*)$")
# A photographer's or translator's credit: not the author, and not read.
_CREDIT_RE = re.compile(r"^(?:تصوير|ترجمة|عدسة)\s*:\s*\S")
# "/ تصوير - NAME" after a byline: the photographer, not read.
_TRAILING_CREDIT_RE = re.compile(r"\s*/\s*(?:تصوير|ترجمة|عدسة)(?:\s|[-–:/]).*$")
# An agency's dated dateline: جدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس
_DATED_RE = re.compile(
    r"^(?P<place>\S+(?:\s\S+)?)\s+[0-9٠-٩]{1,2}\s+\S+(?:\s\S+)?\s+[0-9٠-٩]{4}\s*هـ"
    r"(?:\s+الموافق\s+[0-9٠-٩]{1,2}\s+\S+\s+[0-9٠-٩]{4}\s*م)?\s+(?P<source>\S+(?:\s\S+)?)$"
)
# متعب العبيد (الرياض)
_PAREN_PLACE_RE = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<place>[^()]+)\)$")
# بريدة: NAME
_PLACE_COLON_RE = re.compile(r"^(?P<place>[^:]+?)\s*:\s*(?P<name>[^:]+)$")
# «الاقتصادية» من الرياض
_FROM_RE = re.compile(r"^(?P<quoted>«)?(?P<source>[^«»]+?)»?\s+من\s+(?P<place>\S.*)$")
# Dashes of every kind, a bar, and tatweel or an underscore standing alone as a
# dash (حمزة بوفهيد ـ الأحساء, المدينة _ جدة).
_DASHES_RE = re.compile(
    f"\\s*[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d|]\\s*|\\s+[{TATWEEL}_]+\\s*|\\s*[{TATWEEL}_]+\\s+"
)
# An author field's `(PLACE)` or `(AGENCY)`, and its `NAME من PLACE`.
_PARENS_RE = re.compile(r"\s*\(([^()]*)\)\s*")
_BY_DASH_RE = re.compile(r"^(?:كتبت?|بقلم)\s*[-–]\s*")
# What a sentence has and a byline never does.
_PROSE_RE = re.compile(r"\.\.|[!؟?]")
_LIST_RE = re.compile(r"\s*[،,]\s*")
_NAME_FROM_RE = re.compile(r"^(?P<name>[^-:]+?)\s+من\s+\S+(?:\s\S+)?$")
# A scraper's time stamp after a bar (`برلين - (أ ف ب) | Tuesday, 11 August 2015 - 13:07 pm`),
# or a clock time anywhere: no name has one.
_STAMP_RE = re.compile(r"\s*\|[^|]*$")
_CLOCK_RE = re.compile(r"\d{1,2}:\d{2}")
# A slider's buttons scraped before the byline (Next Previous عين اليوم – جدة).
_BUTTONS_RE = re.compile(r"^(?:(?:Next|Previous|Prev)\s+)+", re.IGNORECASE)
# خاص بالرياض, خاص لـ«عكاظ»: "exclusive to" the paper, which is the source.
_EXCLUSIVE_RE = re.compile(r"^خاص\s*(?:ب|لـ?)\s*ـ?\s*(?P<paper>\S.*)$")
_SENTENCE_MARKS = set(".!؟?،؛:,;")
_QUOTES = "«»\"“”'()"
_CLAUSE_MARKS = set('!؟?،؛:,;"“”')


@dataclass(frozen=True)
class Byline:
    """A line recognised as a byline or dateline; `author` is None when it names nobody."""

    author: str | None


def parse_byline(text: str) -> Byline | None:
    """The byline `text` is (a whole line, or the part before the colon), or None."""
    text = _TRAILING_CREDIT_RE.sub("", _BUTTONS_RE.sub("", text.strip()).removesuffix(":").strip())
    match = _DATED_RE.match(text)
    if match and _kind(match.group("place")) == "place":
        return _from_parts([match.group("source")])
    if not text or len(text.split()) > BYLINE_MAX_WORDS + 1:
        return None
    if _CREDIT_RE.match(text):
        return Byline(None)
    if _dash_inside_quotes(text):
        return None
    match = _BY_RE.match(text) or _ROLE_RE.match(text)
    if match:
        name = match.group("name")
        if len(name.split()) > BYLINE_MAX_WORDS or _SENTENCE_MARKS & set(name):
            return None
        return _from_parts(_split(name)) or Byline(name)
    if _SENTENCE_MARKS & set(text.replace(":", "")) or text[0].isdigit():
        return None
    match = _PAREN_PLACE_RE.match(text)
    if match and _kind(match.group("place")) in ("place", "source"):
        return _from_parts([match.group("name"), match.group("place")])
    match = _PLACE_COLON_RE.match(text)
    if match and _fold(match.group("place")) in _FOLDED_PLACES:
        return _from_parts([match.group("place"), *_split(match.group("name"))])
    if ":" in text:
        return None
    match = _FROM_RE.match(text)
    if (
        match
        and _fold(match.group("place")) in _FOLDED_PLACES
        and (match.group("quoted") or _fold(match.group("source")) in _FOLDED_SOURCES)
    ):
        return _from_parts([match.group("source"), match.group("place")])
    parts = _split(text)
    if len(parts) == 1 and _kind(parts[0]) == "person":
        # One name with no dash is a heading or a sentence, not a byline.
        return None
    return _from_parts(parts)


def glued_byline(paragraph: str) -> tuple[Byline, str, str] | None:
    """(byline, its text, rest) when the paragraph starts with "NAME-SOURCE-PLACE: ..."."""
    head, colon, rest = paragraph.partition(":")
    if not colon or not rest.strip() or len(head.split()) > GLUED_BYLINE_MAX_WORDS:
        return None
    byline = parse_byline(head)
    if byline is None:
        return None
    return byline, f"{head.strip()}:", rest.strip()


def split_byline(paragraphs: list[str]) -> tuple[Byline | None, list[str], list[str]]:
    """(the byline, the text it took, the paragraphs after it) of a text that starts with
    its byline, as archives keep it (`نايف عبدالله – عين اليوم`, then the article; or
    `الرياض - واس: أعلنت ...`): read as the `.txt` reader reads its first lines. At
    most a writer's line and a dateline or credit; a text that is all byline is left."""
    byline: Byline | None = None
    taken: list[str] = []
    rest = list(paragraphs)
    while len(rest) > 1 and len(taken) < LEADING_BYLINE_LINES:
        found = parse_byline(rest[0])
        # After the writer only a dateline or a credit: another name is more likely a heading.
        if found is None or (byline is not None and found.author is not None):
            break
        byline = byline if byline is not None and byline.author else found
        taken.append(rest.pop(0))
    glued = glued_byline(rest[0]) if rest and (byline is None or byline.author is None) else None
    if glued is not None:
        byline = glued[0] if byline is None or glued[0].author else byline
        taken.append(glued[1])
        rest[0] = glued[2]
    return byline, taken, rest


def author_of(text: str) -> str | None:
    """Who an article's author field names: `text` read as a byline.

    Archives put a whole byline in the author field (`الرياض - واس:`,
    `لندن: «الشرق الأوسط»`, `«الاقتصادية» من الرياض`, `رويترز (مانيلا)`): the
    person, else the paper or agency, is the author; a place alone names
    nobody. Being an author field, it is read more boldly than a line of text:
    before a colon stands the dateline, in parentheses a place (or an agency),
    and a place may be one our lists do not know (`تل أبيب: «الشرق الأوسط»`).
    A field too long or too full of punctuation to be a name (a scraped
    paragraph) names nobody.
    """
    text = _BY_DASH_RE.sub("", " ".join(text.split()).strip("*•·: "))
    text = _STAMP_RE.sub("", text).strip("*•·: ")
    if _PROSE_RE.search(text) or len(text.split()) > 2 * NAME_MAX_WORDS or _CLOCK_RE.search(text):
        return None
    if is_source(text):
        # A paper's name alone is the paper, even one a dateline reads as a city (الرياض).
        return text.strip(_QUOTES + " ")
    if ":" in text:
        text = text.rsplit(":", 1)[1].strip(" {}")
    text = _PARENS_RE.sub(lambda m: f" - {m[1]} - " if is_source(m[1]) else " - ", text)
    match = _NAME_FROM_RE.match(text.strip())
    if match and _kind(match.group("name")) == "person":
        text = match.group("name")
    text = text.strip()
    byline = parse_byline(text)
    if byline is None:
        # Names in a list (الرياض - نايف الوعيل، طلحة الأنصاري), or parts
        # left by the parentheses: the parts as dashes would give them.
        text = " - ".join(part for part in _split(_LIST_RE.sub(" - ", text)) if part)
        byline = parse_byline(text)
        if byline is None and " - " in text:
            byline = _from_parts(text.split(" - "))
    if byline is not None:
        sources = [part for part in _split(text) if _kind(part) == "source"]
        if byline.author and len(byline.author.split()) == 1 and sources:
            # One unknown word beside an agency is a place our lists lack (دكار - أ ف ب).
            return _paper(sources[0])
        return byline.author
    # A name may be long and carry a title's dot (اللواء الركن م. سلامة بن هذال);
    # a sentence may not, nor a number.
    if not text or len(text.split()) > NAME_MAX_WORDS or _CLAUSE_MARKS & set(text):
        return None
    if any(character.isdigit() for character in text):
        return None
    return None if _kind(text) == "place" else _after_place(text)


def _after_place(text: str) -> str:
    """`text` without a dateline written before it with no dash: `برلين أ ف ب` is the
    agency, `الرياض محمد الهمزاني` and `طهران مكتب الرياض نضال فاضل` the writer."""
    rest = text.split()
    kinds: tuple[str, ...] = ("place",)
    while size := next(
        (n for n in (3, 2, 1) if len(rest) > n and _kind(" ".join(rest[:n])) in kinds), 0
    ):
        rest = rest[size:]
        kinds = ("place", "source")  # after the place, a paper's bureau (مكتب الرياض)
    if len(rest) == len(text.split()):
        return text
    remainder = " ".join(rest).strip("-–—: " + TATWEEL)
    if _kind(remainder) == "source":
        return _paper(remainder)
    if len(remainder.split()) > 1 and _kind(remainder) == "person":
        return remainder
    return text


def is_dateline_start(text: str) -> bool:
    """Whether `text` starts with a known place or source and then a dash (الرياض - واس)."""
    parts = _DASHES_RE.split(text.strip(), maxsplit=1)
    return len(parts) == 2 and _kind(parts[0].strip(_QUOTES + " ")) in ("place", "source")


def is_source(name: str) -> bool:
    """Whether `name` is a newspaper or agency (from `SOURCES`) rather than a person."""
    return _fold(name) in _FOLDED_SOURCES


def _split(text: str) -> list[str]:
    return [part.strip(_QUOTES + " ") for part in _DASHES_RE.split(text)]


def _dash_inside_quotes(text: str) -> bool:
    """Whether a dash stands inside «…» (انطلاق «هافينغتون بوست ـ عربي»): a title's dash."""
    return any(part.count("«") != part.count("»") for part in _DASHES_RE.split(text))


def _from_parts(parts: list[str]) -> Byline | None:
    if any(not part or len(part.split()) > PART_MAX_WORDS or part[0].isdigit() for part in parts):
        return None
    kinds = [_kind(part) for part in parts]
    people = [part for part, kind in zip(parts, kinds, strict=True) if kind == "person"]
    sources = [_paper(part) for part, kind in zip(parts, kinds, strict=True) if kind == "source"]
    if sources and "place" not in kinds and all(len(p.split()) == 1 for p in people):
        # Beside a paper, with no place named, one unknown word is the dateline:
        # a place our lists lack (سبق- بلقرن:), not a writer.
        people = []
    if people:
        # Two unknown parts: a person's name has two words or more, a place one.
        return Byline(next((p for p in people if len(p.split()) > 1), people[0]))
    return Byline(sources[0] if sources else None)


def _paper(source: str) -> str:
    """A source's name without a bureau's word before it (مكتب المدينة: المدينة)."""
    exclusive = _EXCLUSIVE_RE.match(source)
    if exclusive:
        return exclusive.group("paper").strip(_QUOTES + " ")
    first, _, rest = source.partition(" ")
    return rest if first in _BUREAUS and rest else source


def _kind(part: str) -> str:
    folded = _fold(part)
    first, _, rest = folded.partition("\u00a0")
    if first in _BUREAUS and (rest in _FOLDED_SOURCES or rest in _FOLDED_PLACES):
        return "source"  # مكتب المدينة: the paper's bureau, not a person
    exclusive = _EXCLUSIVE_RE.match(part.strip(_QUOTES + " "))
    if exclusive and _fold(exclusive.group("paper")) in _FOLDED_SOURCES | _FOLDED_PLACES:
        return "source"  # خاص بالرياض: the paper الرياض, here no place
    if folded in _FOLDED_PLACES:
        return "place"
    if folded in _FOLDED_SOURCES:
        return "source"
    if folded in _FOLDED_STAFF:
        return "staff"
    return "person"


def _fold(text: str) -> str:
    """The lookup form: no quotes or tatweel, one kind of alef, words joined by no-break spaces.

    Dots part words, so `أ. ف. ب` and `أ.ف.ب` are `أ ف ب`. The madda is folded with the
    hamzas, unlike in the lexicon: bylines compare names of places and papers, which
    writers spell without it as often as without the hamza (اسلام اباد for إسلام آباد,
    ار تي), and no two names in the lists differ by a madda alone.
    """
    plain = text.replace(TATWEEL, "").replace(".", " ").strip(_QUOTES + " :")
    words = fold_alefs(plain, madda=True).split()
    return "\u00a0".join(words)


_FOLDED_PLACES = frozenset(_fold(p) for p in PLACES)
_FOLDED_SOURCES = frozenset(_fold(s) for s in SOURCES)
_FOLDED_STAFF = frozenset(_fold(s) for s in STAFF)
_BUREAUS = frozenset(("مكتب", "مراسل", "مندوب"))
"""A paper's bureau or correspondent, before the paper's or the city's name."""
