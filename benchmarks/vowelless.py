"""How many words espeak-ng reads with no vowel between consonants, before and after diacritizing.

    python benchmarks/vowelless.py [ARTICLE ...]     # default: the test corpus

Every article is turned into its script as a build would; the speech of each
utterance is what espeak-ng is given, with and without the diacritizer. Also
prints the diacritization time per article, and the figure when whole
sentences rather than the script's chunks are diacritized.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from nashra.pronunciation import count_vowelless
from nashra.readers import read_article
from nashra.script import make_script
from nashra.settings import Audio
from nashra.text import diacritize
from nashra.text.normalize import normalize
from nashra.text.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"


def main(paths: list[Path]) -> None:
    chunks: list[str] = []
    sentences: list[str] = []
    seconds: list[float] = []
    for path in paths:
        article = read_article(path)
        speech = [u.speech for u in make_script(article, Audio()).utterances]
        chunks += speech
        paragraphs = [p for section in article.sections for p in section.paragraphs]
        sentences += [normalize(s) for p in paragraphs for s in split_sentences(p)]
        diacritize.diacritize("تهيئة")  # load the model outside the timing
        start = time.perf_counter()
        for text in speech:
            diacritize.diacritize(text)
        seconds.append(time.perf_counter() - start)
        print(f"{path.name:28} {sum(map(len, speech)):6} chars  diacritized in {seconds[-1]:.2f} s")
    before = count_vowelless(chunks)
    after = count_vowelless(chunks, diacritize.diacritize)
    whole = count_vowelless(sentences, diacritize.diacritize)
    print()
    print(f"articles: {len(paths)}, Arabic words: {before.words}")
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
    print("\nsome words still vowel-less after diacritizing:")
    for word, ipa in after.examples:
        print(f"  {word}  {ipa}")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    main(args or sorted(CORPUS.glob("*/*.txt")))
