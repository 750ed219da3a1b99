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
from dataclasses import dataclass

from nashra.text.counted_nouns import (
    Noun,
    bare,
    count_category,
    guess_gender,
    lookup,
    may_be_counted,
    noun_data,
    noun_form,
)
from nashra.text.letters import HARAKAT, LETTERS
from nashra.text.number_case import case_at, core, ends_clause, is_governor, only_closers
from nashra.text.number_words import (
    CONNECTORS,
    CURRENCY_ADJECTIVES,
    OBLIQUE_CONNECTORS,
    ONE_WORD_MONTHS,
    PERCENT_WORDS,
    TANWEEN_ALIF,
    TWO_WORD_MONTHS,
    YEAR_MARKS,
    YEAR_NOUNS,
    Case,
    Gender,
    below_hundred,
    cardinal,
    decimal,
    digits,
    dual_of,
    ones,
    ordinal,
)

# ---------------------------------------------------------------------------
# Reading numbers in running text

_WORD_RE = re.compile(
    r"^(?P<lead>(?:[وف]?[بلك]?[^\w\s]+)?)(?P<prefix>[وف]?[بلك]?)(?P<num>\d+(?:[.,]\d+)?)"
    r"(?P<trail>[^\w]*)$"
)
_PUNCT_RE = re.compile(r"^[^\w]*|[^\w]*$")
_YEAR_ADJECTIVE_RE = re.compile(r"^ال\w+ي$")
_TRAILING_RE = re.compile(rf"[^\w{HARAKAT}]*$")
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


def _month_before(words: list[str], index: int) -> bool:
    """Whether the words right before `index` name a month (يوليو 2015, ذي القعدة 1436)."""
    if index < 1 or ends_clause(words[index - 1]):
        return False
    last = core(words[index - 1])
    if last == "صفر":
        return False  # more often the number zero, said for an earlier number
    if last.lstrip("و") in ONE_WORD_MONTHS or last in ONE_WORD_MONTHS:
        return True
    return index >= 2 and last in TWO_WORD_MONTHS.get(core(words[index - 2]), ())


def _month_after(words: list[str], index: int) -> int:
    """How many words after `index` name a month: 0, 1 or 2."""
    if index + 1 >= len(words):
        return 0
    first = core(words[index + 1])
    if first in ONE_WORD_MONTHS:
        return 1
    if (
        index + 2 < len(words)
        and not ends_clause(words[index + 1])
        and core(words[index + 2]) in TWO_WORD_MONTHS.get(first, ())
    ):
        return 2
    return 0


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
        if link in CONNECTORS and following and not following.lead and not following.prefix:
            chain.append((link, following))
            current = following
            continue
        break
    return chain


def _is_integer(num: str) -> bool:
    return num.isdigit()


def _say(num: str, gender: Gender, case: Case, construct: bool) -> str:
    if not _is_integer(num):
        return decimal(num, case)
    if len(num) > 1 and num.startswith("0"):
        return digits(num)
    return cardinal(int(num), gender, case, construct=construct)


@dataclass(frozen=True)
class Reading:
    """One number as written (its digits), the words said for it, and the case
    they were said in (for an ordinal, its noun's)."""

    written: str
    said: str
    case: Case


class _Reader:
    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.data = noun_data()
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

    def _put(self, number: _Number, said: str, case: Case) -> None:
        self.words[number.index] = number.lead + number.prefix + said + number.trail
        self.readings.append(Reading(number.num, said, case))

    def _read_at(self, first: _Number) -> int:
        """Say the number at `first` (and those joined to it); where to go on from."""
        specials = (
            self._ordinal_after_article,
            self._ordinal_after_noun,
            self._day_of_month,
            self._money_with_cents,
        )
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
        noun = core(words[first.index - 2]) if first.index >= 2 else ""
        found = lookup(noun.removeprefix("ال"))
        gender = found[0].gender if found else guess_gender(noun)
        case = case_at(words, first.index - 2) if first.index >= 2 else "nom"
        words[first.index - 1] = ""
        self._put(first, ordinal(int(first.num), gender, case), case)
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
        if ends_clause(previous):
            return None
        noun = core(previous)
        bare = noun[1:] if noun[:1] in "وفبل" and noun[1:].startswith("ال") else noun
        if not bare.startswith("ال") or bare[2:] not in self.data.ranked:
            return None
        found = lookup(bare[2:])
        gender = found[0].gender if found else guess_gender(bare)
        case: Case = "gen" if noun[:1] in "بل" and bare != noun else case_at(words, first.index - 1)
        self._put(first, ordinal(int(first.num), gender, case), case)
        return first.index + 1

    def _day_of_month(self, first: _Number) -> int | None:
        """14 أكتوبر: a masculine ordinal (it qualifies يوم), then من and the month."""
        words = self.words
        month_words = 0 if first.trail else _month_after(words, first.index)
        if not month_words or not _is_integer(first.num) or not 1 <= int(first.num) <= 31:
            return None
        self._put(first, f"{ordinal(int(first.num), 'm', 'gen')} من", "gen")
        month = first.index + 1
        if core(words[month]) == "ذو":
            words[month] = words[month].replace("ذو", "ذي", 1)  # genitive after من
        return month + month_words

    def _money_with_cents(self, first: _Number) -> int | None:
        """1250.50 ريال: ألف ومئتان وخمسون ريالا وخمسون هللة. The whole part counts the
        currency, the cents its coin; a currency with no coin in the data: فاصل خمسون."""
        words = self.words
        whole, point, cents = first.num.replace(",", ".").partition(".")
        noun_index = first.index + 1
        if not point or len(cents) != 2 or first.trail or noun_index >= len(words):
            return None
        found = lookup(_PUNCT_RE.sub("", words[noun_index]))
        if found is None or found[0].singular not in self.data.subunits:
            return None
        case = case_at(words, first.index, first.lead, first.prefix)
        noun = found[0]
        if int(whole) == 0 or int(cents) == 0:
            return None
        category = count_category(int(whole))
        if category in ("one", "two"):
            return None  # ريال واحد و…: left to the decimal reading
        construct = category == "genitive"
        self._put(first, cardinal(int(whole), noun.gender, case, construct=construct), case)
        after = words[noun_index]
        punctuation = _trailing(after)
        said = noun_form(noun, after[: len(after) - len(punctuation)], category, construct)
        coin_index = noun_index
        adjective = words[noun_index + 1] if noun_index + 1 < len(words) else ""
        if not punctuation and bare(core(adjective)) in CURRENCY_ADJECTIVES:
            coin_index = noun_index + 1  # ريالا سعوديا وخمسون هللة
        coin = lookup(self.data.subunits[noun.singular])
        assert coin is not None, noun.singular  # the data's coins are its nouns
        amount = int(cents)
        coin_category = count_category(amount)
        if coin_category == "one":
            coin_said = f"{coin[0].singular} {ones(1, coin[0].gender)}"
        elif coin_category == "two":
            coin_said = dual_of(coin[0].singular, case, False) or coin[0].singular
        else:
            number = cardinal(amount, coin[0].gender, case)
            coin_said = f"{number} {noun_form(coin[0], coin[0].singular, coin_category, False)}"
        words[noun_index] = said + punctuation
        if coin_index != noun_index:
            self._adjective(coin_index, category)
        target = words[coin_index]
        tail = _trailing(target)
        words[coin_index] = f"{target[: len(target) - len(tail)]} و{coin_said}{tail}"
        return coin_index + 1

    def _count(self, first: _Number) -> int:
        """A cardinal, or a few joined by أو, و, إلى, with the noun they count."""
        words = self.words
        case = case_at(words, first.index, first.lead, first.prefix)
        if self.listed and self.listed[0] == first.index - 1 and not first.lead:
            case = self.listed[1]  # a list of numbers shares the case of its first
        chain = _chain(words, first)
        last = chain[-1][1]
        noun_index = last.index + 1
        open_after = not last.trail or only_closers(last.trail)
        after = words[noun_index] if noun_index < len(words) and open_after else ""
        month_before = _month_before(words, first.index)
        if month_before:
            case = "gen"  # يونيو ألفين وتسعة عشر: عام is understood
        year = (
            month_before
            or core(after) in YEAR_MARKS
            or (
                first.index >= 1
                and not first.lead
                and not ends_clause(words[first.index - 1])
                and is_governor(words[first.index - 1], YEAR_NOUNS)
            )
            or self._year_adjective_before(first)
        )
        if year and case == "nom" and self._year_adjective_before(first):
            case = "gen"  # العام المالي ألفين وسبعة وعشرين: عام is understood
        percent = core(after) in PERCENT_WORDS or (
            core(after) == "في"
            and noun_index + 1 < len(words)
            and core(words[noun_index + 1]) in ("المئة", "المائة")
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
                category = count_category(int(last.num))
                if noun.singular in self.data.scale and noun_index + 1 < len(words):
                    construct = not ends_clause(after) and (
                        lookup(_PUNCT_RE.sub("", words[noun_index + 1])) is not None
                    )
            elif may_be_counted(core(after), self.data):
                gender = guess_gender(core(after))
        # Say each number of the chain.
        current_case = case
        for link, number in chain:
            if link in OBLIQUE_CONNECTORS:
                current_case = "gen"
            is_last = number is last
            if is_last and noun is not None and category in ("one", "two"):
                continue  # said by the noun itself: مليون, مليونان
            number_construct = is_last and noun is not None and category == "genitive"
            self._put(
                number, _say(number.num, gender, current_case, number_construct), current_case
            )
        listing = last.trail in ("،", ",") or (
            not last.trail and _number_at(words, last.index + 1) is not None
        )
        self.listed = (last.index, case) if listing else None
        if noun is None:
            return last.index + 1
        punctuation = _trailing(after)
        written = after[: len(after) - len(punctuation)]
        said = self._noun_said(noun, written, category, current_case, construct, last)
        words[noun_index] = said + punctuation
        if category in ("accusative", "plural") and not punctuation:
            self._adjective(noun_index + 1, category)
        return noun_index + 1

    def _year_adjective_before(self, first: _Number) -> bool:
        """العام المالي 2027, السنة الدراسية 2015: a year after its noun and an adjective."""
        words = self.words
        if first.index < 2 or first.lead or ends_clause(words[first.index - 1]):
            return False
        adjective = core(words[first.index - 1]).removesuffix("ة")
        return bool(_YEAR_ADJECTIVE_RE.match(adjective)) and is_governor(
            words[first.index - 2], YEAR_NOUNS
        )

    def _noun_said(
        self, noun: Noun, written: str, category: str, case: Case, construct: bool, last: _Number
    ) -> str:
        if category == "one":
            said = noun.singular
            if noun.singular not in self.data.scale:
                said += " " + ones(1, noun.gender)
            self.words[last.index] = last.trail
            self.readings.append(Reading(last.num, said, case))
            return last.lead + last.prefix + said
        if category == "two":
            dual = dual_of(noun.singular, case, construct)
            if dual is None:
                self._put(last, below_hundred(2, noun.gender, case), case)
                return written
            self.words[last.index] = last.trail
            self.readings.append(Reading(last.num, dual, case))
            return last.lead + last.prefix + dual
        return noun_form(noun, written, category, construct)

    def _adjective(self, index: int, category: str) -> None:
        """ريال سعودي after a number: ريالًا سعوديًا, ريالات سعودية."""
        if index >= len(self.words):
            return
        word = self.words[index]
        punctuation = _trailing(word)
        core = word[: len(word) - len(punctuation)]
        if bare(core) not in CURRENCY_ADJECTIVES:
            return
        ending = TANWEEN_ALIF if category == "accusative" else "ة"
        self.words[index] = bare(core) + ending + punctuation


# بـ 17, و 2378 and بـ (9.1 (the kashida or a stray space took the letter off its
# number). The letter goes back where it was written: before the bracket, if any.
_LOOSE_PREFIX_RE = re.compile(r"(?<!\S)(و|ف|[وف]?[بلك])\s+(?=[(«\"]?\d)")
_LIST_MARK_RE = re.compile(rf"(?<!\S)(\d+)([-.])(?=[{LETTERS}])")
_GLUED_COMMA_RE = re.compile(rf"(\d)([،,])(?=[{LETTERS}])")


def read_numbers(text: str) -> tuple[str, list[Reading]]:
    """`text` with every number said in words, and what each number became."""
    text = _LIST_MARK_RE.sub(r"\1\2 ", text)  # 2-الفوائض: a numbered heading
    text = _GLUED_COMMA_RE.sub(r"\1\2 ", text)  # 2014،فيما
    text = _LOOSE_PREFIX_RE.sub(r"\1", text)
    parts = _SPACE_SPLIT_RE.split(text)
    words = parts[0::2]
    if not any(any(c.isdigit() for c in word) for word in words):
        return text, []
    reader = _Reader(list(words))
    said = reader.read()
    # A number said by its noun alone (2 مليون → مليوني) leaves no word: its space goes too.
    kept: list[str] = []
    for index, word in enumerate(said):
        space = parts[2 * index + 1] if 2 * index + 1 < len(parts) else ""
        if word or not words[index]:
            kept += [word, space]
        elif not space and kept:
            kept[-1] = ""  # the last word: the space before it goes
    return "".join(kept), reader.readings


def verbalize(text: str) -> str:
    """Say every number in `text` in words, agreeing with what is around it.

    Expects the clean text of the normalization pipeline: Western digits, no
    thousands separators, percent signs and currency symbols already words.
    """
    return read_numbers(text)[0]
