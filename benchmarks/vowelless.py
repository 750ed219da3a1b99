"""How many words espeak-ng reads with no vowel between consonants, before and after diacritizing.

    python benchmarks/vowelless.py [--check] [ARTICLE ...]

By default over the test corpus and over articles of archive days nobody tuned
on (`unseen.py`: days drawn with a fixed seed and named; skipped without the
archive). Every article is turned into its script as a build would; the speech
of each utterance is what espeak-ng is given, with and without the
diacritizer. Also prints the diacritization time per article, and the figure
when whole sentences rather than the script's chunks are diacritized.

`--check` exits 1 when more than `TARGET` of the words are left vowel-less
after diacritizing, on either set of articles.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from targets import Verdict
from unseen import corpus_and_unseen_main

from nashra.config.settings import Audio
from nashra.engines.espeak.pronunciation import count_vowelless
from nashra.readers import read_article
from nashra.stages.script import make_script
from nashra.text import diacritize
from nashra.text.normalize import normalize
from nashra.text.sentences import split_sentences

TARGET = 0.01  # share of Arabic words still vowel-less after diacritizing, at most
UNSEEN_ARTICLES = 12
UNSEEN_SEED = 13


def measure(name: str, paths: list[Path]) -> Verdict:
    chunks: list[str] = []
    sentences: list[str] = []
    seconds: list[float] = []
    diacritize.diacritize("تهيئة")  # load the model outside the timing
    for path in paths:
        article = read_article(path)
        speech = [u.speech for u in make_script(article, Audio()).utterances]
        chunks += speech
        paragraphs = [p for section in article.sections for p in section.paragraphs]
        sentences += [normalize(s) for p in paragraphs for s in split_sentences(p)]
        start = time.perf_counter()
        for text in speech:
            diacritize.diacritize(text)
        seconds.append(time.perf_counter() - start)
        print(f"{path.name:28} {sum(map(len, speech)):6} chars  diacritized in {seconds[-1]:.2f} s")
    before = count_vowelless(chunks)
    after = count_vowelless(chunks, diacritize.diacritize)
    whole = count_vowelless(sentences, diacritize.diacritize)
    print(f"\n{name}: {len(paths)} articles, Arabic words: {before.words}")
    print(f"vowel-less, undiacritized:        {before.vowelless:5} ({before.share:.1%})")
    print(
        f"vowel-less, chunks diacritized:   {after.vowelless:5} ({after.share:.1%})"
        f"  = {after.share / before.share:.2f} of before"
    )
    print(f"vowel-less, sentences diacritized:{whole.vowelless:5} ({whole.share:.1%})")
    print(
        f"diacritization per article: mean {sum(seconds) / len(seconds):.2f} s,"
        f" max {max(seconds):.2f} s"
    )
    print("some words still vowel-less after diacritizing:")
    for word, ipa in after.examples:
        print(f"  {word}  {ipa}")
    print()
    return Verdict(
        f"{name}: words vowel-less after diacritizing",
        f"at most {TARGET:.0%} ({after.vowelless} of {after.words}, {after.share:.1%})",
        after.share <= TARGET,
    )


def main() -> int:
    description = (__doc__ or "").split("\n")[0]
    return corpus_and_unseen_main(description, measure, UNSEEN_ARTICLES, UNSEEN_SEED)


if __name__ == "__main__":
    sys.exit(main())
