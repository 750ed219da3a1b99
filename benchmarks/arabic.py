"""What espeak-ng says for the corpus, read from its own phoneme output and audio.

    python benchmarks/arabic.py [--rate N ...] [--quick] [--check] [ARTICLE ...]
    python benchmarks/arabic.py --draw 100 --seed 13 > sample.tsv  # a new sample to judge
    python benchmarks/arabic.py --draw 100 --seed 13 --unseen > arabic_sample_unseen.tsv

By default, over the test corpus and again over articles of archive days nobody
tuned on (`unseen.py`: the days are drawn with a fixed seed and named; skipped
when the archive is absent).

Prints, over the corpus, as a build gives it to espeak-ng (the script's chunks,
as `engine_script` prepares them):

- words per minute of the built audio (every clip's length plus the pauses
  between them), for the default `espeak_rate` and each `--rate`;
- the share of pause positions (the last word of a chunk and every word before
  . ، , ؛ : ؟ ! …) whose word espeak-ng reads in pause form: no short vowel and
  no tanween at its end;
- the number of words espeak-ng reads with an undoubled glide (a shadda on و or
  ي, with no glide in its phonemes after the long vowel) or a long vowel after
  a prefix (بِالعاصمة read biaːl…: two vowels in a row at the start);
- the hand-checked samples: 100 words drawn at random (`--draw 100 --seed 13`)
  from the corpus (`benchmarks/arabic_sample.tsv`) and 100 from the unseen
  articles (`benchmarks/arabic_sample_unseen.tsv`), each judged from espeak-ng's
  IPA in its chunk's context (the corpus's also as nashra gave it before the
  sentence-wide diacritization, respelling and pause forms: `*_before`
  columns); the share judged wrong, and how many rows espeak-ng now reads
  differently from when judged (judge those again).

A word is judged an error when a listener would hear it wrong: a wrong stem
vowel or consonant, a wrong case ending inside a phrase (a pause may drop it),
a doubled letter said single, a name or loanword said as no Arabic speaker says
it. A glide espeak-ng writes as a vowel next to a long one (a_u_aː for awaː,
iː_a for iya) is heard as the glide and is not an error.

`--check` exits 1 when a target is missed: every pause position in pause form,
no undoubled glide or long vowel after a prefix, at most `SAMPLE_TARGET` of
each sample's 100 words with an audible error, and no row read differently from
when it was judged. `--quick` leaves out the words per minute (audio made of
the whole corpus).

Each word is pronounced alone for its phonemes, so its count never depends on
its neighbours. Uses only the engine's public interface, so the same file
measures an older nashra for the before figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import re
import sys
import tempfile
import time
import wave
from dataclasses import dataclass
from pathlib import Path

from hand_sample import ipa_phonemes, judged_sample, sample_rows
from targets import Verdict, add_check_argument, exit_status
from unseen import corpus_paths, describe, draw_items, unseen_days, write_items

from nashra.config.settings import Audio
from nashra.core.model import Script
from nashra.engines import create_engine
from nashra.engines.base import Engine
from nashra.engines.espeak import spelling
from nashra.engines.espeak.engine import EspeakOptions
from nashra.readers import read_article
from nashra.stages.script import make_script
from nashra.text import diacritize

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "arabic_sample.tsv"
UNSEEN_SAMPLE = HERE / "arabic_sample_unseen.tsv"
UNSEEN_ARTICLES = 12  # as many as the corpus's archive articles
UNSEEN_SEED = 13
SAMPLE_TARGET = 10  # words of 100 with an audible error, at most

_ARABIC_WORD = re.compile("[\u0621-\u0652\u0670\u0671]+")
_PAUSE_AFTER = re.compile(r"[.،,؛;:؟?!…](?!\d)")
_TANWEEN = re.compile("[\u064b-\u064d]")
_VOWELS = set("aeiou")
# Prefix letters with a short vowel, then an alif that is not said: the article
# (بِالْ), a connecting alif (وَاسْتَمَرَّ), or the article's lam with its kasra before
# one (الِانْتِظَار، لِلِاتِّصَال).
_PREFIXED_ALIF = re.compile(
    "^((?:[وفبكل][\u064e-\u0650])+)ا(?:ل(?![\u064e-\u0650])|[نس]\u0652"
    "|[\u0628-\u064a]\u0652[تطد]|[تطد]\u0651|ب\u0652ن|س\u0652م|ث\u0652ن|م\u0652ر)"
)
_HELPING_KASRA = re.compile("^(?:[وفبكل][\u064e-\u0650])*ا?ل\u0650ا")
_GLIDE_SHADDA = re.compile("(?<=[\u0621-\u064a\u064b-\u0652])([وي])[\u064b-\u0650\u0652]*\u0651")


def given_texts(engine: Engine, script: Script) -> list[str]:
    """What a build gives espeak-ng for each utterance of `script`, before a sentence's
    comma clauses are joined into one request (`Engine.prepare_script`).

    An older nashra had no `prepare_script`: its plan was the prepared script, or
    before that the script as it was, each chunk prepared in `synthesize`, which is
    then done here the same way.
    """
    prepare_script = getattr(engine, "prepare_script", None)
    voiced = prepare_script(script) if prepare_script else engine.plan(script)
    if voiced is script:
        return [engine.prepare(u.speech) for u in script.utterances]
    return [u.speech for u in voiced.utterances]


def vowelled_as_built(script: Script) -> list[str]:
    """Each utterance as the diacritizer vowels it in a build, before any respelling:
    the runs of utterances nashra diacritizes together (`spelling.stretches`), or
    where a tree has no such runs, each utterance alone."""
    together = getattr(diacritize, "diacritize_together", None)
    runs = getattr(spelling, "stretches", None)
    if together is None or runs is None:
        return [diacritize.diacritize(u.speech) for u in script.utterances]
    vowelled: list[str] = []
    for run in runs(script.utterances):
        vowelled += together([script.utterances[i].speech for i in run])
    return vowelled


_CLAUSE_END = tuple('.!?؟،,:؛;»")…”-–')


def mid_phrase(scripts: list[Script]) -> tuple[int, int, int]:
    """(chunk ends, those inside a sentence, those inside a sentence with no
    punctuation to end on): a chunk end mid-phrase is a cut between two words
    that the writer did not separate by any mark."""
    ends = inside = mid = 0
    for script in scripts:
        for position, utterance in enumerate(script.utterances):
            ends += 1
            if utterance.pause_after_ms or position == len(script.utterances) - 1:
                continue
            inside += 1
            mid += not utterance.written.rstrip().endswith(_CLAUSE_END)
    return ends, inside, mid


def speech_words(text: str) -> int:
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


def is_vowel(phoneme: str) -> bool:
    return phoneme[0] in _VOWELS


def in_pause_form(word: str, ipa: list[str]) -> bool:
    """Whether espeak-ng ends the word without a case vowel or tanween."""
    if not ipa:
        return True
    last = ipa[-1]
    if last in ("a", "i", "u"):  # a short vowel; a long one (aː, iː) is part of the word
        return False
    tanween = len(ipa) > 1 and last == "n" and ipa[-2] in ("a", "i", "u")
    return not (tanween and _TANWEEN.search(word))


def glide_misread(vowelled: str, ipa: list[str]) -> bool | None:
    """None if `vowelled` has no shadda on a glide; else whether the glide is not doubled."""
    match = _GLIDE_SHADDA.search(vowelled)
    if match is None:
        return None
    glide = "j" if match.group(1) == "ي" else "w"
    before = {"j": ("j", "i", "iː"), "w": ("w", "u", "uː")}[glide]
    doubled = any(a in before and b == glide for a, b in itertools.pairwise(ipa))
    return not doubled


def prefix_misread(vowelled: str, ipa: list[str]) -> bool | None:
    """None unless a prefix stands before an alif that is not said; else whether
    espeak-ng says it: a long vowel merged into the prefix's (waːstamarra) or a
    second vowel after it (biaːlʕaːsˤima, aliaːntiðaːr)."""
    prefixed = _PREFIXED_ALIF.search(vowelled)
    helping = _HELPING_KASRA.search(vowelled)
    if prefixed is None and helping is None:
        return None
    if prefixed is not None:
        vowel = len(prefixed.group(1)) - 1  # each prefix is a letter and its vowel
        if ipa[vowel : vowel + 1] == ["aː"] or (len(ipa) > vowel + 1 and is_vowel(ipa[vowel + 1])):
            return True
    if helping is not None:
        start = ipa[:10]
        for index in range(len(start) - 2):
            if start[index : index + 2] == ["l", "i"] and is_vowel(start[index + 2]):
                return True
    return False


@dataclass
class Figures:
    pauses: int = 0
    paused: int = 0
    glides: int = 0
    glide_misreads: int = 0
    prefixed: int = 0
    prefix_misreads: int = 0
    examples: tuple[str, ...] = ()


def pronunciation(scripts: list[Script], given: list[list[str]]) -> Figures:
    figures = Figures()
    examples: list[str] = []
    cache: dict[str, list[str]] = {}

    def ipa_of(word: str) -> list[str]:
        if word not in cache:
            cache[word] = ipa_phonemes(word)
        return cache[word]

    for script, texts in zip(scripts, given, strict=True):
        for text, vowelling in zip(texts, vowelled_as_built(script), strict=True):
            vowelled = vowelling.split()
            words = text.split()
            aligned = len(vowelled) == len(words)
            # Pause positions: every word followed by a pause mark, and the chunk's last word.
            for index, word in enumerate(words):
                bare = word.strip("«»\"'()[]{}")
                last = index == len(words) - 1
                if not (last or _PAUSE_AFTER.search(word)):
                    continue
                core = _PAUSE_AFTER.split(bare)[0].strip("«»\"'()[]{}")
                if not _ARABIC_WORD.fullmatch(core):
                    continue
                figures.pauses += 1
                if in_pause_form(core, ipa_of(core)):
                    figures.paused += 1
                elif len(examples) < 12:
                    examples.append(f"pause   {core}  {'_'.join(ipa_of(core))}")
            if not aligned:
                continue
            for written, word in zip(vowelled, words, strict=True):
                core = re.sub(r"[^\u0621-\u0652\u0670\u0671]", "", word)
                source = re.sub(r"[^\u0621-\u0652\u0670\u0671]", "", written)
                if not core:
                    continue
                glide = glide_misread(source, ipa_of(core))
                if glide is not None:
                    figures.glides += 1
                    figures.glide_misreads += glide
                    if glide and len(examples) < 24:
                        examples.append(f"glide   {core}  {'_'.join(ipa_of(core))}")
                prefix = prefix_misread(source, ipa_of(core))
                if prefix is not None:
                    figures.prefixed += 1
                    figures.prefix_misreads += prefix
                    if prefix and len(examples) < 36:
                        examples.append(f"prefix  {core}  {'_'.join(ipa_of(core))}")
    figures.examples = tuple(examples)
    return figures


def words_per_minute(scripts: list[Script], rate: int) -> tuple[float, float, int]:
    """(words per minute, minutes of audio, words) of the corpus voiced at `rate`."""
    engine = create_engine("espeak", EspeakOptions(rate=rate))
    seconds = 0.0
    words = 0
    for script in scripts:
        # The requests as a build makes them (a sentence's clauses in one, the comma
        # pauses inside), each followed by its pause.
        for request in engine.plan(script).utterances:
            clip = engine.synthesize(request.speech)
            with wave.open(io.BytesIO(clip.data)) as reader:
                seconds += reader.getnframes() / reader.getframerate()
            seconds += request.pause_after_ms / 1000
        words += sum(speech_words(u.speech) for u in script.utterances)
    return words / (seconds / 60), seconds / 60, words


@dataclass(frozen=True)
class Measured:
    """What `measure` found over one set of articles."""

    name: str
    figures: Figures
    sample: tuple[int, int, int, int] | None


def measure(name: str, paths: list[Path], sample: Path, rates: list[int] | None) -> Measured:
    """Print the figures of `paths` (words per minute only for `rates`); return them."""
    scripts = [make_script(read_article(path), Audio()) for path in paths]
    engine = create_engine("espeak")
    given = [given_texts(engine, script) for script in scripts]
    figures = pronunciation(scripts, given)
    words = sum(speech_words(u.speech) for script in scripts for u in script.utterances)
    print(f"\n{name}: {len(paths)} articles, {words} spoken words")
    print(
        f"pause positions in pause form: {figures.paused}/{figures.pauses}"
        f" ({figures.paused / figures.pauses:.1%})"
    )
    print(
        f"undoubled glides: {figures.glide_misreads} of {figures.glides} words with a shadda on و/ي"
    )
    print(
        f"long vowel after a prefix: {figures.prefix_misreads} of {figures.prefixed}"
        " words with a prefix before an alif"
    )
    print(f"misread glides and prefixes: {figures.glide_misreads + figures.prefix_misreads}")
    for example in figures.examples:
        print(f"  {example}")
    ends, cut, mid = mid_phrase(scripts)
    print(
        f"chunk ends mid-phrase: {mid}/{ends} ({mid / ends:.1%}); {cut} chunk ends fall"
        " inside a sentence, the rest at its end"
    )
    for rate in rates or []:
        wpm, minutes, spoken = words_per_minute(scripts, rate)
        print(f"espeak_rate {rate}: {wpm:.0f} words/min ({spoken} words, {minutes:.1f} min)")
    judged = judged_sample(sample, scripts, given) if sample.is_file() else None
    if judged is not None:
        rows, wrong, before, changed = judged
        was = f" {before}/{rows} as read before ({before / rows:.0%});" if before else ""
        print(
            f"hand-checked sample ({sample.name}): {wrong}/{rows} words with an audible error"
            f" ({wrong / rows:.0%});{was} {changed} now read differently from when judged"
        )
    return Measured(name, figures, judged)


def verdicts(measured: Measured) -> list[Verdict]:
    figures, name = measured.figures, measured.name
    found = [
        Verdict(
            f"{name}: pause positions in pause form",
            f"all ({figures.paused} of {figures.pauses})",
            figures.paused == figures.pauses,
        ),
        Verdict(
            f"{name}: undoubled glides and long vowels after a prefix",
            f"none ({figures.glide_misreads + figures.prefix_misreads})",
            figures.glide_misreads + figures.prefix_misreads == 0,
        ),
    ]
    if measured.sample is None:
        found.append(Verdict(f"{name}: hand-checked sample", "present", False))
        return found
    rows, wrong, _, changed = measured.sample
    found += [
        Verdict(
            f"{name}: hand-checked sample, words with an audible error",
            f"at most {SAMPLE_TARGET * rows // 100} of {rows} ({wrong})",
            wrong * 100 <= SAMPLE_TARGET * rows,
        ),
        Verdict(
            f"{name}: hand-checked sample, rows read differently from when judged",
            f"none ({changed}: judge them again)",
            changed == 0,
        ),
    ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--rate", type=int, action="append", default=[])
    parser.add_argument("--draw", type=int, help="print a new random sample of this many words")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--unseen", action="store_true", help="--draw from the unseen articles")
    parser.add_argument("--quick", action="store_true", help="leave out the words per minute")
    add_check_argument(parser)
    args = parser.parse_args()
    days = [] if args.articles else unseen_days()
    items = draw_items(days, UNSEEN_ARTICLES, UNSEEN_SEED) if days else []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        unseen = write_items(items, Path(folder))
        if args.draw:
            paths = unseen if args.unseen else args.articles or corpus_paths()
            scripts = [make_script(read_article(path), Audio()) for path in paths]
            engine = create_engine("espeak")
            given = [given_texts(engine, script) for script in scripts]
            out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
            out.writerow(["word", "given", "ipa", "judgement", "note", "chunk"])
            out.writerows(sample_rows(scripts, given, args.draw, args.seed))
            return
        rates = None if args.quick else [EspeakOptions().rate, *args.rate]
        paths = args.articles or corpus_paths()
        found = verdicts(measure("corpus", paths, SAMPLE, rates))
        if not args.articles:
            print(describe(days, items))
        if unseen:
            found += verdicts(measure("unseen", unseen, UNSEEN_SAMPLE, rates))
    print(f"({time.perf_counter() - started:.0f} s)")
    sys.exit(exit_status(found, check=args.check, quick=args.quick))


if __name__ == "__main__":
    main()
