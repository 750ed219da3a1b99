"""Whether espeak-ng joins a word to the one before it, as a reader does.

    python benchmarks/connected_speech.py [--check] [ARTICLE ...]

By default over the test corpus and over articles of archive days nobody tuned
on (`unseen.py`: the days drawn with a fixed seed and named; skipped without
the archive). Every article is turned into its script and prepared by the
espeak engine as a build does it (`engine.plan`); the figures are read from
espeak-ng's phonemes of what it is given.

The alif of the article (and of انتخاب, استقبال, ابن, اسم ...) is a connecting
alif: after a vowel it is not said (فِي الْمَدِينَةِ is /fil.madiːnati/), only
after a pause is it /ʔa/. A junction is two words of one chunk with no
punctuation between them, the second a definite-article word (ال and at least
two letters), the first ending in a short or long vowel as diacritized
(فِي، عَلَى، مِنَ، الْمَدِينَةِ). For each junction the pair is given to
espeak-ng as nashra gives it, and the article word's first phoneme is read:

- ʔ: a glottal stop, a break a reader would not make (the figure targeted);
- a vowel: no stop, but the two vowels are said side by side (fiː al...);
- a consonant: connected (fiː lmadiːnati), and whether the long vowel before
  it was kept (a reader says fil-, not fiːl-).

Also counted: article words after a tanween or a silent final consonant (they
need a helping vowel, مدينةٌ الكبرى → madiːnatunil-), and every word that begins
with a written hamza (أ إ آ): its ʔ is a real consonant and must stay. Reported
only: words whose hamza the writer left out (اكثر، الى), which the diacritizer
marks by a vowel on the bare alif (اَكْثَرَ) while it leaves a connecting alif
bare (انْتِخَاب): what tells the two apart.

The words of what espeak-ng is given are matched one to one with the
diacritized words; a chunk where the counts differ (words joined or split by
the preparation) cannot be judged and is counted as such.

`--check` exits 1 when, on either set of articles, more than `TARGET` of the
junctions start with ʔ, a word with a written hamza is said without its ʔ, or
a junction could not be judged.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from built import Built, build
from targets import Verdict, add_check_argument, exit_status
from unseen import corpus_paths, describe, draw_items, unseen_days, write_items

from nashra.engines.espeak.engine import phonemes

TARGET = 0.03  # share of junctions said with ʔ, at most
UNSEEN_ARTICLES = 12  # the articles arabic.py's first unseen samples were drawn from
UNSEEN_SEED = 13
EXAMPLES = 8

_LETTER = "\u0621-\u064a\u0671"
_MARK = "\u064b-\u0652\u0670"
_WORD_RE = re.compile(f"^[{_LETTER}][{_LETTER}{_MARK}]*$")
_ARTICLE_RE = re.compile(f"^[\u0627\u0671][{_MARK}]*\u0644[{_MARK}]*(?:[{_LETTER}][{_MARK}]*){{2}}")
_HAMZA_START = "أإآ"
# A word-initial bare alif with a vowel: a hamza the writer left out (اكثر), which the
# diacritizer vowels; a connecting alif it leaves bare (انْتِخَاب، اسْتِقْبَال).
_OMITTED_HAMZA_RE = re.compile("^\u0627[\u064e-\u0650]")
_SHORT_VOWELS = "\u064e\u064f\u0650"
_TANWEEN = "\u064b\u064c\u064d"
_LONG_VOWEL_LETTERS = "اىوي"
_STRESS = str.maketrans("", "", "ˈˌ")
_IPA_VOWELS = set("aeiouæɐɑɔəɛɪʊ")


@dataclass
class Tally:
    """What one set of articles gave."""

    junctions: int = 0
    glottal: int = 0
    vowel: int = 0
    connected: int = 0
    long_kept: int = 0
    unjudged: int = 0
    after_consonant: int = 0
    after_consonant_glottal: int = 0
    hamza: dict[str, list[int]] = field(default_factory=dict)
    """(words, said without ʔ) by where the hamza is seen: "written" (أ إ آ) or
    "vowelled" (a bare alif the diacritizer gave a vowel: اَكْثَرَ, اُسْرَةٍ)."""
    examples: dict[str, list[str]] = field(default_factory=dict)

    def example(self, kind: str, line: str) -> None:
        found = self.examples.setdefault(kind, [])
        if len(found) < EXAMPLES:
            found.append(line)


def ending(word: str) -> str:
    """How a diacritized word ends: "vowel", "tanween" or "consonant"."""
    last = word[-1]
    if last in _SHORT_VOWELS:
        return "vowel"
    if last in _TANWEEN or (len(word) > 1 and last == "\u0627" and word[-2] in _TANWEEN):
        return "tanween"
    if last in _LONG_VOWEL_LETTERS:
        return "vowel"
    return "consonant"


def is_article_word(word: str) -> bool:
    """ال (or ٱل) and at least two letters: الْمَدِينَةِ, اللَّهِ, الَّذِي; not الْفُ or الَى."""
    return _ARTICLE_RE.match(word) is not None


class Phonemes:
    """espeak-ng's phonemes of words and pairs of words, cached, stress marks dropped."""

    def __init__(self) -> None:
        self._cache: dict[str, list[list[str]]] = {}

    def words(self, text: str) -> list[list[str]]:
        """Each spoken word of `text` as its list of phonemes."""
        if text not in self._cache:
            found = []
            for word in phonemes(text).split():
                parts = [p.translate(_STRESS) for p in word.split("_")]
                parts = [p for p in parts if p and not p.startswith("(")]
                if parts:
                    found.append(parts)
            self._cache[text] = found
        return self._cache[text]

    def second_start(self, first: str, second: str) -> tuple[list[str], str] | None:
        """(the first word's phonemes, the second word's first phoneme) when the two are
        said together; None if espeak-ng says nothing for one of them."""
        alone = len(self.words(second))
        pair = self.words(f"{first} {second}")
        if not alone or len(pair) <= alone:
            return None
        return [p for word in pair[:-alone] for p in word], pair[-alone][0]


def is_vowel(phoneme: str) -> bool:
    return phoneme[0] in _IPA_VOWELS


def tally(given: list[list[str]], vowelled: list[list[str]]) -> Tally:
    """Judge every word of the chunks (`given` to espeak-ng, as `vowelled` by the
    diacritizer; a list of chunks per article), each after the one before it."""
    found = Tally()
    sounds = Phonemes()
    for texts, vowelling in zip(given, vowelled, strict=True):
        for text, marked_text in zip(texts, vowelling, strict=True):
            words, marked = text.split(), marked_text.split()
            if len(words) != len(marked):
                found.unjudged += sum(
                    1
                    for before, word in itertools.pairwise(marked)
                    if _WORD_RE.match(before) and is_article_word(word)
                )
                continue
            for index, (word, said) in enumerate(zip(marked, words, strict=True)):
                before, said_before = (marked[index - 1], words[index - 1]) if index else ("", "")
                judge_word(found, sounds, (before, word), (said_before, said))
    return found


def judge_word(
    found: Tally, sounds: Phonemes, written: tuple[str, str], said: tuple[str, str]
) -> None:
    """Judge one word (diacritized `written[1]`, given to espeak-ng as `said[1]`) after
    the one before it (`written[0]`, `said[0]`; empty at a chunk's start)."""
    before, word = written
    if not _WORD_RE.match(word):
        return
    if word[0] in _HAMZA_START:
        judge_hamza(found, sounds, "written", said)
    elif _OMITTED_HAMZA_RE.match(word) and not is_article_word(word):
        judge_hamza(found, sounds, "vowelled", said)
    # A junction: the words next to each other with nothing between them, as given.
    if (
        before
        and _WORD_RE.match(before)
        and is_article_word(word)
        and _WORD_RE.match(said[0])
        and _WORD_RE.match(said[1])
    ):
        judge_junction(found, sounds, ending(before), *said)


def judge_hamza(found: Tally, sounds: Phonemes, kind: str, said: tuple[str, str]) -> None:
    """Whether espeak-ng starts the word with its ʔ, said after the word before it
    (alone at a chunk's start or after punctuation)."""
    context = said[0] if _WORD_RE.match(said[0]) else ""
    if context:
        start = sounds.second_start(context, said[1])
        first = start[1] if start else None
    else:
        alone = sounds.words(said[1])
        first = alone[0][0] if alone else None
    if first is None:
        return
    counts = found.hamza.setdefault(kind, [0, 0])
    counts[0] += 1
    if first != "ʔ":
        counts[1] += 1
        found.example(f"hamza {kind}, no ʔ", f"{context} {said[1]}  →  {first}...")


def judge_junction(found: Tally, sounds: Phonemes, end: str, said_before: str, said: str) -> None:
    start = sounds.second_start(said_before, said)
    if start is None:
        return
    before, first = start
    line = f"{said_before} {said}  →  {'_'.join(before[-3:])} {first}..."
    if end != "vowel":
        found.after_consonant += 1
        if first == "ʔ":
            found.after_consonant_glottal += 1
            found.example(f"ʔ after a {end}", line)
        return
    found.junctions += 1
    if first == "ʔ":
        found.glottal += 1
        found.example("ʔ", line)
    elif is_vowel(first):
        found.vowel += 1
        found.example("vowel", line)
    else:
        found.connected += 1
        if before and before[-1].endswith("ː") and is_vowel(before[-1]):
            found.long_kept += 1
            found.example("long vowel kept", line)


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else f"{part}/0"


def measure(name: str, built: Built) -> list[Verdict]:
    """Print the figures of the articles `built`; return their verdicts."""
    found = tally(built.given, built.vowelled)
    print(f"\n{name}: {len(built.paths)} articles")
    print(f"article words after a vowel-final word: {found.junctions}")
    print(f"  said with ʔ:               {share(found.glottal, found.junctions)}")
    print(f"  said with a vowel (hiatus): {share(found.vowel, found.junctions)}")
    print(f"  connected:                 {share(found.connected, found.junctions)}")
    print(f"    of them after a long vowel kept: {found.long_kept}")
    print(
        "article words after a tanween or a silent consonant:"
        f" {found.after_consonant}, said with ʔ: {found.after_consonant_glottal}"
    )
    written, lost = found.hamza.get("written", [0, 0])
    vowelled_words, vowelled_lost = found.hamza.get("vowelled", [0, 0])
    print(f"words with a written hamza (أ إ آ) said without ʔ: {share(lost, written)}")
    print(
        "words whose hamza the writer left out (a bare alif the diacritizer vowels,"
        f" اَكْثَرَ) said without ʔ: {share(vowelled_lost, vowelled_words)}"
    )
    print(f"article words in chunks that could not be matched word for word: {found.unjudged}")
    for kind, lines in found.examples.items():
        print(f"  {kind}:")
        for line in lines:
            print(f"    {line}")
    return [
        Verdict(
            f"{name}: article words after a vowel said with ʔ",
            f"at most {TARGET:.0%} ({share(found.glottal, found.junctions)})",
            found.glottal <= TARGET * found.junctions,
        ),
        Verdict(
            f"{name}: words with a written hamza said without ʔ",
            f"none ({lost} of {written})",
            lost == 0,
        ),
        Verdict(
            f"{name}: article words in chunks not matched word for word",
            f"none ({found.unjudged})",
            found.unjudged == 0,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("articles", nargs="*", type=Path)
    add_check_argument(parser)
    args = parser.parse_args()
    found = measure("corpus", build(args.articles or corpus_paths()))
    days = [] if args.articles else unseen_days()
    items = draw_items(days, UNSEEN_ARTICLES, UNSEEN_SEED) if days else []
    if not args.articles:
        print(describe(days, items))
    if items:
        with tempfile.TemporaryDirectory() as folder:
            found += measure("unseen", build(write_items(items, Path(folder))))
    return exit_status(found, check=args.check, quick=False)


if __name__ == "__main__":
    sys.exit(main())
