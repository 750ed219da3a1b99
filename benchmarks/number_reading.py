"""How the numbers of the corpus are said: in words with agreement, or left to the engine.

    python benchmarks/number_reading.py [--check] [ARTICLE ...]

By default over the test corpus and over articles of archive days nobody tuned
on (`unseen.py`: days drawn with a fixed seed and named; skipped without the
archive). Counts the digit strings in the articles' text, how many of them nashra says
in words, and how many of those are said differently from the masculine
nominative cardinal both engines read digits as (another gender, the
genitive or accusative, an ordinal day of the month). Ends with the counted
nouns whose number and case the reading followed.

Each set's hand-judged sample (`number_case.py`: numbers drawn at random, the
case the grammar gives each in its place judged by hand) is compared with the
case nashra says each in: right/total, and the rows it gets wrong.

`--check` exits 1 when a digit string is left for the engine to read, in
either set of articles, or when fewer than `CASE_TARGET` of a sample's
numbers are said in their judged case. (Which words nashra says is checked by the tests of
`text/numbers.py`; this counts how many numbers it reaches.)
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from number_case import SAMPLES, judge
from targets import Verdict
from unseen import corpus_and_unseen_main

from nashra.readers import read_article
from nashra.text import normalize as pipeline
from nashra.text import number_words, numbers

UNSEEN_ARTICLES = 12
UNSEEN_SEED = 13
CASE_TARGET = 0.8
"""A regression floor, set after the first measurement (93 % on the corpus, 82 % on the
unseen days): no stated target exists for the case of numbers yet, so this only keeps
the figure from falling back."""
_DIGITS_RE = re.compile(r"\d+(?:[.,٫]\d+)?")


def engine_reading(digits: str) -> str:
    """What an engine says for `digits`: a masculine nominative cardinal."""
    if digits.isdigit():
        return number_words.cardinal(int(digits))
    return number_words.decimal(digits)


def numbers_input(text: str) -> str:
    """`text` through every normalization step that comes before numbers are said."""
    for step in pipeline.PIPELINE:
        if step is pipeline.spell_numbers:
            break
        text = step(text)
    return text


def measure(name: str, paths: list[Path]) -> int:
    """Print the figures of `paths`; return how many digit strings were left as digits."""
    written = left = 0
    kinds: Counter[str] = Counter()
    for path in paths:
        article = read_article(path)
        texts = [article.title]
        for section in article.sections:
            texts += [section.title] if section.title else []
            texts += section.paragraphs
        for text in texts:
            written += len(_DIGITS_RE.findall(text))
            left += len(_DIGITS_RE.findall(pipeline.normalize(text)))
            for reading in numbers.read_numbers(numbers_input(text))[1]:
                if reading.said.startswith("ال"):
                    kinds["an ordinal day or rank"] += 1
                elif reading.said != engine_reading(reading.written):
                    kinds["another gender, case or noun form"] += 1
                else:
                    kinds["the same words an engine says"] += 1
    print(f"\n{name}: {len(paths)} articles")
    print(f"digit strings in the text: {written}")
    print(f"left as digits for the engine: {left}")
    print(f"said in words by nashra: {written - left}")
    for kind, count in kinds.most_common():
        print(f"  {kind}: {count}")
    return left


def verdict(name: str, left: int) -> Verdict:
    return Verdict(f"{name}: digit strings left for the engine", f"none ({left})", left == 0)


def case_verdict(name: str, paths: list[Path]) -> Verdict:
    """The hand-judged case of `name`'s sample against the case each is said in now."""
    judged = judge(SAMPLES[name], paths)
    print(f"case of the hand-judged numbers: {judged.right}/{judged.rows} right")
    if judged.missing:
        print(f"  rows whose number is no longer read: {judged.missing}")
    for line in judged.wrong:
        print(f"  wrong: {line}")
    share = judged.right / judged.rows if judged.rows else 0.0
    return Verdict(
        f"{name}: hand-judged numbers said in their case",
        f">= {CASE_TARGET:.0%} ({judged.right}/{judged.rows})",
        share >= CASE_TARGET,
    )


def judge_set(name: str, paths: list[Path]) -> Verdict:
    """Both targets of a set of articles, as one verdict (the shared main takes one)."""
    left = verdict(name, measure(name, paths))
    if name not in SAMPLES:
        return left
    case = case_verdict(name, paths)
    return Verdict(
        f"{left.figure}; {case.figure}", f"{left.target}; {case.target}", left.met and case.met
    )


def main() -> int:
    description = (__doc__ or "").split("\n")[0]
    return corpus_and_unseen_main(
        description,
        judge_set,
        UNSEEN_ARTICLES,
        UNSEEN_SEED,
    )


if __name__ == "__main__":
    sys.exit(main())
