"""Every Arabic figure of the offline voice, read from espeak-ng's own phonemes and audio.

    python benchmarks/arabic.py [--rate N ...] [--quick] [--check] [ARTICLE ...]
    python benchmarks/arabic.py --draw 100 --seed 13 > sample.tsv  # a new sample to judge
    python benchmarks/arabic.py --draw 100 --seed 13 --unseen > arabic_sample_unseen.tsv
    python benchmarks/arabic.py --draw 100 --seed 61 --unseen2 > arabic_sample_unseen2.tsv

One report, over the test corpus and again over `UNSEEN_ARTICLES` articles of
archive days nobody tuned on (`unseen.py`: the days are drawn with a fixed seed
and named, the articles with `UNSEEN_SEED`; skipped, with a line that says so,
when the archive is absent). Each set is turned into scripts and prepared by the
espeak engine once, as a build gives it to espeak-ng (`built.py`), and every
figure is measured by the module that owns it:

- here: words per minute of the built audio (every clip's length plus the
  pauses between them), for the default `espeak_rate` and each `--rate`; the
  share of pause positions (the last word of a chunk and every word before
  . ، , ؛ : ؟ ! …) whose word espeak-ng reads in pause form (no short vowel and
  no tanween at its end); the words read with an undoubled glide (a shadda on و
  or ي, with no glide in its phonemes after the long vowel) or a long vowel
  after a prefix (بِالعاصمة read biaːl…);
- the hand-checked samples (`SAMPLES`; `hand_sample.py`): 100 words drawn at
  random from the corpus (`arabic_sample.tsv`), from the unseen articles
  `--unseen` draws from (the first `FIRST_SAMPLE_ARTICLES`,
  `arabic_sample_unseen.tsv`) and from the other unseen articles (`--unseen2`,
  `arabic_sample_unseen2.tsv`), each judged from espeak-ng's IPA in its chunk's
  context: the share judged wrong, and how many rows espeak-ng now reads
  differently from when judged (judge those again);
- connected speech (`connected_speech.py`): definite-article words after a
  vowel-final word that espeak-ng starts with ʔ, and words with a written hamza
  said without it;
- chunk ends inside a phrase (`chunk_ends.py`), in the script's chunks and in
  the requests of an engine that takes 100 characters;
- numbers (`number_reading.py`): digit strings left for the engine, and the
  hand-judged sample of each set (`number_case.py`) right/total;
- the respelling classes (`respellings.py`): words misread, class by class.

A word of a sample is judged an error when a listener would hear it wrong: a
wrong stem vowel or consonant, a wrong case ending inside a phrase (a pause may
drop it), a doubled letter said single, a name or loanword said as no Arabic
speaker says it, a glottal stop where a connecting alif joins two words. A glide
espeak-ng writes as a vowel next to a long one (a_u_aː for awaː, iː_a for iya)
is heard as the glide and is not an error. espeak-ng says its emphatics ض and ظ
as the plain consonant (d, ð) with the dark vowel after it (its own phonemes,
`espeak-ng -x`: dH'a., Za.), though its IPA writes dˤ for one and ð for the
other: both are judged alike, right where the vowel after them is dark, wrong
where it is not (مَلْحُوظٍ: Z,in, heard as ذ).

`--check` exits 1 when any target is missed, each module's included: every
pause position in pause form, no undoubled glide or long vowel after a prefix,
at most each sample's target of its 100 words with an audible error and no row
read differently from when it was judged, and the targets of the modules above.
`--quick` leaves out the words per minute (audio made of every article).
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

import chunk_ends
import connected_speech
import number_reading
import respellings
from built import Built, build
from hand_sample import ipa_phonemes, judged_sample, sample_rows
from targets import Verdict, add_check_argument, exit_status
from unseen import ARCHIVE, Item, corpus_paths, describe, draw_items, unseen_days, write_items

from nashra.engines import create_engine
from nashra.engines.espeak.engine import EspeakOptions

HERE = Path(__file__).resolve().parent
UNSEEN_ARTICLES = 40
"""The unseen articles measured: the 40 `respellings.py` reads (drawn with the same
seed), which hold the `FIRST_SAMPLE_ARTICLES` the first samples came from."""
UNSEEN_SEED = 13
FIRST_SAMPLE_ARTICLES = 12
"""The unseen articles `arabic_sample_unseen.tsv` and `number_case_sample_unseen.tsv`
were drawn from (as many as the corpus's archive articles)."""
SAMPLES = {
    "corpus": ((HERE / "arabic_sample.tsv", 10),),
    "unseen": ((HERE / "arabic_sample_unseen.tsv", 10), (HERE / "arabic_sample_unseen2.tsv", 6)),
}
"""Each set's hand-checked samples, with the most words of 100 that may have an
audible error: 10 for the first two; 6 for the second unseen sample, drawn after
connected speech (issue 25's target)."""

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


def pronunciation(built: Built) -> Figures:
    """The pause forms, glides and prefixes of every word of `built`, each said alone."""
    figures = Figures()
    examples: list[str] = []
    cache: dict[str, list[str]] = {}

    def ipa_of(word: str) -> list[str]:
        if word not in cache:
            cache[word] = ipa_phonemes(word)
        return cache[word]

    for texts, vowellings in zip(built.given, built.vowelled, strict=True):
        for text, vowelling in zip(texts, vowellings, strict=True):
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


def words_per_minute(built: Built, rate: int) -> tuple[float, float, int]:
    """(words per minute, minutes of audio, words) of `built` voiced at `rate`."""
    engine = create_engine("espeak", EspeakOptions(rate=rate))
    seconds = 0.0
    words = 0
    for script in built.scripts:
        # The requests as a build makes them (a sentence's clauses in one, the comma
        # pauses inside), each followed by its pause.
        for request in engine.plan(script).utterances:
            clip = engine.synthesize(request.speech)
            with wave.open(io.BytesIO(clip.data)) as reader:
                seconds += reader.getnframes() / reader.getframerate()
            seconds += request.pause_after_ms / 1000
        words += sum(speech_words(u.speech) for u in script.utterances)
    return words / (seconds / 60), seconds / 60, words


def own_figures(name: str, built: Built, rates: list[int]) -> list[Verdict]:
    """Print this module's figures of `built`: pause forms, glides and prefixes, and
    the words per minute at each of `rates`; return their verdicts."""
    figures = pronunciation(built)
    words = sum(speech_words(u.speech) for script in built.scripts for u in script.utterances)
    unread = f" ({built.unread} with no text to read left out)" if built.unread else ""
    print(f"\n== {name}: {len(built.paths)} articles{unread}, {words} spoken words")
    print(
        f"pause positions in pause form: {figures.paused}/{figures.pauses}"
        f" ({figures.paused / max(figures.pauses, 1):.1%})"
    )
    print(
        f"undoubled glides: {figures.glide_misreads} of {figures.glides} words with a shadda on و/ي"
    )
    print(
        f"long vowel after a prefix: {figures.prefix_misreads} of {figures.prefixed}"
        " words with a prefix before an alif"
    )
    for example in figures.examples:
        print(f"  {example}")
    for rate in rates:
        wpm, minutes, spoken = words_per_minute(built, rate)
        print(f"espeak_rate {rate}: {wpm:.0f} words/min ({spoken} words, {minutes:.1f} min)")
    return [
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


def sample_figures(name: str, built: Built) -> list[Verdict]:
    """Print each hand-checked sample of `name` judged against what espeak-ng says
    now in `built`; return their verdicts."""
    found = []
    for sample, target in SAMPLES.get(name, ()):
        figure = f"{name}: hand-checked sample {sample.name}"
        if not sample.is_file():
            found.append(Verdict(figure, "present", False))
            continue
        rows, wrong, before, changed = judged_sample(sample, built.scripts, built.given)
        was = f" {before}/{rows} as read before ({before / rows:.0%});" if before else ""
        print(
            f"hand-checked sample ({sample.name}): {wrong}/{rows} words with an audible error"
            f" ({wrong / rows:.0%});{was} {changed} now read differently from when judged"
        )
        found += [
            Verdict(
                f"{figure}, words with an audible error",
                f"at most {target * rows // 100} of {rows} ({wrong})",
                wrong * 100 <= target * rows,
            ),
            Verdict(
                f"{figure}, rows read differently from when judged",
                f"none ({changed}: judge them again)",
                changed == 0,
            ),
        ]
    return found


def report(name: str, built: Built, rates: list[int]) -> list[Verdict]:
    """Print every Arabic figure of `built`, each measured by the module that owns it;
    return all their verdicts."""
    found = own_figures(name, built, rates) + sample_figures(name, built)
    print(f"\n-- {name}: connected speech (connected_speech.py)")
    found += connected_speech.measure(name, built)
    print(f"\n-- {name}: chunk ends (chunk_ends.py)")
    found.append(chunk_ends.judge(name, built.paths, show=0))
    print(f"\n-- {name}: numbers (number_reading.py, number_case.py)")
    found.append(number_reading.judge_set(name, built.paths))
    print(f"\n-- {name}: respelling classes (respellings.py)")
    found.append(respellings.judge(name, built))
    return found


def unseen_articles(days: list[str], folder: Path = ARCHIVE) -> tuple[list[Item], list[Item]]:
    """(the unseen articles the figures are measured on, those of them the first
    unseen samples were drawn from): `UNSEEN_ARTICLES` drawn with `UNSEEN_SEED`,
    always with the first samples' `FIRST_SAMPLE_ARTICLES` among them."""
    first = draw_items(days, FIRST_SAMPLE_ARTICLES, UNSEEN_SEED, folder)
    drawn = draw_items(days, UNSEEN_ARTICLES, UNSEEN_SEED, folder)
    names = {item.name for item in first}
    every = first + [item for item in drawn if item.name not in names]
    return sorted(every, key=lambda item: (item.day, item.index)), first


def summary(found: list[Verdict]) -> None:
    print(f"\n== targets: {sum(v.met for v in found)} of {len(found)} met")
    for verdict in found:
        print(f"{'met   ' if verdict.met else 'MISSED'} {verdict.figure}: {verdict.target}")


def draw(paths: list[Path], count: int, seed: int) -> None:
    """Print `count` words of `paths` drawn with `seed`, as a TSV to judge."""
    built = build(paths)
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["word", "given", "ipa", "judgement", "note", "chunk"])
    out.writerows(sample_rows(built.scripts, built.given, count, seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--rate", type=int, action="append", default=[])
    parser.add_argument("--draw", type=int, help="print a new random sample of this many words")
    parser.add_argument("--seed", type=int, default=13)
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--unseen", action="store_true", help="--draw from the first unseen sample's articles"
    )
    which.add_argument(
        "--unseen2", action="store_true", help="--draw from the other unseen articles"
    )
    parser.add_argument("--quick", action="store_true", help="leave out the words per minute")
    add_check_argument(parser)
    args = parser.parse_args()
    days = [] if args.articles else unseen_days()
    every, first = unseen_articles(days) if days else ([], [])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        if args.draw:
            if args.unseen or args.unseen2:
                names = {item.name for item in first}
                chosen = [i for i in every if (i.name in names) == args.unseen]
                paths = write_items(chosen, Path(folder))
            else:
                paths = args.articles or corpus_paths()
            draw(paths, args.draw, args.seed)
            return
        rates = [] if args.quick else [EspeakOptions().rate, *args.rate]
        found = report("corpus", build(args.articles or corpus_paths()), rates)
        if not args.articles:
            print(f"\n{describe(days, every)}")
        if every:
            found += report("unseen", build(write_items(every, Path(folder))), rates)
        elif not args.articles:
            print(
                "unseen: skipped without the archive: its figures (connected speech, chunk ends,"
                " numbers, respelling classes) and the samples "
                + ", ".join(sample.name for sample, _ in SAMPLES["unseen"])
            )
    summary(found)
    print(f"({time.perf_counter() - started:.0f} s)")
    sys.exit(exit_status(found, check=args.check, quick=args.quick))


if __name__ == "__main__":
    main()
