"""How long the pause at a comma is in the audio nashra makes.

    python benchmarks/comma_pause.py [--engine espeak] [--sentences N] [--check]

Takes the first `SENTENCES` sentences of the test corpus that hold a comma
(، or , followed by a space) and are short enough for one utterance, and voices
each twice with `nashra speak` (the same script and stages as a build, default
settings): as written, and with those commas taken out. The audio's extra
length, divided by the commas, is the pause a comma adds; it is printed for
each sentence, with the median and the range.

`--check` exits 1 when the median is shorter than `AUDIBLE_MS` (a shorter
silence is heard as part of the words, not as a pause) or not shorter than the
sentence pause (a comma is a lighter stop than a full stop).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from pathlib import Path

from targets import Verdict, add_check_argument, exit_status
from unseen import corpus_paths

from nashra.config.settings import Audio
from nashra.readers import read_article
from nashra.stages.speak import speak
from nashra.text.sentences import split_sentences

SENTENCES = 12
LONGEST = 250
"""Characters: shorter than one utterance, so only the commas can cut a sentence."""
AUDIBLE_MS = 150
_COMMA_RE = re.compile(r"\s*[،,](?=\s)")


def comma_sentences(count: int) -> list[str]:
    """The first `count` corpus sentences with a comma before a space, each under `LONGEST`."""
    found: list[str] = []
    for path in corpus_paths():
        for section in read_article(path).sections:
            for paragraph in section.paragraphs:
                for sentence in split_sentences(paragraph):
                    if _COMMA_RE.search(sentence) and len(sentence) < LONGEST:
                        found.append(sentence)
                        if len(found) == count:
                            return found
    return found


def comma_pause_ms(sentence: str, engine: str, folder: Path) -> float:
    """The audio a comma adds to `sentence`, in milliseconds, averaged over its commas."""
    commas = len(_COMMA_RE.findall(sentence))
    plain = _COMMA_RE.sub("", sentence)
    with_commas = speak(sentence, folder / "with.wav", engine=engine).duration
    without = speak(plain, folder / "without.wav", engine=engine).duration
    return (with_commas - without) * 1000 / commas


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="espeak")
    parser.add_argument("--sentences", type=int, default=SENTENCES)
    add_check_argument(parser)
    args = parser.parse_args()
    pauses: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for sentence in comma_sentences(args.sentences):
            pause = comma_pause_ms(sentence, args.engine, Path(folder))
            pauses.append(pause)
            print(f"{pause:6.0f} ms  {sentence[:70]}")
    median = statistics.median(pauses)
    sentence_pause = Audio().sentence_pause_ms
    print(
        f"comma pause ({args.engine}, {len(pauses)} sentences): median {median:.0f} ms, "
        f"from {min(pauses):.0f} to {max(pauses):.0f} ms; sentence pause {sentence_pause} ms"
    )
    verdict = Verdict(
        "comma pause, median",
        f"at least {AUDIBLE_MS} ms and less than the sentence pause ({sentence_pause} ms)",
        AUDIBLE_MS <= median < sentence_pause,
    )
    return exit_status([verdict], check=args.check, quick=False)


if __name__ == "__main__":
    sys.exit(main())
