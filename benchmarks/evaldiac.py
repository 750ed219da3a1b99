"""EvalDiac, the WikiNews benchmark's official diacritization scorer, ported from Java.

EvalDiac (`Evaluation/EvalDiac.java` in github:qcri/advancing-arabic-diacritization,
Mohamed & Mubarak, EMNLP 2025) compares a system's diacritized file with the
reference line by line and word by word. This port counts exactly what it counts,
quirks included, so that its figures are the published scorer's:

- lines are read as Java's `readLine` reads them; a line that is blank
  (`String.strip`) is skipped in both files;
- words are split at ASCII whitespace (`\\s+`), and a line whose word count
  differs from the reference's is left out of every count (`line_errors`);
- both sides lose their "default" marks first (`remove_default_diac`): a fatha
  before ا, a kasra before ي, a damma before و, every sukun, a fatha or kasra on ا;
  a vowel written before its shadda is put after it, and a tanween before its ا;
- a word is a string of (character, mark code) pairs (`diac_codes`); the
  characters themselves are never compared, only the marks, and only when both
  words have as many pairs (else the word is wrong: `word_errors`);
- a reference letter left bare accepts any mark, a reference shadda accepts a
  shadda with any vowel, and a tanween of fatha written on the letter before ا
  matches one written on the ا;
- a reference word written `a/b` lists the readings it accepts; they are tried in
  turn (only when the system's word does not line up with the whole reference
  word), and each one tried adds its letters to the letter count;
- without case endings (`stem=True`, EvalDiac's `--stemAccuracy true`) the last
  pair of each word is not compared.

Strings are handled as Java's, in UTF-16 code units. WER and DER are printed as
EvalDiac prints them: `100 - 100 × correct / total` in single precision, rounded
half up to two decimals.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FATHA, KASRA, DAMMA, SUKUN = "\u064e", "\u0650", "\u064f", "\u0652"
FATHATAN, KASRATAN, DAMMATAN, SHADDA = "\u064b", "\u064d", "\u064c", "\u0651"

EMPTY = "0"
SHADDA_CODE = "9"
_VOWEL_CODES = {FATHA: "1", KASRA: "2", DAMMA: "3", SUKUN: "4"}
_VOWEL_CODES |= {FATHATAN: "5", KASRATAN: "6", DAMMATAN: "7"}
_SHADDA_CODES = {FATHA: "A", KASRA: "B", DAMMA: "C", FATHATAN: "D", KASRATAN: "E"}
_SHADDA_CODES |= {DAMMATAN: "F", SUKUN: "G"}
SHADDA_WITH_VOWEL = frozenset(_SHADDA_CODES.values())

# EvalDiac's removeDefaultDiac, in its order: (written, replaced by).
DEFAULT_DIACRITICS = (
    (FATHA + "ا", "ا"),
    (KASRA + "ي", "ي"),
    (DAMMA + "و", "و"),
    ("ال" + SUKUN, "ال"),
    (SUKUN, ""),
    (FATHA + SHADDA, SHADDA + FATHA),
    (KASRA + SHADDA, SHADDA + KASRA),
    (DAMMA + SHADDA, SHADDA + DAMMA),
    (FATHATAN + SHADDA, SHADDA + FATHATAN),
    (KASRATAN + SHADDA, SHADDA + KASRATAN),
    (DAMMATAN + SHADDA, SHADDA + DAMMATAN),
    ("ا" + FATHA, "ا"),
    ("ا" + KASRA, "ا"),
    ("ل" + KASRA + "ا", "لا"),
    ("ا" + FATHATAN, FATHATAN + "ا"),
)

_JAVA_SPACE_RE = re.compile("[ \t\n\x0b\x0c\r]+")  # Java's \s: ASCII whitespace only
_LINE_END_RE = re.compile("\r\n|\r|\n")
_SLASH_RE = re.compile("/")
_TRIMMED = "".join(chr(c) for c in range(0x21))  # String.trim: every char <= U+0020


def java_units(text: str) -> str:
    """`text` as Java holds it: one character per UTF-16 code unit."""
    data = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(unit) for (unit,) in struct.iter_unpack("<H", data))


def java_split(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Java's `String.split(regex)`: trailing empty strings dropped."""
    parts = pattern.split(text)
    if len(parts) == 1:
        return parts
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _java_whitespace(char: str) -> bool:
    """Java's `Character.isWhitespace`."""
    if char in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f":
        return True
    return unicodedata.category(char) in ("Zs", "Zl", "Zp") and char not in "\xa0\u2007\u202f"


def read_lines(path: Path) -> list[str]:
    """EvalDiac's `LoadFile`: the file's lines (UTF-8), blank ones skipped."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return lines_of(text)


def lines_of(text: str) -> list[str]:
    """The lines of `text` as `LoadFile` keeps them."""
    lines = _LINE_END_RE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return [java_units(line) for line in lines if not all(_java_whitespace(char) for char in line)]


def remove_default_diac(word: str) -> str:
    for written, replaced in DEFAULT_DIACRITICS:
        word = word.replace(written, replaced)
    return word


def diac_codes(word: str) -> str:
    """EvalDiac's `getDiacCodes`: each character followed by the code of its marks."""
    codes: list[str] = []
    index = 0
    while index < len(word):
        codes.append(word[index])
        code, taken = EMPTY, 0
        following = word[index + 1 : index + 2]
        if following in _VOWEL_CODES:
            code, taken = _VOWEL_CODES[following], 1
        elif following == SHADDA:
            code, taken = SHADDA_CODE, 1
            after = word[index + 2 : index + 3]
            if after in _SHADDA_CODES:
                code, taken = _SHADDA_CODES[after], 2
        codes.append(code)
        index += 1 + taken
    return "".join(codes)


@dataclass(frozen=True)
class Miss:
    """A word EvalDiac counts wrong: where it is, the reference (its readings) and the
    system's word, each after `remove_default_diac`."""

    line: int
    word: int
    references: tuple[str, ...]
    system: str
    lined_up: bool
    """Whether the system's word has as many (character, mark) pairs as the reference."""


@dataclass
class Score:
    """EvalDiac's counts over a file."""

    lines: int = 0
    words: int = 0
    correct_words: int = 0
    letters: int = 0
    correct_letters: int = 0
    compared_letters: int = 0
    """Letters compared (with `stem`, all but each word's last; every letter of a word
    that does not line up): a count of this port's, for a DER without case endings,
    which EvalDiac does not print."""
    line_errors: int = 0
    word_errors: int = 0
    multi_ref_words: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def wer(self) -> str:
        return java_percent(self.correct_words, self.words)

    @property
    def der(self) -> str:
        return java_percent(self.correct_letters, self.letters)

    @property
    def compared_der(self) -> str:
        return java_percent(self.correct_letters, self.compared_letters)

    def summary(self, *, stem: bool) -> str:
        """EvalDiac's closing line."""
        der = "" if stem else f"\tDER:{self.der}%"
        return (
            f"lines:{self.lines}/{self.lines}\twords:{self.words}\tcorrectWords:"
            f"{self.correct_words}\tletters:{self.letters}\tcorrectLetters:"
            f"{self.correct_letters}\tWER:{self.wer}%{der}\tlineErrors:{self.line_errors}"
            f"\twordErrors:{self.word_errors}\tMultiRefWords:{self.multi_ref_words}"
        )


def _float(value: float) -> float:
    """`value` rounded to Java's float."""
    result: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return result


def java_percent(correct: int, total: int) -> str:
    """`100.0 - (((float) correct * 100) / total)` formatted with `%.2f`."""
    if total == 0:
        return "NaN"
    value = 100.0 - _float(_float(_float(correct) * 100) / _float(total))
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def score(
    reference: list[str],
    system: list[str],
    *,
    stem: bool = False,
    consonant_clustering: bool = False,
) -> Score:
    """EvalDiac's `calcDiacAccuracy` over the lines of a reference and a system file
    (as `read_lines` gives them)."""
    if len(system) < len(reference):
        raise ValueError(f"the system output has {len(system)} lines, the reference more")
    found = Score(lines=len(reference))
    for number, (ref_line, sys_line) in enumerate(
        zip(reference, system[: len(reference)], strict=True), 1
    ):
        refs = java_split(ref_line, _JAVA_SPACE_RE)
        syss = java_split(sys_line, _JAVA_SPACE_RE)
        if len(refs) != len(syss):
            found.line_errors += 1
            continue
        for index, (ref, sys) in enumerate(zip(refs, syss, strict=True)):
            found.words += 1
            sys = sys.strip(_TRIMMED)
            if consonant_clustering and index < len(syss) - 1:
                sys = _clustered(sys, refs[index + 1])
            _score_word(found, ref.strip(_TRIMMED), sys, (number, index + 1), stem=stem)
    return found


def _clustered(sys: str, next_ref: str) -> str:
    if next_ref.startswith("ا"):
        return {"عَنْ": "عَنِ", "مِنْ": "مِنَ"}.get(sys, sys)
    return sys


def _score_word(found: Score, ref: str, sys: str, where: tuple[int, int], *, stem: bool) -> None:
    ref = remove_default_diac(ref)
    readings = [ref]
    if len(ref) > 1 and len(diac_codes(ref)) != len(diac_codes(sys)):
        readings = java_split(ref, _SLASH_RE)
    if len(readings) > 1:
        found.multi_ref_words += 1
    lined_up = True
    for reading in readings:
        sys = remove_default_diac(sys)
        ref_codes, sys_codes = diac_codes(reading), diac_codes(sys)
        found.letters += len(ref_codes) // 2
        if len(ref_codes) != len(sys_codes):
            found.word_errors += 1
            found.compared_letters += len(ref_codes) // 2
            lined_up = False
            break
        compared = compare(ref_codes, sys_codes, stem=stem)
        found.correct_letters += compared.correct
        found.compared_letters += compared.compared
        if not compared.differing:
            found.correct_words += 1
            return
    found.misses.append(Miss(*where, tuple(readings), sys, lined_up))


@dataclass(frozen=True)
class Compared:
    correct: int
    compared: int
    differing: tuple[int, ...]
    """The pairs whose marks differ, by index."""


def compare(ref: str, sys: str, *, stem: bool = False) -> Compared:
    """Two words' mark codes (`diac_codes`, as many pairs each) compared pair by pair
    as EvalDiac compares them."""
    pairs = len(ref) // 2
    correct = compared = 0
    differing: list[int] = []
    j = 0
    while j < pairs:
        if stem and j == pairs - 1:
            break
        compared += 1
        d1, d2 = ref[2 * j + 1], sys[2 * j + 1]
        next1, next2 = "Z", "W"
        if j < pairs - 1:
            next1, next2 = ref[2 * j + 3], sys[2 * j + 3]
        if d1 != d2 and (d1 == EMPTY or (d1 == SHADDA_CODE and d2 in SHADDA_WITH_VOWEL)):
            d1 = d2
        if d1 != d2 and d1 == "5" and next1 == EMPTY and d2 == EMPTY and next2 == "5":
            # اِلْتِماساً written اِلْتِمَاسًا: the tanween on the alif or before it.
            d1 = d2
            j += 1
            correct += 1
            compared += 1
        if d1 == d2:
            correct += 1
        else:
            differing.append(j)
        j += 1
    return Compared(correct, compared, tuple(differing))
