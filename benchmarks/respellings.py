"""How many words of each class espeak-ng misreads, read from its own phonemes.

    python benchmarks/respellings.py [--check] [ARTICLE ...]

By default over the test corpus and over articles of archive days nobody tuned
on (`unseen.py`: days drawn with a fixed seed and named; skipped without the
archive). Every article is turned into its script and prepared by the espeak
engine as a build does it (`engine.plan`); each word the diacritizer vowelled
one way is given to espeak-ng alone, as nashra gives it, and its phonemes judged
against the grammar's reading of its class:

- nisba with tanween (عَرَبِيٌّ، دَوْلِيٍّ): -ijjun, -ijjin, -ijjan (espeak-ng's iː_j for
  ijj), or -iːj before a pause; misread with a vowel for the glide or -iːn;
- -ائي (أَصْدِقَائِي، كِيمْيَائِي): no n at its end;
- nisba with the genitive -iyyi (الْعَرَبِيِّ): a short last i, not iː;
- the silent alif after the plural's و (قَالُوا، لَمْ يَذْهَبُوا): not said;
- a sun letter after the article (الطَّرِيق، لِلطُّلَّاب، وَالسَّلَام): said twice;
- form VIII of a root that starts with ل after و or ف (وَالْتَزَمَ، فَالْتَحَقَ): wal-t…;
- a word-initial bare alif before a doubled consonant that is no connecting alif
  (انَّ for إِنَّ or أَنَّ): said with its ʔ (a vowelled one, اَحْمَد, is
  `connected_speech.py`'s);
- the long ā that is not written (هَذَا، ذَلِكَ، لَكِنَّ) and the name of God (اللّٰه،
  الْإِلَه, عَبْدُ اللّٰه): haːðaː, ðaːlika, laːkin, -llaːh, not -llll-;
- a hamza with a vowel it cannot carry (إَ، إُ، أِ) in what espeak-ng is given.

`--check` exits 1 when, on either set of articles, a word of any class is
misread (`TARGET`).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from built import Built, build
from hand_sample import ipa_phonemes
from targets import Verdict
from unseen import corpus_and_unseen_main

from nashra.engines.espeak import wasl
from nashra.text.letters import marked_letters

TARGET = 0  # words misread, of all classes together, at most
UNSEEN_ARTICLES = 40
UNSEEN_SEED = 13
EXAMPLES = 4

_MARKS = "\u064b-\u0652\u0670"
_M = f"[{_MARKS}]*"
_PREFIX = "(?:[وفبكل][\u064e-\u0650])*"
_SUN = "تثدذرزسشصضطظلن"
_SUN_PHONEMES = {
    "ت": "t", "ث": "θ", "د": "d", "ذ": "ð", "ر": "r", "ز": "z", "س": "s", "ش": "ʃ",
    "ص": "s̪", "ض": "dˤ", "ط": "t̪", "ظ": "ð", "ل": "l", "ن": "n",
}  # fmt: skip
_NISBA_TANWEEN = re.compile("ي(?:\u0651[\u064b-\u064d]|[\u064b-\u064d]\u0651)$")
_AIY = re.compile(f"ائ{_M}ي[\u064e-\u0652]?$")
_NISBA_GENITIVE = re.compile("ي\u0651\u0650$")
_PLURAL_ALIF = re.compile(f"..{_M}[\u064f]?و\u0652?ا$")
# The article's lam is left bare before a sun letter; الْتَزَمَ is form VIII (its own class).
_ARTICLE_SUN = re.compile(f"^{_PREFIX}(?:ا|ل\u0650)ل([{_SUN}])(?!\u0652)")
_FORM_VIII = re.compile(f"^[وف]\u064eال\u0652ت\u064e[^{_MARKS}]\u064e")
_BARE_ALIF = re.compile("^((?:[وف]\u064e)?)ا[\u0628-\u064a](?<!ل)\u0651")
_UNWRITTEN_A = re.compile(
    f"^{_PREFIX}(?:ه{_M}ذ{_M}[اهي]|ذ{_M}ل{_M}ك|ل{_M}ك{_M}ن|ه{_M}ك{_M}ذ{_M}ا)"
    f"(?:{_M}[ا-ي]{_M}){{0,2}}$"
)
_ALLAH = re.compile(f"^(?:{_PREFIX}ا?|عَبْد{_M}ا)ل{_M}(?:إ{_M})?ل{_M}ه{_M}$")
_BAD_HAMZA = re.compile("إ[\u064e\u064f]|أ\u0650")


def word_classes(vowelled: str) -> list[str]:
    """The classes of the diacritized word `vowelled` (no punctuation)."""
    found = []
    for name, pattern in (
        ("nisba with tanween", _NISBA_TANWEEN),
        ("-ائي", _AIY),
        ("nisba -iyyi", _NISBA_GENITIVE),
        ("plural's silent alif", _PLURAL_ALIF),
        ("sun letter after the article", _ARTICLE_SUN),
        ("form VIII after و، ف", _FORM_VIII),
        ("bare initial alif", _BARE_ALIF),
        ("unwritten long ā", _UNWRITTEN_A),
        ("the name of God", _ALLAH),
    ):
        if pattern.search(vowelled):
            found.append(name)
    return found


def misread(kind: str, vowelled: str, ipa: list[str]) -> bool:
    """Whether espeak-ng's phonemes `ipa` of a word of class `kind` are wrong."""
    said = "_".join(ipa)
    if kind == "nisba with tanween":
        return re.search("(iː|i)_j(_[aiu]_n)?$", said) is None
    if kind == "-ائي":
        return said.endswith("n")
    if kind == "nisba -iyyi":
        return re.search("(j_iː|iː_i)$", said) is not None
    if kind == "plural's silent alif":
        return re.search("(uː|u|w)_aː$", said) is not None
    if kind == "sun letter after the article":
        match = _ARTICLE_SUN.search(vowelled)
        sound = _SUN_PHONEMES[match.group(1)] if match else ""
        return re.search(f"{sound}(_?{sound}|ː)", said) is None
    if kind == "form VIII after و، ف":
        return re.match("[wf]_a_l_t", said) is None
    if kind == "bare initial alif":
        match = _BARE_ALIF.match(vowelled)
        prefix = len(match.group(1)) if match else 0  # a letter and its vowel each
        return ipa[prefix : prefix + 1] != ["ʔ"]
    if kind == "unwritten long ā":
        return re.match("([wfbkl]_[aiu]_)*[hðl]_aː", said) is None
    if kind == "the name of God":
        return "l_l_l" in said or re.search("l(_l|ː)_aː_h", said) is None
    raise ValueError(kind)


def is_connecting(vowelled: str) -> bool:
    """A bare initial alif that is a connecting one (انْتِخَاب، اسْتَقْبَلَ، ابْن)."""
    letters = marked_letters(vowelled)
    at = 0
    while (
        at + 1 < len(letters)
        and letters[at][0] in "وفبكل"
        and letters[at][1] in "\u064e\u064f\u0650"
    ):
        at += 1
    return wasl.is_connecting(letters, at)


def measure(name: str, paths: list[Path]) -> Verdict:
    """Print the figures of `paths`; return their verdict."""
    return judge(name, build(paths))


def judge(name: str, built: Built) -> Verdict:
    """Print the figures of the articles `built`; return their verdict."""
    words: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    cache: dict[str, list[str]] = {}
    bad_hamza = 0
    for texts, vowellings in zip(built.given, built.vowelled, strict=True):
        for text, vowelling in zip(texts, vowellings, strict=True):
            bad_hamza += len(_BAD_HAMZA.findall(text))
            written, said = vowelling.split(), text.split()
            if len(written) != len(said):
                continue
            for vowelled, given in zip(written, said, strict=True):
                vowelled = re.sub(f"[^\u0621-\u064a{_MARKS}]", "", vowelled)
                core = re.sub(f"[^\u0621-\u064a\u0640{_MARKS}\u0671]", "", given)
                if not vowelled or not core:
                    continue
                for kind in word_classes(vowelled):
                    if kind == "bare initial alif" and is_connecting(vowelled):
                        continue
                    if core not in cache:
                        cache[core] = ipa_phonemes(core)
                    words[kind] += 1
                    if misread(kind, vowelled, cache[core]):
                        wrong[kind] += 1
                        shown = examples.setdefault(kind, [])
                        if len(shown) < EXAMPLES:
                            shown.append(f"{vowelled} → {core} → {'_'.join(cache[core])}")
    print(f"\n{name}: {len(built.paths)} articles")
    for kind in sorted(words, key=lambda k: -wrong[k]):
        print(f"  {kind}: {wrong[kind]} of {words[kind]} misread")
        for line in examples.get(kind, []):
            print(f"      {line}")
    print(f"  a hamza with a vowel it cannot carry (إَ، إُ، أِ), given: {bad_hamza}")
    total = sum(wrong.values()) + bad_hamza
    return Verdict(
        f"{name}: words misread by class", f"at most {TARGET} ({total})", total <= TARGET
    )


if __name__ == "__main__":
    sys.exit(
        corpus_and_unseen_main(
            (__doc__ or "").split("\n")[0], measure, UNSEEN_ARTICLES, UNSEEN_SEED
        )
    )
