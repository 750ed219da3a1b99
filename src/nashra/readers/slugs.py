"""An article's slug (the name of its episode's files and the seed of its GUID), from its file name.

A Latin name keeps its letters (accents stripped: café → cafe). An Arabic name is
transliterated into ASCII, so `مقال عربي جديد.txt` becomes `mqal-arbi-jdid`
rather than a hash. The letters follow the consonants of the ALA-LC romanization
without its diacritics (ث th, خ kh, ذ dh, ش sh, ص s, ض d, ط t, ظ z, غ gh, ق q);
ا and ى are `a`, ة is `a` (as in the usual English spellings, Medina, Jeddah
aside); و and ي are `w` and `y` as consonants (at the start of a word, or next
to a long vowel) and `u` and `i` as long vowels (between consonants, or at the
end after one); the article ال is `al-`; ʿayn is `a` at the start of a word and
dropped inside one, and hamza is dropped (أ and آ `a`, إ `i`, ؤ `u`, ئ `i`).
Short vowels are read when the name carries them. A name in any other script
gets `article-` and a hash of the name.

The slug depends on the file name alone, so it is the same on every build and on
every machine; and once an episode is published its slug never changes
(`choose_slug`), whatever this transliteration becomes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePath, PurePosixPath

from nashra.text.letters import (
    DAMMA,
    DAMMATAN,
    FATHA,
    FATHATAN,
    KASRA,
    KASRATAN,
    TATWEEL,
)

_NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")

_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ڤ": "v",
}  # fmt: skip
_LONG_VOWELS = {"ا": "a", "ى": "a", "ة": "a", "آ": "a", "أ": "a", "إ": "i", "ؤ": "u", "ئ": "i"}
_SEMIVOWELS = {"و": ("w", "u"), "ي": ("y", "i"), "ی": ("y", "i")}
_SHORT_VOWELS = {
    FATHA: "a", KASRA: "i", DAMMA: "u",
    FATHATAN: "an", KASRATAN: "in", DAMMATAN: "un",
}  # fmt: skip
_AYN, _HAMZA = "ع", "ء"


def _is_arabic_letter(char: str) -> bool:
    return char in _CONSONANTS or char in _LONG_VOWELS or char in _SEMIVOWELS or char in "عء"


def transliterate(text: str) -> str:
    """`text` with its Arabic letters in ASCII (see the module's notes); the rest as it is."""
    text = unicodedata.normalize("NFC", text).replace(TATWEEL, "")
    return " ".join(_word(word) for word in re.split(r"(\s+)", text) if not word.isspace())


def _word(word: str) -> str:
    out: list[str] = []
    start = 0  # where the current word (after ال) begins
    if word.startswith("ال") and sum(_is_arabic_letter(c) for c in word[2:]) >= 2:
        out.append("al-")
        start = 2
    rendered_vowel = False  # whether the last و/ي was read as a long vowel
    previous: str | None = None  # the last Arabic letter of this word
    for index in range(start, len(word)):
        char = word[index]
        following = next((c for c in word[index + 1 :] if _is_arabic_letter(c)), None)
        if char.isdigit():  # Arabic-Indic and Persian digits as well
            out.append(str(unicodedata.digit(char)))
        elif char in _CONSONANTS:
            out.append(_CONSONANTS[char])
        elif char in _LONG_VOWELS:
            out.append(_LONG_VOWELS[char])
        elif char in _SEMIVOWELS:
            consonant, vowel = _SEMIVOWELS[char]
            as_consonant = (
                previous is None
                or previous in _LONG_VOWELS
                or following in _LONG_VOWELS
                or (previous in _SEMIVOWELS and rendered_vowel)
            )
            out.append(consonant if as_consonant else vowel)
            rendered_vowel = not as_consonant
        elif char == _AYN:
            out.append("a" if previous is None else "")
        elif char == _HAMZA:
            pass
        elif char in _SHORT_VOWELS:
            out.append(_SHORT_VOWELS[char])
        elif unicodedata.combining(char):
            pass  # shadda, sukun and other marks
        else:
            out.append(char)
            previous = None if not char.isalnum() else previous
            continue
        if _is_arabic_letter(char):
            previous = char
    return "".join(out)


def slug_for(path: PurePath) -> str:
    """A URL- and file-safe name made from the article's file name (see the module's notes)."""
    # NFC first: macOS hands out decomposed file names, and the slug must not
    # change when a project moves between machines.
    name = unicodedata.normalize("NFC", path.name)
    stem = name[: len(name) - len(path.suffix)] if path.suffix else name
    ascii_stem = "".join(
        char
        for char in unicodedata.normalize("NFKD", transliterate(stem))
        if not unicodedata.combining(char)
    )
    slug = _NOT_SLUG_RE.sub("-", ascii_stem.lower()).strip("-")
    if slug:
        return slug
    digest = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    return f"article-{digest}"


def choose_slug(path: Path, published: Mapping[str, str]) -> str:
    """The slug of the article at `path`: the one it was published under, else `slug_for`'s.

    `published` maps each published episode's source (`articles/<file name>`, as
    the build state records it) to its slug, so an episode keeps its slug, file
    names and GUID however slugs are made for new articles.
    """
    name = unicodedata.normalize("NFC", path.name)
    for source, slug in published.items():
        if unicodedata.normalize("NFC", PurePosixPath(source).name) == name:
            return slug
    return slug_for(path)


def article_slugs(paths: Iterable[Path], published: Mapping[str, str]) -> dict[Path, str]:
    """`choose_slug` for each of `paths`."""
    paths = list(paths)
    by_name = name_slugs([path.name for path in paths], published)
    return {path: by_name[path.name] for path in paths}


def name_slugs(names: Iterable[str], published: Mapping[str, str]) -> dict[str, str]:
    """`choose_slug` for each file of `names` (in one folder), by name."""
    by_name = {
        unicodedata.normalize("NFC", PurePosixPath(s).name): slug for s, slug in published.items()
    }
    # A lookup by name, not `choose_slug`'s scan: an archive has tens of thousands.
    return {
        name: by_name.get(unicodedata.normalize("NFC", name)) or slug_for(PurePosixPath(name))
        for name in names
    }
