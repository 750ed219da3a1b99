"""Text preparation for speech: a pipeline of small pure `str -> str` functions.

Each step does one thing and has its own table of cases in the tests. To add a
step, write the function and put it in `PIPELINE` where it belongs: steps that
remove invisible characters come first so that later patterns see clean text,
and whitespace is collapsed last because earlier steps may leave gaps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

Step = Callable[[str], str]

TATWEEL = "\u0640"

# Invisible characters that scraped Arabic pages are full of. Engines either
# read them as noise or, worse, split words on them.
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

# Persian letters that look like Arabic ones; Arabic voices do not know them.
_PERSIAN_TO_ARABIC = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643"})

_NUMBER = r"\d+(?:[.,٫]\d+)?"
_PERCENT_AFTER_RE = re.compile(rf"({_NUMBER})\s*[%٪]")
_PERCENT_BEFORE_RE = re.compile(rf"[%٪]\s*({_NUMBER})")
PERCENT_WORD = "بالمئة"

_SPACES_RE = re.compile(r"\s+")


def strip_tatweel(text: str) -> str:
    """Remove the kashida (ـ), which only stretches letters on the page."""
    return text.replace(TATWEEL, "")


def strip_invisible(text: str) -> str:
    """Remove zero-width characters, bidi controls and stray byte-order marks."""
    return _INVISIBLE_RE.sub("", text)


def persian_letters(text: str) -> str:
    """Map Persian yeh (ی) and keheh (ک) to Arabic yeh (ي) and kaf (ك)."""
    return text.translate(_PERSIAN_TO_ARABIC)


def nfc(text: str) -> str:
    """Compose characters so that the same word always has the same code points."""
    return unicodedata.normalize("NFC", text)


def percentages(text: str) -> str:
    """Say the percent sign as a word: espeak-ng drops `%` without a sound."""
    text = _PERCENT_AFTER_RE.sub(rf"\1 {PERCENT_WORD}", text)
    return _PERCENT_BEFORE_RE.sub(rf"\1 {PERCENT_WORD}", text)


def collapse_whitespace(text: str) -> str:
    """Turn every run of whitespace into one space and trim the ends."""
    return _SPACES_RE.sub(" ", text).strip()


PIPELINE: tuple[Step, ...] = (
    strip_invisible,
    strip_tatweel,
    persian_letters,
    nfc,
    percentages,
    collapse_whitespace,
)


def normalize(text: str) -> str:
    """Prepare written text for a speech engine by applying `PIPELINE` in order."""
    for step in PIPELINE:
        text = step(text)
    return text
