"""Words and endings that espeak-ng misreads however well they are vowelled.

Each function rewrites one of them into a spelling espeak-ng reads as said
(checked against its own phonemes), in vowelled text with the shadda first:

- ي with a kasra is read jiː by an espeak-ng rule (يِ → ji:), so the nisba's
  genitive الْعَرَبِيْيِ is said alʕarabiːjiː and its tanween عَرَبِيْيِنْ like a
  plural, ʕarabiːjiːn: a tatweel between the two, which espeak-ng leaves silent,
  keeps the kasra short (`kasra_on_ya`);
- the long ā that هَذَا، هَذِهِ، ذَلِكَ، لَكِنَّ، هَكَذَا، هَؤُلَاءِ do not write, and the one of
  اللّٰه and الْإِلَه, are written with an alif: haːðaː, not haðaː; allaːh, not
  allllaːh (`unwritten_alif`);
- the alif after the plural's و is not said (قَالُوا، تَذْهَبُوا, رَأَوْا): espeak-ng says
  it, qaːluːaː (`plural_alif`);
- a sun letter after the article is said twice: espeak-ng does not double ط after
  a word-initial ال (الطَرِيق → ʔat̪ariːq), nor any sun letter after لِلْ
  (لِلطُلَّابِ → lit̪ullaːb): the ط takes its shadda, and after لِ the article's lam goes
  and the letter takes the shadda (`article_sun_letter`);
- a form VIII verb of a root that starts with ل (الْتَزَمَ، الْتَحَقَ) said alone
  starts with ʔi, where espeak-ng says al- (`form_viii_lam`);
- a hamza carries the vowel its seat allows: أِ is written إِ (`hamza_seat`).
"""

from __future__ import annotations

import re

from nashra.text.letters import (
    ALEF,
    DAGGER_ALEF,
    FATHA,
    HAMZA_ABOVE_ALEF,
    HAMZA_BELOW_ALEF,
    HARAKAT,
    KASRA,
    LETTERS,
    SHADDA,
    SUKUN,
    joined,
    marked_letters,
)

TATWEEL = "\u0640"

_NOT_AFTER_WORD = f"(?<![{LETTERS}{HARAKAT}{TATWEEL}])"
_END = f"(?![{LETTERS}{HARAKAT}])"
_PREFIXES = f"(?:[وفبك][{FATHA}{KASRA}\u064f])*"
_SUN_LETTERS = "تثدذرزسشصضطظن"  # ل left out: لِلَّيْل is written with its own lam

_KASRA_ON_YA_RE = re.compile(f"ي(?={KASRA})")
_WORD_RE = re.compile(f"{_NOT_AFTER_WORD}[{LETTERS}][{LETTERS}{HARAKAT}]*")
_PLURAL_ALIF_RE = re.compile(f"(\u064fو{SUKUN}?|{FATHA}و{SUKUN}){ALEF}{_END}")
_INITIAL_TA_RE = re.compile(f"{_NOT_AFTER_WORD}(ال{SUKUN}?ط)(?!{SHADDA})")
_LI_ARTICLE_RE = re.compile(
    f"{_NOT_AFTER_WORD}({_PREFIXES}ل{KASRA})ل{SUKUN}?([{_SUN_LETTERS}]){SHADDA}?(?!{SUKUN})"
)
_FORM_VIII_RE = re.compile(f"{_NOT_AFTER_WORD}{ALEF}(ل{SUKUN}ت[{FATHA}{KASRA}])")
_HAMZA_KASRA_RE = re.compile(f"{HAMZA_ABOVE_ALEF}{KASRA}")

# Stems with an ā that is not written (the letter it follows, then the rest), and the
# prefixes they take: وَهَذَا، بِذَلِكَ، كَذَلِكَ، وَلَكِنَّ.
_LONG_A_STEMS = (
    "هذا", "هذه", "هذان", "هذين", "هذ", "هؤلاء", "هكذا", "ذلك", "ذلكم",
    "لكن", "لكنه", "لكنها", "لكنهم", "لكنهما", "لكننا", "لكني", "لكنني", "لكنك",
)  # fmt: skip
_GOD = ("الله", "لله", "الإله", "الاله")
_STEM_PREFIXES = "وفبكل"


def kasra_on_ya(text: str) -> str:
    """A tatweel between ي and its kasra: الْعَرَبِيْيِ → الْعَرَبِيْيـِ (alʕarabiːji)."""
    return _KASRA_ON_YA_RE.sub("ي" + TATWEEL, text)


def plural_alif(text: str) -> str:
    """The alif after the plural's و dropped: قَالُوا → قَالُو, رَأَوْا → رَأَوْ."""
    return _PLURAL_ALIF_RE.sub(r"\1", text)


def article_sun_letter(text: str) -> str:
    """الطَرِيق → الطّرِيق; لِلطُلَّاب → لِطُّلَّاب, وَلِلسَيَّارَات → وَلِسّيَّارَات."""
    text = _INITIAL_TA_RE.sub(rf"\1{SHADDA}", text)
    return _LI_ARTICLE_RE.sub(rf"\1\2{SHADDA}", text)


def form_viii_lam(text: str) -> str:
    """A word-initial الْتَ (form VIII of a root with ل, not the article, which the
    diacritizer leaves without a sukun before a sun letter) starts with إِ: الْتَزَمَ →
    إِلْتَزَمَ. After a vowel it is joined first (`wasl`), its alif written ٱ."""
    return _FORM_VIII_RE.sub(rf"{HAMZA_BELOW_ALEF}{KASRA}\1", text)


def hamza_seat(text: str) -> str:
    """أِ → إِ: a kasra is said under its hamza."""
    return _HAMZA_KASRA_RE.sub(HAMZA_BELOW_ALEF + KASRA, text)


def unwritten_alif(text: str) -> str:
    """هَذَا → هَاذَا, وَلَكِنَّ → وَلَاكِنَّ, اللّٰهُ → اللَاهُ, الْإِلَهِ → الْإِلَاهِ."""
    return _WORD_RE.sub(lambda match: _with_alif(match.group()), text)


def _with_alif(word: str) -> str:
    letters = marked_letters(word)
    bare = "".join(char for char, _ in letters)
    for start in range(min(3, len(letters))):
        if start and (
            letters[start - 1][0] not in _STEM_PREFIXES or bare[start - 1] == "ل" == bare[start]
        ):
            break
        stem = bare[start:]
        if stem in _LONG_A_STEMS:
            head = letters[start][0] + FATHA + ALEF
            return joined(letters[:start]) + head + joined(letters[start + 1 :])
        if stem in _GOD or (start and bare[start - 1 :] == "لله"):
            lam = len(letters) - 2  # the lam before ه
            # لِلّٰه: the preposition's lam, then one lam written for two, kept doubled.
            doubled = "" if ALEF in bare else SHADDA
            letters[lam] = ("ل", doubled + FATHA + ALEF)
            letters[-1] = (letters[-1][0], letters[-1][1].replace(DAGGER_ALEF, ""))
            return joined(letters)
    return word
