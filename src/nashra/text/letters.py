"""The Arabic character classes, named once.

Each class is written as the inside of a regex character class (`[{LETTERS}]`), so a
pattern can combine them; the compiled patterns most modules need come with them.

- `LETTERS`: hamza to yeh (U+0621..U+064A) and the alif wasla (ٱ, U+0671). The wasla
  is a letter: Uthmani-script quotations (بِسْمِ ٱللَّهِ) carry it, and espeak's
  spelling writes it for the connecting alif; a word with one is one word. The range
  holds the tatweel (ـ, U+0640) on purpose: a stretched word (وزيـر، هـذا) is still one
  run of letters, so "not followed by a letter" never ends a word at its kashida.
- `HARAKAT`: the marks written on a letter: tanween, the short vowels, shadda, sukun
  (U+064B..U+0652) and the dagger alif (ٰ, U+0670: عَلَىٰ, حَتَّىٰ in vowelled text).
- `TATWEEL`: the kashida, which only stretches a word on the page: words are compared
  without it (`MARKS_RE`), and standing alone between spaces it is a dash.

`fold_alefs` writes the alefs a writer may leave bare as ا, the one fold of alefs both
the lexicon (words) and the bylines (names) compare by.
"""

from __future__ import annotations

import re

HAMZA = "\u0621"
ALEF = "\u0627"
YEH = "\u064a"
ALEF_MADDA, HAMZA_ABOVE_ALEF, HAMZA_BELOW_ALEF = "\u0622", "\u0623", "\u0625"
WAW_HAMZA, YEH_HAMZA = "\u0624", "\u0626"
ALEF_MAQSURA, TA_MARBUTA = "\u0649", "\u0629"
ALEF_WASLA = "\u0671"
TATWEEL = "\u0640"

FATHATAN, DAMMATAN, KASRATAN = "\u064b", "\u064c", "\u064d"
FATHA, DAMMA, KASRA = "\u064e", "\u064f", "\u0650"
SHADDA, SUKUN = "\u0651", "\u0652"
DAGGER_ALEF = "\u0670"

LETTERS = f"{HAMZA}-{YEH}{ALEF_WASLA}"
TANWEEN = f"{FATHATAN}-{KASRATAN}"
SHORT_VOWELS = f"{FATHA}-{KASRA}"
VOWELS = f"{FATHATAN}-{KASRA}"
"""Tanween and the short vowels: the marks that say a vowel."""
HARAKAT = f"{FATHATAN}-{SUKUN}{DAGGER_ALEF}"
SCRIPT_LETTERS = f"{HAMZA}-{YEH}{ALEF_WASLA}-\u06d3"
"""Letters of the Arabic script, Persian and Urdu ones too: what says a text is Arabic."""

LETTER_RE = re.compile(f"[{LETTERS}]")
HARAKAT_RE = re.compile(f"[{HARAKAT}]")
MARKS_RE = re.compile(f"[{HARAKAT}{TATWEEL}]")
"""What a comparison of two written words ignores: the harakat and the tatweel."""
WORD_RE = re.compile(f"[{LETTERS}{HARAKAT}{TATWEEL}]+")
"""A run of Arabic letters with their marks: one written word."""


_HAMZA_ALEFS = (HAMZA_ABOVE_ALEF, HAMZA_BELOW_ALEF, ALEF_WASLA)
_FOLD_HAMZAS = str.maketrans(dict.fromkeys(_HAMZA_ALEFS, ALEF))
_FOLD_ALL = str.maketrans(dict.fromkeys((*_HAMZA_ALEFS, ALEF_MADDA), ALEF))


def fold_alefs(text: str, *, madda: bool = False) -> str:
    """`text` with أ إ ٱ written ا: the hamza that scraped text so often leaves out, and
    the connecting alif of vowelled quotations. آ stays a letter of its own (الآمن "safe"
    is not الأمن "security") unless `madda`: names are compared with it folded too."""
    return text.translate(_FOLD_ALL if madda else _FOLD_HAMZAS)


Marked = list[tuple[str, str]]
"""Text as (character, the harakat written on it) pairs."""


def marked_letters(text: str) -> Marked:
    """`text` as (character, the harakat written on it) pairs: each mark goes with the
    character before it (a mark with none before stands alone)."""
    pairs: Marked = []
    for char in text:
        if HARAKAT_RE.match(char) and pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + char)
        else:
            pairs.append((char, ""))
    return pairs


def joined(letters: Marked) -> str:
    """The text `letters` spell, marks after their character."""
    return "".join(char + marks for char, marks in letters)


def is_letter(char: str) -> bool:
    """Whether `char` is in `LETTERS` (the tatweel is: it sits inside words)."""
    return LETTER_RE.fullmatch(char) is not None


def strip_harakat(text: str) -> str:
    return HARAKAT_RE.sub("", text)


def without_marks(text: str) -> str:
    """`text` without harakat or tatweel: the form words are compared in."""
    return MARKS_RE.sub("", text)
