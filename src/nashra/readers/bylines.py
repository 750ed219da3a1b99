"""Bylines and datelines of Arabic news articles: who wrote it, and what is not read.

Newspapers put a person, a source (the paper or a news agency) and a place
(the dateline) together in many orders: `كتب: NAME`, `NAME – SOURCE`,
`الرياض - NAME`, `NAME-سبق-الرياض:`, `جدة - الجزيرة:`, `بريدة: NAME`,
`«الاقتصادية» من الرياض`, `SOURCE - متابعة:`. Which side is the person cannot be
told from the shape, so places and sources are looked up in two small closed
lists; whatever is neither is the person. Without a person the source is the
author (as `رويترز` is); a place alone is a dateline with no author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BYLINE_MAX_WORDS = 6
PART_MAX_WORDS = 4


def _names(text: str) -> frozenset[str]:
    """The names in `text`, one per whitespace-separated word; `_` joins the
    words of one name, and becomes the no-break space that `_fold` uses."""
    return frozenset(word.replace("_", "\u00a0") for word in text.split())


# Saudi cities and regions, and the Arab and world capitals datelines name.
PLACES = _names(
    """
    الرياض جدة مكة مكة_المكرمة المدينة_المنورة الدمام الخبر الظهران الأحساء الهفوف القطيف
    الجبيل بريدة عنيزة القصيم حائل تبوك أبها خميس_مشيط جازان جيزان نجران الباحة الطائف ينبع
    عرعر سكاكا الجوف القريات حفر_الباطن الخرج المجمعة بيشة القنفذة رابغ الدوادمي العلا الزلفي
    الرس صبيا محايل_عسير عسير المنطقة_الشرقية الشرقية
    القاهرة الإسكندرية دبي أبوظبي أبو_ظبي الشارقة الدوحة الكويت المنامة مسقط عمان عمّان بيروت
    دمشق بغداد البصرة أربيل صنعاء عدن تعز الخرطوم تونس الجزائر الرباط الدار_البيضاء طرابلس
    بنغازي القدس رام_الله غزة نواكشوط إسطنبول أنقرة طهران لندن باريس واشنطن نيويورك موسكو
    جنيف فيينا برلين بروكسل بكين طوكيو نيودلهي إسلام_آباد كابول
    """
)
"""Places a dateline names; `_` joins the words of a two-word name in the source."""

# Saudi papers and the agencies they quote. الرياض, المدينة and مكة are papers
# too, but as a dateline they are places; the place wins (either way they are
# not the person and not read).
SOURCES = _names(
    """
    سبق الجزيرة عكاظ اليوم الوطن المدينة الوئام الاقتصادية الشرق_الأوسط عين_اليوم الحياة
    مكة البلاد الرياضية المواطن تواصل واس رويترز أ_ف_ب ا_ف_ب أ.ف.ب فرانس_برس د_ب_أ الأناضول
    كونا وام بنا قنا العمانية سانا أ_ب يو_بي_آي العربية العربية_نت سي_إن_إن بي_بي_سي وكالات
    الوكالات
    """
)

# Newsroom words that name nobody: "follow-up", "exclusive", "the editor".
STAFF = frozenset(["متابعة", "خاص", "المحرر", "محرر", "المحليات", "مراسلنا"])

# كتب/كتبت ("wrote"), بقلم ("by the pen of"), with or without a colon; the
# others (review, interview, report, prepared, investigation) only with one,
# because they also start ordinary headings (تقرير جديد يكشف ...).
_BY_RE = re.compile(r"^(?:كتبت?|بقلم)\s*:?\s+(?P<name>\S.*)$")
_ROLE_RE = re.compile(r"^(?:رؤية|حوار|تقرير|إعداد|اعداد|تحقيق|متابعة)\s*:\s*(?P<name>\S.*)$")
# A photographer's or translator's credit: not the author, and not read.
_CREDIT_RE = re.compile(r"^(?:تصوير|ترجمة|عدسة)\s*:\s*\S")
# بريدة: NAME
_PLACE_COLON_RE = re.compile(r"^(?P<place>[^:]+?)\s*:\s*(?P<name>[^:]+)$")
# «الاقتصادية» من الرياض
_FROM_RE = re.compile(r"^(?P<quoted>«)?(?P<source>[^«»]+?)»?\s+من\s+(?P<place>\S.*)$")
_DASHES_RE = re.compile(r"\s*[-–—]\s*")
_SENTENCE_MARKS = set(".!؟?،؛:,;")
_QUOTES = "«»\"“”'()"
_ALEFS = str.maketrans("أإآ", "ااا")


@dataclass(frozen=True)
class Byline:
    """A line recognised as a byline or dateline; `author` is None when it names nobody."""

    author: str | None


def parse_byline(text: str) -> Byline | None:
    """The byline `text` is (a whole line, or the part before the colon), or None."""
    text = text.strip().removesuffix(":").strip()
    if not text or len(text.split()) > BYLINE_MAX_WORDS + 1:
        return None
    if _CREDIT_RE.match(text):
        return Byline(None)
    match = _BY_RE.match(text) or _ROLE_RE.match(text)
    if match:
        name = match.group("name")
        if len(name.split()) > BYLINE_MAX_WORDS or _SENTENCE_MARKS & set(name):
            return None
        return _from_parts(_split(name)) or Byline(name)
    if _SENTENCE_MARKS & set(text.replace(":", "")) or text[0].isdigit():
        return None
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


def is_source(name: str) -> bool:
    """Whether `name` is a newspaper or agency (from `SOURCES`) rather than a person."""
    return _fold(name) in _FOLDED_SOURCES


def _split(text: str) -> list[str]:
    return [part.strip(_QUOTES + " ") for part in _DASHES_RE.split(text)]


def _from_parts(parts: list[str]) -> Byline | None:
    if any(not part or len(part.split()) > PART_MAX_WORDS or part[0].isdigit() for part in parts):
        return None
    kinds = [_kind(part) for part in parts]
    people = [part for part, kind in zip(parts, kinds, strict=True) if kind == "person"]
    if people:
        # Two unknown parts: a person's name has two words or more, a place one.
        return Byline(next((p for p in people if len(p.split()) > 1), people[0]))
    sources = [part for part, kind in zip(parts, kinds, strict=True) if kind == "source"]
    return Byline(sources[0] if sources else None)


def _kind(part: str) -> str:
    folded = _fold(part)
    if folded in _FOLDED_PLACES:
        return "place"
    if folded in _FOLDED_SOURCES:
        return "source"
    if folded in _FOLDED_STAFF:
        return "staff"
    return "person"


def _fold(text: str) -> str:
    """The lookup form: no quotes or tatweel, one kind of alef, words joined by no-break spaces."""
    words = text.replace("\u0640", "").strip(_QUOTES + " :").translate(_ALEFS).split()
    return "\u00a0".join(words)


_FOLDED_PLACES = frozenset(_fold(p) for p in PLACES)
_FOLDED_SOURCES = frozenset(_fold(s) for s in SOURCES)
_FOLDED_STAFF = frozenset(_fold(s) for s in STAFF)
