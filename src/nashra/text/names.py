"""Proper names said without tanween, as grammar says them, in diacritized text.

A proper name that is foreign (هواوي، نستله، جنيف), a place (a city or a country is
feminine: تبوك، حائل، جدة), or an Arabic name ending in ة or on the patterns فَعْلان and
أَفْعَل (عثمان، سلمان، أحمد) is a diptote (ممنوع من الصرف): it never takes tanween, and
its genitive is a fatha (مع أحمدَ، في جدةَ). The diacritizer nunates such names all the
same (هُوَاوِيٍّ، بِتَبُوكٍ، جِنِيفٍ), and a listener hears a word no Arabic speaker says.

Two lists in `names.toml`, mined from the news archive and judged by hand, name them:

- `pausal`: foreign, brand and company names, and family names, said in their pausal
  form: no case ending at all, as news readers say them (هُوَاوِي، جُوجِلْ، نِسْتِلَهْ,
  نَايِفُ هَزَّازِي); a long vowel at the end stays long;
- `diptotes`: Arabic names and places that are diptotes: a tanween becomes its
  vowel, and the genitive's vowel is a fatha (بِتَبُوكٍ، بِجُدَّةِ → بِتَبُوكَ، بِجُدَّةَ); only
  a diptote with the article or in construct takes a kasra, and a name has neither.

A word is matched by its letters as the lexicon matches (`lexicon.match_key`), with
the clitics و ف ب ل ك before it, never with the article: a name with ال takes no
tanween anyway, and ال+name is another word.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from nashra.core.errors import SettingsError
from nashra.text.letters import (
    ALEF,
    ALEF_MAQSURA,
    DAMMA,
    DAMMATAN,
    FATHA,
    FATHATAN,
    KASRA,
    KASRATAN,
    SHADDA,
    SUKUN,
    TANWEEN,
    WORD_RE,
    Marked,
    joined,
    marked_letters,
)
from nashra.text.lexicon import match_key, package_data

NAMES = "names.toml"
"""The lists of names in the package's `data` folder."""

_CLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")
_CASE = FATHA + DAMMA + KASRA + SUKUN
_LONG_AFTER = {"و": DAMMA, "ي": KASRA}
_DIPTOTE_VOWEL = {DAMMATAN: DAMMA, FATHATAN: FATHA, KASRATAN: FATHA, KASRA: FATHA}


@dataclass(frozen=True)
class Names:
    """The keys (`match_key`) of the names said in pausal form and of the diptotes."""

    pausal: frozenset[str]
    diptotes: frozenset[str]

    def kind(self, word: str) -> str | None:
        """ "pausal", "diptote" or None for one written word, its clitics allowed."""
        key = match_key(word)
        for prefix in ("", *_CLITICS):
            if not key.startswith(prefix) or len(key) - len(prefix) < 2:
                continue
            stem = key[len(prefix) :]
            if stem in self.pausal:
                return "pausal"
            if stem in self.diptotes:
                return "diptote"
        return None


@functools.cache
def load_names() -> Names:
    """The lists of `names.toml`."""
    text, path = package_data(NAMES)
    try:
        data = tomllib.loads(text)
        lists = {kind: data[kind]["words"] for kind in ("pausal", "diptotes")}
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise SettingsError(path, f"cannot read the names: {exc}") from exc
    keys = {kind: frozenset(match_key(w) for w in words) for kind, words in lists.items()}
    return Names(keys["pausal"], keys["diptotes"])


def names_without_tanween(vowelled: str) -> str:
    """`vowelled` with each listed name's ending as said: a foreign or family name in its
    pausal form (هُوَاوِيٍّ → هُوَاوِي, جُوجِلٌ → جُوجِلْ), a diptote without its tanween
    and with a fatha for the genitive (بِتَبُوكٍ → بِتَبُوكَ, أَحْمَدٌ → أَحْمَدُ)."""
    names = load_names()

    def mend(match: re.Match[str]) -> str:
        word = match.group()
        kind = names.kind(word)
        if kind is None:
            return word
        letters = marked_letters(word)
        mended = pausal(letters) if kind == "pausal" else diptote(letters)
        return joined(mended)

    return WORD_RE.sub(mend, vowelled)


def pausal(letters: Marked) -> Marked:
    """A word with no case ending: a last consonant takes a sukun, a long vowel or the ā
    of a final ا stays, and no tanween is left (رُوسِيًا → رُوسِيَا, نِسْتِلَهٍ → نِسْتِلَهْ)."""
    letters = list(letters)
    last, marks = letters[-1]
    if last in (ALEF, ALEF_MAQSURA) and len(letters) > 1:
        before, before_marks = letters[-2]
        if FATHATAN in before_marks + marks:
            before_marks = _without(before_marks, TANWEEN + _CASE) + FATHA
        letters[-2:] = [(before, before_marks), (last, "")]
    elif last in _LONG_AFTER and len(letters) > 1 and _is_long(letters[-2], _LONG_AFTER[last]):
        letters[-1] = (last, "")  # هُوَاوِيٍّ → هُوَاوِي: the ي is the long vowel
    else:
        letters[-1] = (last, SUKUN)  # a glide after a or ā is a consonant too (شَنْغْهَايْ)
    return letters


def diptote(letters: Marked) -> Marked:
    """A diptote's ending: the tanween's vowel without its n, the genitive's a fatha
    (بِتَبُوكٍ → بِتَبُوكَ, عُثْمَانٌ → عُثْمَانُ, مُصْطَفًى → مُصْطَفَى)."""
    letters = list(letters)
    last, marks = letters[-1]
    if last in (ALEF, ALEF_MAQSURA) and len(letters) > 1:
        before, before_marks = letters[-2]
        if FATHATAN in before_marks + marks:
            letters[-2:] = [(before, _without(before_marks, TANWEEN) + FATHA), (last, "")]
        return letters
    shadda = SHADDA if SHADDA in marks else ""
    vowels = "".join(_DIPTOTE_VOWEL.get(mark, mark) for mark in marks if mark != SHADDA)
    letters[-1] = (last, shadda + vowels)
    return letters


def _is_long(before: tuple[str, str], vowel: str) -> bool:
    """Whether a final و or ي after the letter `before` is a long vowel (its own short
    vowel before it, or none written), not a glide after a, ā or a sukun."""
    char, marks = before
    if char in (ALEF, ALEF_MAQSURA) or SUKUN in marks:
        return False
    written = [mark for mark in marks if mark in (FATHA, DAMMA, KASRA)]
    return written in ([], [vowel])


def _without(marks: str, drop: str) -> str:
    return "".join(mark for mark in marks if mark not in drop)
