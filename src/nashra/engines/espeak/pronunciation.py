"""Measuring how espeak-ng pronounces Arabic: words it reads with no vowel between consonants.

Arabic never stacks three consonants without a vowel, so a word whose
phonemes have such a run (يقتصر → j q t s̪ r) is one whose short vowels espeak-ng
dropped. The share of such words is the figure diacritization is judged by
(`benchmarks/vowelless.py` prints it for the corpus).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nashra.engines.espeak.engine import phonemes
from nashra.text.letters import LETTER_RE

CLUSTER = 3
"""Consonants in a row that mark a lost vowel."""

_IPA_VOWELS = set("aeiouyæɐɑɒɔəɛɜɪʊʌɯø")
_STRESS = "ˈˌ."


def is_vowelless(word_ipa: str) -> bool:
    """Whether one word's phonemes (joined by `_`) have `CLUSTER` consonants in a row.

    The same consonant repeated counts once: espeak-ng writes a doubled
    consonant as a run of it (ʔ_a_l_l_l_aː for اللّا), which is a long
    consonant, not a lost vowel.
    """
    run = 0
    previous = ""
    for phoneme in word_ipa.split("_"):
        base = phoneme.strip(_STRESS)
        if not base or base.startswith("("):  # "(en)": a switch of language, not a sound
            continue
        if base[0] in _IPA_VOWELS:
            run = 0
        elif base.rstrip("ː") != previous:
            run += 1
            if run >= CLUSTER:
                return True
        previous = base.rstrip("ː")
    return False


@dataclass(frozen=True)
class VowelCount:
    words: int
    vowelless: int
    examples: tuple[tuple[str, str], ...] = ()
    """(written word, its phonemes) for some of the vowel-less words."""

    @property
    def share(self) -> float:
        return self.vowelless / self.words if self.words else 0.0


def count_vowelless(
    texts: Iterable[str], prepare: Callable[[str], str] = lambda text: text, *, keep: int = 20
) -> VowelCount:
    """Count the Arabic words of `texts` that espeak-ng reads with a vowel-less cluster.

    Each text is passed through `prepare` (e.g. the diacritizer) whole, so the
    preparation sees the same context as in a build; each resulting word is
    then pronounced alone, so a word's count never depends on its neighbours.
    Words without Arabic letters (numbers, Latin names) are not counted.
    """
    words = vowelless = 0
    examples: list[tuple[str, str]] = []
    for text in texts:
        for word in prepare(text).split():
            if not LETTER_RE.search(word):
                continue
            words += 1
            ipa = phonemes(word)
            if any(is_vowelless(part) for part in ipa.split()):
                vowelless += 1
                if len(examples) < keep:
                    examples.append((word, ipa))
    return VowelCount(words, vowelless, tuple(examples))
