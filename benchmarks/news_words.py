"""The words of a news corpus by frequency, and how the diacritizer vowels each in context.

    python benchmarks/news_words.py count [--top N]            # most frequent words
    python benchmarks/news_words.py audit [--top N] [--per K]  # the model's vowellings of each
    python benchmarks/news_words.py lexicon                    # the built-in lexicon against both
    python benchmarks/news_words.py sample [--check]           # its readings judged by hand
    python benchmarks/news_words.py sample --draw > benchmarks/lexicon_sample.tsv

The corpus is the SaudiNewsNet archive (one `YYYY-MM-DD.zip` of JSON per day;
`NASHRA_NEWS_CORPUS` names its folder, default `../shared/corpus/saudinewsnet-archive`
beside the repository). Articles seen on several days are counted once (by URL).
Words are counted as written, clitics and all, but without diacritics or tatweel and with one kind
of alef: the form the lexicon looks words up by.

`audit` diacritizes up to K sentences in which each of the top N words occurs
and prints the model's vowelling of that word in each: a word vowelled more
than one way, or one wrong way, is a candidate for the built-in news lexicon
(`src/nashra/text/news_lexicon.toml`), whose forms are then written from
grammar references, never copied from the model. `lexicon` prints, for each
entry, how often the corpus has it, in how many sampled contexts the model
alone vowels it against the entry and how many are left with the lexicon, and
the model's forms: a tool for choosing entries, which measures the model
against the entries and so cannot show a wrong entry.

`sample` can: it draws `SAMPLE` words (seed `SAMPLE_SEED`) among those the
lexicon vowels in the articles of archive days nobody tuned on (`unseen.py`:
days drawn with a fixed seed, named), and `benchmarks/lexicon_sample.tsv`
holds each with its sentence and a judgement by hand: `ok` when the entry's
vowels are the word's in that sentence (its case ending, left to the
diacritizer, is not judged), `error` when a listener would hear another word
or a wrong one. It prints the errors and how many rows the lexicon now reads
otherwise than when judged; `--check` exits 1 when more than `SAMPLE_TARGET`
of the rows are errors or a row has changed. Without the archive it says so
and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from pathlib import Path

from targets import Verdict, add_check_argument, exit_status
from unseen import ARCHIVE, describe, unseen_days, unseen_items

from nashra.text.lexicon import match_key, vowel_news_words

CORPUS = ARCHIVE
LEXICON_SAMPLE = Path(__file__).resolve().parent / "lexicon_sample.tsv"
SAMPLE = 60
SAMPLE_SEED = 11
SAMPLE_TARGET = 0.05  # share of the sampled readings judged wrong, at most
_WORD_RE = re.compile("[\u0621-\u064a\u064b-\u0652\u0670\u0640]+")
_SENTENCE_RE = re.compile(r"[^.!؟?\n]+")
_CLITICS = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل")


def articles(folder: Path = CORPUS, skip: Collection[str] = ()) -> Iterator[dict[str, str]]:
    """Each article of the archive once, in date order, but those of the days in `skip`
    (`YYYY-MM-DD`)."""
    seen: set[str] = set()
    archives = sorted(path for path in folder.glob("*.zip") if path.stem not in skip)
    if not archives:
        raise SystemExit(
            f"no SaudiNewsNet daily files (YYYY-MM-DD.zip) in {folder};"
            " set NASHRA_NEWS_CORPUS to the folder that holds them"
        )
    for archive in archives:
        with zipfile.ZipFile(archive) as opened:
            for name in opened.namelist():
                for item in json.loads(opened.read(name)):
                    url = item.get("url") or item.get("title", "")
                    if url in seen:
                        continue
                    seen.add(url)
                    yield item


def bare(word: str) -> str:
    """The lexicon's lookup form of one written word, clitics kept."""
    return match_key(word)


def count(top: int) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for item in articles():
        counts.update(bare(word) for word in _WORD_RE.findall(item.get("content", "")))
    return counts.most_common(top)


def _contexts(words: set[str], per: int) -> dict[str, list[str]]:
    """Up to `per` sentences of the corpus in which each of `words` stands bare."""
    found: dict[str, list[str]] = defaultdict(list)
    for item in articles():
        for sentence in _SENTENCE_RE.findall(item.get("content", "")):
            sentence = sentence.strip()
            if not 20 <= len(sentence) <= 300:
                continue
            for word in {bare(w) for w in _WORD_RE.findall(sentence)} & words:
                if len(found[word]) < per:
                    found[word].append(sentence)
        if all(len(found[w]) >= per for w in words):
            break
    return found


def _vowellings(word: str, sentences: list[str], *, lexicon: bool = False) -> Counter[str]:
    """How the diacritizer vowels `word` in each of `sentences`, with or without the lexicon."""
    from nashra.text import diacritize

    forms: Counter[str] = Counter()
    # The diacritizer's own name for the lexicon step, replaced for the model alone.
    names = vars(diacritize)
    steps = {step: names[step] for step in ("vowel_news_words", "settle_verbs")}
    if not lexicon:
        names.update(dict.fromkeys(steps, lambda text: text))
    try:
        for sentence in sentences:
            for vowelled in _WORD_RE.findall(diacritize.diacritize(sentence)):
                if bare(vowelled) == word:
                    forms[vowelled] += 1
    finally:
        names.update(steps)
    return forms


def audit(top: int, per: int) -> None:
    frequent = [word for word, _ in count(top)]
    contexts = _contexts(set(frequent), per)
    for word in frequent:
        forms = _vowellings(word, contexts[word])
        shown = "  ".join(f"{form}×{n}" for form, n in forms.most_common())
        print(f"{word}\t{shown}")


_SHADDA, _SUKUN = "\u0651", "\u0652"
_SUN_LETTERS = set("تثدذرزسشصضطظن")
_MARK_RE = re.compile("[\u064b-\u0652\u0670]")


def _marked(word: str) -> list[tuple[str, str]]:
    """`word` as (letter, its marks) pairs; spaces dropped."""
    pairs: list[tuple[str, str]] = []
    for char in word.replace(" ", ""):
        if _MARK_RE.match(char) and pairs:
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + char)
        elif not _MARK_RE.match(char):
            pairs.append((char, ""))
    return pairs


def disagrees(entry: str, model: str) -> bool:
    """Whether the model's vowelling of a word contradicts the entry's.

    Only what the entry writes is judged: a vowel the model gives another
    vowel or none, a shadda it leaves out, a sukun where it puts a vowel. The
    last letter's case vowel and the shadda of a sun letter after the article
    (which the diacritizer drops on purpose) are not judged.
    """
    ours, theirs = _marked(entry), _marked(model)
    if [bare(c) for c, _ in ours] != [bare(c) for c, _ in theirs]:
        return True
    for index, ((char, mine), (_, its)) in enumerate(zip(ours, theirs, strict=True)):
        sun = index > 0 and char in _SUN_LETTERS and ours[index - 1][0] == "ل" and index <= 4
        if _SHADDA in mine and _SHADDA not in its and not sun:
            return True
        if index == len(ours) - 1:
            continue
        vowels, model_vowels = mine.replace(_SHADDA, ""), its.replace(_SHADDA, "")
        if vowels == _SUKUN:
            if model_vowels not in ("", _SUKUN):
                return True
        elif vowels and vowels != model_vowels:
            return True
    return False


def lexicon_report(per: int, only: list[str]) -> None:
    """Per entry: corpus frequency, contexts seen, contexts the model vowels wrongly."""
    from nashra.text.lexicon import load_news_lexicon

    entries = load_news_lexicon().entries
    if only:
        entries = {key: entries[key] for key in map(bare, only) if key in entries}
    frequency = dict(count(200_000))
    contexts = _contexts(set(entries), per)
    seen = wrong = still = 0
    tokens = 0.0  # the corpus's words the model alone misvowels, estimated from the samples
    total = 0
    for key, spoken in entries.items():
        forms = _vowellings(key, contexts[key])
        bad = sum(n for form, n in forms.items() if disagrees(spoken, form))
        fixed = _vowellings(key, contexts[key], lexicon=True)
        left = sum(n for form, n in fixed.items() if disagrees(spoken, form))
        seen += sum(forms.values())
        wrong += bad
        still += left
        shown = "  ".join(f"{form}×{n}" for form, n in forms.most_common(4))
        n = sum(forms.values())
        total += frequency.get(key, 0)
        tokens += frequency.get(key, 0) * bad / n if n else 0.0
        print(f"{frequency.get(key, 0)}\t{n}\t{bad}\t{left}\t{key}\t{spoken}\t| {shown}")
    print(
        f"entries: {len(entries)}; contexts: {seen}; vowelled against the entry:"
        f" {wrong} by the model alone, {still} with the lexicon"
    )
    print(
        f"the entries occur {total} times in the archive; an estimated {tokens:.0f} of"
        " them are vowelled against the entry by the model alone"
    )


def lexicon_uses(days: list[str]) -> list[list[str]]:
    """Every word of the `days`' articles that the lexicon vowels: article, word, its
    reading, and the sentence, in the order of the archive."""
    uses = []
    for item in unseen_items(days):
        for sentence in _SENTENCE_RE.findall(item.fields.get("content", "")):
            sentence = " ".join(sentence.split())
            for word in _WORD_RE.findall(sentence):
                spoken = vowel_news_words(word)
                if spoken != word:
                    uses.append([item.name, word, spoken, "", "", sentence])
    return uses


def lexicon_sample(draw: bool) -> list[Verdict]:
    days = unseen_days()
    print(describe(days), file=sys.stderr if draw else sys.stdout)
    if not days:
        # A sample that could not be measured is not a target met.
        return [] if draw else [Verdict("lexicon sample", "measured (needs the archive)", False)]
    if draw:
        uses = lexicon_uses(days)
        chosen = sorted(random.Random(SAMPLE_SEED).sample(range(len(uses)), SAMPLE))
        print(f"{len(uses)} words vowelled by the lexicon; {SAMPLE} drawn", file=sys.stderr)
        out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        out.writerow(["article", "word", "spoken", "judgement", "note", "sentence"])
        out.writerows(uses[index] for index in chosen)
        return []
    with LEXICON_SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    wrong = [row for row in rows if row["judgement"] == "error"]
    changed = [row for row in rows if vowel_news_words(row["word"]) != row["spoken"]]
    print(f"lexicon readings judged wrong in a sample of {len(rows)}: {len(wrong)}")
    for row in wrong:
        print(f"  {row['word']} → {row['spoken']}: {row['note']}")
    print(f"rows the lexicon now reads otherwise than when judged: {len(changed)}")
    return [
        Verdict(
            "lexicon readings judged wrong",
            f"at most {SAMPLE_TARGET:.0%} ({len(wrong)} of {len(rows)})",
            len(wrong) <= SAMPLE_TARGET * len(rows),
        ),
        Verdict(
            "judged rows the lexicon now reads otherwise", f"none ({len(changed)})", not changed
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["count", "audit", "lexicon", "sample"])
    parser.add_argument("--top", type=int, default=500)
    parser.add_argument("--per", type=int, default=6)
    parser.add_argument("--draw", action="store_true", help="sample: print a new sample to judge")
    add_check_argument(parser)
    parser.add_argument("words", nargs="*", help="lexicon: only these entries")
    args = parser.parse_intermixed_args()
    if args.mode == "count":
        for word, n in count(args.top):
            print(f"{n}\t{word}")
    elif args.mode == "audit":
        audit(args.top, args.per)
    elif args.mode == "lexicon":
        lexicon_report(args.per, args.words)
    else:
        sys.exit(exit_status(lexicon_sample(args.draw), check=args.check, quick=False))


if __name__ == "__main__":
    main()
