"""Numbers said in words, with the agreement Arabic gives them.

Both speech engines read a digit string as a masculine nominative cardinal,
whatever it counts and wherever it stands. Arabic does not: 3 to 10 take the
gender opposite to the counted noun's singular (ثلاثة أيام، ثلاث سنوات), the
noun itself is plural after 3 to 10, singular accusative after 11 to 99 and
singular genitive after hundreds and thousands; after a preposition or a
governing noun the number's dual and tens end in ـين; a day of the month is an
ordinal (الحادي والعشرين من أكتوبر). These functions say a number the way a
newsreader does, from the words around it.

What the words around a number mean (the gender and plurals of counted
nouns, the governors and verbs that make a number oblique) is data, in
`counted_nouns.toml`, not code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Gender = Literal["m", "f"]
Case = Literal["nom", "gen", "acc"]
"""Nominative, genitive or accusative. The last two are written alike (the
dual and tens end in ـين) except for the tanween alif of a unit joined to
tens: أربعًا وثلاثين as an object, أربعٍ وثلاثين after a preposition."""

_HARAKAT_RE = re.compile("[\u064b-\u0652\u0670]")
TANWEEN_ALIF = "ا"
"""The accusative ending of an indefinite noun, written as the news writes it
(عاما for عامًا): the voice, or the diacritizer, puts the tanween on it."""

# The forms said with a masculine and with a feminine counted noun: from 3 to
# 10 the one said with a masculine noun is the one that looks feminine.
_ONES_M = ("", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة")
_ONES_F = ("", "واحدة", "اثنتان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع", "عشر")
_TENS_STEM = ("", "", "عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")
_HUNDREDS = (
    "", "مئة", "", "ثلاثمئة", "أربعمئة", "خمسمئة", "ستمئة", "سبعمئة", "ثمانمئة", "تسعمئة",
)  # fmt: skip
_ORDINALS_M = (
    "", "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع",
    "العاشر",
)  # fmt: skip
_ORDINALS_F = (
    "", "الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة", "الثامنة",
    "التاسعة", "العاشرة",
)  # fmt: skip
# (singular, dual stem, plural) of the counting words, largest first.
_SCALES = (
    (10**12, "تريليون", "تريليونات"),
    (10**9, "مليار", "مليارات"),
    (10**6, "مليون", "ملايين"),
    (10**3, "ألف", "آلاف"),
)
_LARGEST = 10**15
_DIGIT_NAMES = ("صفر", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة")
DECIMAL_POINT = "فاصل"

GREGORIAN_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
    "نوفمبر", "ديسمبر",
)  # fmt: skip
HIJRI_MONTHS = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
    "رمضان", "شوال", "ذي القعدة", "ذي الحجة",
)  # fmt: skip
"""Hijri months as said after من: ذو القعدة becomes ذي القعدة in the genitive."""
_ONE_WORD_MONTHS = frozenset(
    {
        *GREGORIAN_MONTHS,
        *("إبريل", "ابريل", "اغسطس", "أغسطس", "اكتوبر", "أيار", "آذار", "شباط", "نيسان"),
        *("حزيران", "تموز", "آب", "أيلول", "محرم", "صفر", "رجب", "شعبان", "رمضان", "شوال"),
    }
)
_TWO_WORD_MONTHS = {
    "ربيع": ("الأول", "الآخر", "الثاني"),
    "جمادى": ("الأولى", "الآخرة", "الثانية", "الأول"),
    "ذو": ("القعدة", "الحجة"),
    "ذي": ("القعدة", "الحجة"),
    "تشرين": ("الأول", "الثاني"),
    "كانون": ("الأول", "الثاني"),
}
_YEAR_MARKS = frozenset({"هجرية", "هجري", "ميلادية", "ميلادي", "للهجرة", "للميلاد"})
_YEAR_NOUNS = frozenset({"عام", "العام", "لعام", "للعام", "عامي", "سنة", "السنة", "لسنة"})
_PERCENT_WORDS = frozenset({"بالمئة", "بالمائة"})
_CONNECTORS = frozenset({"أو", "إلى", "الى", "حتى", "و"})
_OBLIQUE_CONNECTORS = frozenset({"إلى", "الى", "حتى"})
# Words that follow a number without being what it counts.
_NOT_NOUNS = frozenset(
    {
        *("من", "في", "على", "إلى", "الى", "عن", "أو", "و", "ثم", "أي", "ما", "لا", "لم", "لن"),
        *("قد", "إن", "أن", "التي", "الذي", "الذين", "هي", "هو", "هم", "مع", "بين", "حيث", "كما"),
        *("بعد", "قبل", "منذ", "حتى", "فقط", "تقريبا", "بينما", "فيما", "عند", "نحو", "لكل"),
    }
)
# Nisba adjectives that come after currencies (ريال سعودي) and agree with them.
_CURRENCY_ADJECTIVES = frozenset(
    {
        *("سعودي", "إماراتي", "مصري", "كويتي", "قطري", "بحريني", "عماني", "أمريكي", "أميركي"),
        *("أردني", "إسترليني", "استرليني", "أسترالي", "كندي", "عراقي", "سوداني", "مغربي", "جزائري"),
        *("تونسي", "ليبي", "يمني", "لبناني", "سوري", "تركي", "إيراني", "هندي", "صيني"),
    }
)


def _ones(n: int, gender: Gender) -> str:
    return (_ONES_M if gender == "m" else _ONES_F)[n]


def _below_hundred(n: int, gender: Gender, case: Case) -> str:
    """1..99 counting a noun of `gender` (3 to 10 look the opposite: ثلاثة أيام)."""
    obl = case != "nom"
    if n == 1:
        return _ones(1, gender) + ("ا" if case == "acc" and gender == "m" else "")
    if n == 2:
        return ("اثنين" if obl else "اثنان") if gender == "m" else ("اثنتين" if obl else "اثنتان")
    if n <= 10:
        return _ones(n, gender)
    if n == 11:
        return "أحد عشر" if gender == "m" else "إحدى عشرة"
    if n == 12:
        if gender == "m":
            return "اثني عشر" if obl else "اثنا عشر"
        return "اثنتي عشرة" if obl else "اثنتا عشرة"
    if n < 20:
        return f"{_ones(n - 10, gender)} {'عشر' if gender == 'm' else 'عشرة'}"
    tens = _TENS_STEM[n // 10] + ("ين" if obl else "ون")
    unit = n % 10
    if unit == 0:
        return tens
    if unit == 1:
        first = "واحد" if gender == "m" else "إحدى"
    elif unit == 8 and gender == "f":
        first = "ثمانيا" if case == "acc" else "ثمان"  # ثمانٍ وعشرون سنة
    else:
        first = _below_hundred(unit, gender, case)
    if case == "acc" and not first.endswith(("ة", "ى", "ين", "ا")):
        first += "ا"  # واحدًا وعشرين، أربعًا وثلاثين
    return f"{first} و{tens}"


def _below_thousand(n: int, gender: Gender, case: Case, construct: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts: list[str] = []
    if hundreds == 2:
        if rest == 0 and construct:
            parts.append("مئتي" if case != "nom" else "مئتا")
        else:
            parts.append("مئتين" if case != "nom" else "مئتان")
    elif hundreds:
        parts.append(_HUNDREDS[hundreds])
    if rest:
        parts.append(_below_hundred(rest, gender, case))
    return " و".join(parts)


def _dual(singular: str, case: Case, construct: bool) -> str | None:
    """مليون → مليونان / مليونين, or مليونا / مليوني in idafa; None where unsure."""
    if singular.endswith(("ى", "ي", "ا")):
        return None
    stem = singular[:-1] + "ت" if singular.endswith("ة") else singular
    if construct:
        return stem + ("ي" if case != "nom" else "ا")
    return stem + ("ين" if case != "nom" else "ان")


def cardinal(n: int, gender: Gender = "m", case: Case = "nom", *, construct: bool = False) -> str:
    """`n` in words, counting a noun of `gender`, in `case`.

    `construct` says that a counted noun follows in the genitive, so that a
    last counting word takes no tanween and a dual loses its ن: أربعون ألف
    دولار, ألفا دولار, مئتا رجل (and standing alone أربعون ألفًا, ألفان).
    Numbers of a quadrillion and more are read digit by digit.
    """
    if n < 0:
        return f"سالب {cardinal(-n, gender, case, construct=construct)}"
    if n == 0:
        return "صفر"
    if n >= _LARGEST:
        return digits(str(n))
    parts: list[str] = []
    rest = n
    for value, singular, plural in _SCALES:
        count, rest = divmod(rest, value)
        if not count:
            continue
        last = rest == 0
        if count == 1:
            parts.append(singular)
        elif count == 2:
            parts.append(_dual(singular, case, construct and last) or singular)
        else:
            words = cardinal(count, "m", case)
            tail = count % 100
            if 3 <= tail <= 10:
                noun = plural
            elif tail >= 11 and not (last and construct):
                noun = singular + TANWEEN_ALIF
            else:
                noun = singular
            parts.append(f"{words} {noun}")
    if rest:
        parts.append(_below_thousand(rest, gender, case, construct))
    return " و".join(parts)


def ordinal(n: int, gender: Gender = "m", case: Case = "nom") -> str:
    """1..99 as an ordinal with the article: الأول, الحادي عشر, الحادية والعشرون."""
    if not 1 <= n <= 99:
        raise ValueError(f"ordinals are said for 1 to 99, not {n}")
    table = _ORDINALS_M if gender == "m" else _ORDINALS_F
    if n <= 10:
        return table[n]
    ten = "عشر" if gender == "m" else "عشرة"
    if n == 11:
        return f"{'الحادي' if gender == 'm' else 'الحادية'} {ten}"
    if n < 20:
        return f"{table[n - 10]} {ten}"
    tens = "ال" + _TENS_STEM[n // 10] + ("ين" if case != "nom" else "ون")
    unit = n % 10
    if unit == 0:
        return tens
    first = ("الحادي" if gender == "m" else "الحادية") if unit == 1 else table[unit]
    return f"{first} و{tens}"


def digits(text: str) -> str:
    """Each digit by its name: for codes and numbers with a leading zero."""
    return " ".join(_DIGIT_NAMES[int(d)] for d in text if d.isdigit())


def decimal(text: str, case: Case = "nom") -> str:
    """12.4 → اثنا عشر فاصل أربعة; 3.0 → ثلاثة; 0.05 → صفر فاصل صفر خمسة.

    An accusative decimal is read as a genitive one: no tanween on its parts.
    """
    if case == "acc":
        case = "gen"
    whole, _, fraction = text.replace(",", ".").partition(".")
    said = cardinal(int(whole), "m", case)
    fraction = fraction.rstrip("0")
    if not fraction:
        return said
    zeros = len(fraction) - len(fraction.lstrip("0"))
    tail = " ".join(["صفر"] * zeros + [cardinal(int(fraction), "m", case)])
    return f"{said} {DECIMAL_POINT} {tail}"


def _plain(word: str) -> str:
    return _HARAKAT_RE.sub("", word)


@dataclass(frozen=True)
class Noun:
    """A counted noun: its singular, the gender of the singular, its plurals."""

    singular: str
    gender: Gender
    plurals: tuple[str, ...]


@dataclass(frozen=True)
class _Data:
    nouns: dict[str, Noun]
    plural_of: dict[str, Noun]
    scale: frozenset[str]
    governors: frozenset[str]
    verbs: frozenset[str]
    ranked: frozenset[str]


@cache
def _data() -> _Data:
    text = (resources.files("nashra.text") / "counted_nouns.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    nouns: dict[str, Noun] = {}
    plural_of: dict[str, Noun] = {}
    for singular, (gender, *plurals) in raw["nouns"].items():
        if gender not in ("m", "f"):
            raise ValueError(f"counted_nouns.toml: {singular!r} has gender {gender!r}, not m or f")
        noun = Noun(singular, gender, tuple(plurals))
        nouns[singular] = noun
        for plural in plurals:
            plural_of.setdefault(plural, noun)
    return _Data(
        nouns=nouns,
        plural_of=plural_of,
        scale=frozenset(raw["scale"]["words"]),
        governors=frozenset(raw["governors"]["words"]),
        verbs=frozenset(raw["verbs"]["words"]),
        ranked=frozenset(raw["ranked"]["words"]),
    )


Form = Literal["singular", "accusative", "plural"]


def lookup(word: str) -> tuple[Noun, Form] | None:
    """The counted noun a written word is, and in which form it was written."""
    data = _data()
    plain = _plain(word)
    if plain in data.nouns:
        return data.nouns[plain], "singular"
    if plain.endswith("ا") and plain[:-1] in data.nouns:
        return data.nouns[plain[:-1]], "accusative"
    if plain in data.plural_of:
        return data.plural_of[plain], "plural"
    return None


def _guess_gender(word: str) -> Gender:
    """The gender of a noun that is not in the data, from its ending."""
    plain = _plain(word)
    if plain.endswith("ة"):
        return "f"
    # Sound feminine plurals are mostly of nouns in ة (سيارات); those of
    # derived verbal nouns (اجتماعات, انتخابات) are masculine.
    if plain.endswith("ات") and not plain.startswith("ا"):
        return "f"
    return "m"


# ---------------------------------------------------------------------------
# Reading numbers in running text

_WORD_RE = re.compile(
    r"^(?P<lead>(?:[وف]?[بلك]?[^\w\s]+)?)(?P<prefix>[وف]?[بلك]?)(?P<num>\d+(?:[.,]\d+)?)"
    r"(?P<trail>[^\w]*)$"
)
_PUNCT_RE = re.compile(r"^[^\w]*|[^\w]*$")
_TRAILING_RE = re.compile(r"[^\w\u064b-\u0652]*$")
_SPACE_SPLIT_RE = re.compile(r"(\s+)")


@dataclass
class _Number:
    index: int
    lead: str
    prefix: str
    num: str
    trail: str


def _number_at(words: list[str], index: int) -> _Number | None:
    if not 0 <= index < len(words):
        return None
    match = _WORD_RE.match(words[index])
    if match is None:
        return None
    return _Number(index, match["lead"], match["prefix"], match["num"], match["trail"])


def _trailing(word: str) -> str:
    match = _TRAILING_RE.search(word)
    return match.group() if match else ""


def _core(word: str) -> str:
    return _plain(_PUNCT_RE.sub("", word))


def _is_governor(word: str, governors: frozenset[str]) -> bool:
    """Whether `word` is one of `governors`, alone or with و ف ب ل in front (وفي، بعام)."""
    core = _core(word)
    if core in governors:
        return True
    for length in (1, 2):
        prefix, rest = core[:length], core[length:]
        if prefix.strip("وفبل") == "" and rest in governors:
            return True
    return False


def _ends_clause(word: str) -> bool:
    return bool(word) and not word[-1].isalnum() and not _HARAKAT_RE.match(word[-1])


def _month_before(words: list[str], index: int) -> bool:
    """Whether the words right before `index` name a month (يوليو 2015, ذي القعدة 1436)."""
    if index < 1 or _ends_clause(words[index - 1]):
        return False
    last = _core(words[index - 1])
    if last == "صفر":
        return False  # more often the number zero, said for an earlier number
    if last.lstrip("و") in _ONE_WORD_MONTHS or last in _ONE_WORD_MONTHS:
        return True
    return index >= 2 and last in _TWO_WORD_MONTHS.get(_core(words[index - 2]), ())


def _month_after(words: list[str], index: int) -> int:
    """How many words after `index` name a month: 0, 1 or 2."""
    if index + 1 >= len(words):
        return 0
    first = _core(words[index + 1])
    if first in _ONE_WORD_MONTHS:
        return 1
    if (
        index + 2 < len(words)
        and not _ends_clause(words[index + 1])
        and _core(words[index + 2]) in _TWO_WORD_MONTHS.get(first, ())
    ):
        return 2
    return 0


def _case_before(words: list[str], number: _Number) -> Case:
    """Genitive after a preposition or a governing noun, accusative after a verb
    whose object it is (or that says by how much something moved)."""
    data = _data()
    if number.prefix.lstrip("وف") or number.lead[:2].lstrip("وف")[:1] in ("ب", "ل", "ك"):
        return "gen"  # ب50، ب(136)
    if number.lead or number.index == 0:
        return "nom"
    previous = words[number.index - 1]
    if _ends_clause(previous):
        return "nom"
    core = _core(previous)
    if core in ("ب", "ل", "ك") or _is_governor(previous, data.governors):
        return "gen"
    if _is_governor(previous, data.verbs):
        return "acc"
    if number.index >= 2:
        before = words[number.index - 2]
        if (
            not _ends_clause(before)
            and _is_governor(before, data.verbs)
            and core not in _NOT_NOUNS
            and not _is_governor(previous, data.governors)
        ):
            return "acc"  # verb, subject, number: ارتفع المؤشر 1.7 في المئة
    return "nom"


def _chain(words: list[str], first: _Number) -> list[tuple[str, _Number]]:
    """The number and those joined to it: 6 أو 7 سنوات, 10 إلى 15 يوما, 47 و60 دولارا."""
    chain: list[tuple[str, _Number]] = [("", first)]
    current = first
    while not current.trail:
        link = words[current.index + 1] if current.index + 1 < len(words) else ""
        glued = _number_at(words, current.index + 1)
        if glued and glued.prefix == "و" and not glued.lead:
            chain.append(("و", glued))
            current = glued
            continue
        following = _number_at(words, current.index + 2)
        if link in _CONNECTORS and following and not following.lead and not following.prefix:
            chain.append((link, following))
            current = following
            continue
        break
    return chain


def _may_be_counted(word: str, data: _Data) -> bool:
    """Whether an unknown word after a number may be what it counts.

    Not a particle, not a definite word, and not و before a known word
    (15 وإصابة 33 آخرين: the noun is understood).
    """
    if word in _NOT_NOUNS or word.startswith("ال") or not word:
        return False
    if word.startswith(("و", "ف")):
        rest = word[1:]
        if rest.startswith("ال") or rest in data.governors or rest in _NOT_NOUNS:
            return False
        if lookup(rest) is not None:
            return False
    return True


def _is_integer(num: str) -> bool:
    return num.isdigit()


def _category(n: int) -> str:
    tail = n % 100
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    if 3 <= tail <= 10:
        return "plural"
    if tail >= 11:
        return "accusative"
    if tail == 0 and n >= 100:
        return "genitive"
    return "as-written"


def _say(num: str, gender: Gender, case: Case, construct: bool) -> str:
    if not _is_integer(num):
        return decimal(num, case)
    if len(num) > 1 and num.startswith("0"):
        return digits(num)
    return cardinal(int(num), gender, case, construct=construct)


def _noun_form(noun: Noun, written: str, category: str, construct: bool) -> str:
    """The counted noun as said after a number of `category`."""
    if category == "plural":
        if _plain(written) in noun.plurals or not noun.plurals:
            return written
        return noun.plurals[0]
    if category == "accusative":
        if construct or noun.singular.endswith(("ة", "ى", "ا", "و")):  # سنة, يورو
            return noun.singular
        return noun.singular + TANWEEN_ALIF
    if category == "genitive":
        return noun.singular
    return written


@dataclass(frozen=True)
class Reading:
    """One number as written (its digits) and the words said for it."""

    written: str
    said: str


class _Reader:
    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.data = _data()
        self.readings: list[Reading] = []
        self.listed: tuple[int, Case] | None = None
        """Where the last number read ended with a comma, and its case: 2015، 2016."""

    def read(self) -> list[str]:
        index = 0
        while index < len(self.words):
            number = _number_at(self.words, index)
            if number is None:
                index += 1
                continue
            index = self._read_at(number)
        return self.words

    def _put(self, number: _Number, said: str) -> None:
        self.words[number.index] = number.lead + number.prefix + said + number.trail
        self.readings.append(Reading(number.num, said))

    def _read_at(self, first: _Number) -> int:
        """Say the number at `first` (and those joined to it); where to go on from."""
        specials = (self._ordinal_after_article, self._ordinal_after_noun, self._day_of_month)
        for special in specials:
            resume = special(first)
            if resume is not None:
                return resume
        return self._count(first)

    def _ordinal_after_article(self, first: _Number) -> int | None:
        """الـ20 (written apart once the kashida is gone): an ordinal agreeing with
        the noun before it, الدورة العشرين."""
        words = self.words
        if first.index < 1 or words[first.index - 1] != "ال" or first.prefix:
            return None
        if not _is_integer(first.num) or not 1 <= int(first.num) <= 99:
            return None
        noun = _core(words[first.index - 2]) if first.index >= 2 else ""
        found = lookup(noun.removeprefix("ال"))
        gender = found[0].gender if found else _guess_gender(noun)
        case: Case = "nom"
        if first.index >= 3 and _is_governor(words[first.index - 3], self.data.governors):
            case = "gen"
        words[first.index - 1] = ""
        self._put(first, ordinal(int(first.num), gender, case))
        return first.index + 1

    def _ordinal_after_noun(self, first: _Number) -> int | None:
        """في الدقيقة 22, المادة (13): a rank after a definite noun that numbers
        things, said as an ordinal agreeing with it (الدقيقة الثانية والعشرين)."""
        words = self.words
        if first.index < 1 or first.prefix or not _is_integer(first.num):
            return None
        if not 1 <= int(first.num) <= 99 or first.lead not in ("", "("):
            return None
        previous = words[first.index - 1]
        if _ends_clause(previous):
            return None
        noun = _core(previous)
        bare = noun[1:] if noun[:1] in "وفبل" and noun[1:].startswith("ال") else noun
        if not bare.startswith("ال") or bare[2:] not in self.data.ranked:
            return None
        found = lookup(bare[2:])
        gender = found[0].gender if found else _guess_gender(bare)
        case: Case = "nom"
        if noun[:1] in "بل" and bare != noun:
            case = "gen"  # بالدقيقة, للمرحلة
        elif first.index >= 2 and _is_governor(words[first.index - 2], self.data.governors):
            case = "gen"
        self._put(first, ordinal(int(first.num), gender, case))
        return first.index + 1

    def _day_of_month(self, first: _Number) -> int | None:
        """14 أكتوبر: a masculine ordinal (it qualifies يوم), then من and the month."""
        words = self.words
        month_words = 0 if first.trail else _month_after(words, first.index)
        if not month_words or not _is_integer(first.num) or not 1 <= int(first.num) <= 31:
            return None
        self._put(first, f"{ordinal(int(first.num), 'm', 'gen')} من")
        month = first.index + 1
        if _core(words[month]) == "ذو":
            words[month] = words[month].replace("ذو", "ذي", 1)  # genitive after من
        return month + month_words

    def _count(self, first: _Number) -> int:
        """A cardinal, or a few joined by أو, و, إلى, with the noun they count."""
        words = self.words
        case = _case_before(words, first)
        if self.listed and self.listed[0] == first.index - 1 and not first.lead:
            case = self.listed[1]  # a list of numbers shares the case of its first
        chain = _chain(words, first)
        last = chain[-1][1]
        noun_index = last.index + 1
        after = words[noun_index] if noun_index < len(words) and not last.trail else ""
        month_before = _month_before(words, first.index)
        if month_before:
            case = "gen"  # يونيو ألفين وتسعة عشر: عام is understood
        year = (
            month_before
            or _core(after) in _YEAR_MARKS
            or (
                first.index >= 1
                and not first.lead
                and not _ends_clause(words[first.index - 1])
                and _is_governor(words[first.index - 1], _YEAR_NOUNS)
            )
        )
        percent = _core(after) in _PERCENT_WORDS or (
            _core(after) == "في"
            and noun_index + 1 < len(words)
            and _core(words[noun_index + 1]) in ("المئة", "المائة")
        )
        noun: Noun | None = None
        gender: Gender = "m"
        category = "as-written"
        construct = False
        if after and not year and not percent and _is_integer(last.num):
            found = lookup(_PUNCT_RE.sub("", after))
            if found is not None:
                noun = found[0]
                gender = noun.gender
                category = _category(int(last.num))
                if noun.singular in self.data.scale and noun_index + 1 < len(words):
                    construct = not _ends_clause(after) and (
                        lookup(_PUNCT_RE.sub("", words[noun_index + 1])) is not None
                    )
            elif _may_be_counted(_core(after), self.data):
                gender = _guess_gender(_core(after))
        # Say each number of the chain.
        current_case = case
        for link, number in chain:
            if link in _OBLIQUE_CONNECTORS:
                current_case = "gen"
            is_last = number is last
            if is_last and noun is not None and category in ("one", "two"):
                continue  # said by the noun itself: مليون, مليونان
            number_construct = is_last and noun is not None and category == "genitive"
            self._put(number, _say(number.num, gender, current_case, number_construct))
        self.listed = (last.index, case) if last.trail in ("،", ",") else None
        if noun is None:
            return last.index + 1
        punctuation = _trailing(after)
        written = after[: len(after) - len(punctuation)]
        said = self._noun_said(noun, written, category, current_case, construct, last)
        words[noun_index] = said + punctuation
        if category in ("accusative", "plural") and not punctuation:
            self._adjective(noun_index + 1, category)
        return noun_index + 1

    def _noun_said(
        self, noun: Noun, written: str, category: str, case: Case, construct: bool, last: _Number
    ) -> str:
        if category == "one":
            said = noun.singular
            if noun.singular not in self.data.scale:
                said += " " + _ones(1, noun.gender)
            self.words[last.index] = last.lead + last.trail
            self.readings.append(Reading(last.num, said))
            return last.prefix + said
        if category == "two":
            dual = _dual(noun.singular, case, construct)
            if dual is None:
                self._put(last, _below_hundred(2, noun.gender, case))
                return written
            self.words[last.index] = last.lead + last.trail
            self.readings.append(Reading(last.num, dual))
            return last.prefix + dual
        return _noun_form(noun, written, category, construct)

    def _adjective(self, index: int, category: str) -> None:
        """ريال سعودي after a number: ريالًا سعوديًا, ريالات سعودية."""
        if index >= len(self.words):
            return
        word = self.words[index]
        punctuation = _trailing(word)
        core = word[: len(word) - len(punctuation)]
        if _plain(core) not in _CURRENCY_ADJECTIVES:
            return
        ending = TANWEEN_ALIF if category == "accusative" else "ة"
        self.words[index] = _plain(core) + ending + punctuation


# بـ 17 and و 2378 (the kashida or a stray space took the letter off its number).
_LOOSE_PREFIX_RE = re.compile(r"(?<!\S)(و|ف|[وف]?[بلك])\s*([(«\"]?)(?=\d)")
_LIST_MARK_RE = re.compile(r"(?<!\S)(\d+)([-.])(?=[\u0621-\u064a])")
_GLUED_COMMA_RE = re.compile(r"(\d)([،,])(?=[\u0621-\u064a])")


def read_numbers(text: str) -> tuple[str, list[Reading]]:
    """`text` with every number said in words, and what each number became."""
    text = _LIST_MARK_RE.sub(r"\1\2 ", text)  # 2-الفوائض: a numbered heading
    text = _GLUED_COMMA_RE.sub(r"\1\2 ", text)  # 2014،فيما
    text = _LOOSE_PREFIX_RE.sub(r"\2\1", text)  # ب(136) → (ب136): the letter stays with its word
    parts = _SPACE_SPLIT_RE.split(text)
    words = parts[0::2]
    if not any(any(c.isdigit() for c in word) for word in words):
        return text, []
    reader = _Reader(words)
    parts[0::2] = reader.read()
    return "".join(parts), reader.readings


def verbalize(text: str) -> str:
    """Say every number in `text` in words, agreeing with what is around it.

    Expects the clean text of the normalization pipeline: Western digits, no
    thousands separators, percent signs and currency symbols already words.
    """
    return read_numbers(text)[0]


# ---------------------------------------------------------------------------
# Numeric dates

_DATE_SEPARATOR = r"\s*[/\-–]\s*"
_DAY_FIRST_RE = re.compile(
    rf"(?<![\d/.])(\d{{1,2}}){_DATE_SEPARATOR}(\d{{1,2}}){_DATE_SEPARATOR}(\d{{4}})(?![\d/])"
    r"(\s*هـ?(?![\u0621-\u064a]))?"
)
_YEAR_FIRST_RE = re.compile(
    r"(?<![\d/.])(\d{4})\s*/\s*(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])(\s*هـ?(?![\u0621-\u064a]))?"
)
_HIJRI_BEFORE = 1600
_SLASH_RE = re.compile(r"(?<=\d)\s*/\s*(?=\d)")


def _date(day: int, month: int, year: int, hijri_mark: bool) -> str | None:
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    months = HIJRI_MONTHS if year < _HIJRI_BEFORE else GREGORIAN_MONTHS
    said = f"{ordinal(day, 'm', 'gen')} من {months[month - 1]} {cardinal(year, 'm', 'gen')}"
    return f"{said} هجرية" if hijri_mark else said


def numeric_dates(text: str) -> str:
    """Say 12/7/2015 as الثاني عشر من يوليو ألفين وخمسة عشر (day first, as the Arab world writes).

    Years before 1600 are Hijri (10/10/1436 → العاشر من شوال …); the year-first
    form 1436/10/30هـ is read the same way. Slashes and dashes alike. A slash
    left between two numbers that are not a date is dropped.
    """

    def day_first(match: re.Match[str]) -> str:
        said = _date(int(match[1]), int(match[2]), int(match[3]), bool(match[4]))
        return match[0] if said is None else said

    def year_first(match: re.Match[str]) -> str:
        said = _date(int(match[3]), int(match[2]), int(match[1]), bool(match[4]))
        return match[0] if said is None else said

    text = _YEAR_FIRST_RE.sub(year_first, _DAY_FIRST_RE.sub(day_first, text))
    # Whatever slash is left between numbers (a score 3/2, a season 1436/1437)
    # is not said: espeak-ng says the English word "slash".
    return _SLASH_RE.sub(" ", text)
