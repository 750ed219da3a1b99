"""The project's pronunciation lexicon: written forms the engines get wrong, and what to say.

`lexicon.toml` at the project root (optional)::

    [words]
    "واتساب" = "واتس آب"
    "أكسفورد" = "أوكسفورد"

Matching ignores diacritics and tatweel, treats أ إ آ ا alike, and still
finds a word with clitics attached: و ف (and), ب ل ك (with, for, like) and
the article ال, so وواتساب and بالواتساب match واتساب; the clitics are kept as
written. The lexicon is applied by the script maker, so `nashra plan` shows
its effect and the episode's content hash covers it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from nashra.errors import SettingsError

FILE_NAME = "lexicon.toml"

_MARKS_RE = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel
_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
# A run of Arabic letters and marks: what one entry can match.
_WORD_RE = re.compile("[\u0621-\u064a\u064b-\u0652\u0670\u0640]+")
_PROCLITICS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")
_ARTICLES = ("", "ال")


def match_key(word: str) -> str:
    """The form a word is looked up by: no marks or tatweel, one alef."""
    return _MARKS_RE.sub("", word).translate(_ALEFS)


@dataclass(frozen=True)
class Lexicon:
    """Written form → spoken form, looked up by `match_key`."""

    entries: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def apply(self, text: str) -> str:
        """`text` with every word found in the lexicon replaced by its spoken form."""
        if not self.entries:
            return text
        return _WORD_RE.sub(lambda m: self._word(m.group()), text)

    def _word(self, word: str) -> str:
        key = match_key(word)
        if key in self.entries:
            return self.entries[key]
        # Try the longest clitic prefixes first; the letters stripped are kept as written.
        for prefix in _prefixes():
            if len(prefix) >= len(key) or not key.startswith(prefix):
                continue
            stem = key[len(prefix) :]
            if stem in self.entries:
                return _written_prefix(word, len(prefix)) + self.entries[stem]
            # لل: ل before the article loses the article's alef (للواتساب).
            if prefix.endswith("ل") and stem.startswith("ل") and stem[1:] in self.entries:
                return _written_prefix(word, len(prefix) + 1) + self.entries[stem[1:]]
        return word


def _prefixes() -> list[str]:
    combos = {p + q + a for p in _PROCLITICS for q in _PREPOSITIONS for a in _ARTICLES}
    return sorted(combos - {""}, key=len, reverse=True)


def _written_prefix(word: str, letters: int) -> str:
    """The first `letters` letters of `word` with their marks, as written."""
    seen = 0
    for index, char in enumerate(word):
        if not _MARKS_RE.match(char):
            if seen == letters:
                return word[:index]
            seen += 1
    return word


def load_lexicon(project: Path) -> Lexicon:
    """The project's `lexicon.toml`, or an empty lexicon when there is none."""
    path = project / FILE_NAME
    if not path.is_file():
        return Lexicon()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(path, f"cannot read the lexicon: {exc}") from exc
    unknown = set(data) - {"words"}
    if unknown:
        raise SettingsError(path, f"unknown section or key {sorted(unknown)[0]!r}; use [words]")
    words = data.get("words", {})
    if not isinstance(words, dict):
        raise SettingsError(path, '[words] must be a table of "written" = "spoken"')
    entries: dict[str, str] = {}
    for written, spoken in words.items():
        if not isinstance(spoken, str) or not spoken.strip():
            raise SettingsError(path, f"the spoken form of {written!r} must be non-empty text")
        key = match_key(written.strip())
        if not _WORD_RE.fullmatch(key):
            raise SettingsError(path, f"{written!r} must be one Arabic word")
        entries[key] = spoken.strip()
    return Lexicon(entries)
