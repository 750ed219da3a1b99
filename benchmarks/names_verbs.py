"""Names nunated, news verbs read as another word, hamzas left out: counted and mined.

    python benchmarks/names_verbs.py [--check] [ARTICLE ...]   # the figures
    python benchmarks/names_verbs.py hamzas                    # mine hamzas.toml's words
    python benchmarks/names_verbs.py names [--articles N]      # candidate names to judge
    python benchmarks/names_verbs.py verbs                     # the verb rules' readings

The figures, by default over the test corpus and over articles of archive days
nobody tuned on (`unseen.py`), as a build diacritizes them (`built.vowelled_as_built`):

- names: the words of `names_judged.tsv` given a tanween. That file holds every
  proper name the diacritizer nunated in these articles when it was judged (before
  `names.toml` existed), each judged from the grammar: a diptote (a city, a region,
  a name ending in ة, a woman's name) or a foreign name, never nunated; family
  names said in pausal form by news readers are counted apart;
- verbs: how each verb the context rules and the lexicon concern is read (form II,
  with its shadda, or not), and the past form II verbs given vowels no verb has
  (قُدَّمَ, قَدِّمَ); `--list` prints each reading with its sentence, to judge;
- hamzas: words written with a bare initial alif whose spelling in the archive is
  almost always with one hamza (the days that hold the test corpus, as mined), and
  how many of them espeak-ng starts without its ʔ.

Uses only the public interface (the diacritizer, the espeak engine's respelling),
so the same file measures an older nashra for the before figures. `--check` exits
1 when a corpus name of the sample is nunated, when a form II verb keeps vowels no
verb has, or when more than `HAMZA_TARGET` of the hamza words lose their ʔ.

The mining modes read the archive's days that hold the test corpus only (the
unseen days are left out): `hamzas` prints the words of `hamzas.toml`; `names`
diacritizes `--articles` articles of those days and prints the nunated words no
article ever takes, for judging by hand; `verbs` prints every sentence of those
days in which a verb rule writes a reading, for judging by hand.
"""

from __future__ import annotations

import argparse
import csv
import functools
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from built import vowelled_as_built
from hand_sample import ipa_phonemes
from news_words import articles
from targets import Verdict
from unseen import (
    ARCHIVE,
    archive_days,
    corpus_and_unseen_main,
    draw_items,
    eligible_days,
    write_items,
)

from nashra.config.settings import Audio
from nashra.core.errors import ArticleError
from nashra.core.model import Script
from nashra.engines.espeak import spelling
from nashra.readers import read_article
from nashra.stages.script import make_script

HERE = Path(__file__).resolve().parent
NAMES_JUDGED = HERE / "names_judged.tsv"
UNSEEN_ARTICLES = 40  # the articles of respellings.py
UNSEEN_SEED = 13
HAMZA_TARGET = 0.02

_MARKS = "\u064b-\u0652\u0670\u0640"
_MARK_RE = re.compile(f"[{_MARKS}]")
_WORD_RE = re.compile(f"[\u0621-\u064a\u0671{_MARKS}]+")
_TANWEEN_RE = re.compile("[\u064b-\u064d]")
_CLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك", "")
_FOLD = str.maketrans("أإٱ", "ااا")
_SHADDA = "\u0651"
# Verbs whose form II is told by its shadda on the second root letter: the verb as
# written (with و or ف before it) → its root letters.
_VERBS = {
    "وقع": "وقع", "وقعت": "وقع", "كرم": "كرم", "كرمت": "كرم",
    "حدث": "حدث", "حدثت": "حدث", "نفذ": "نفذ", "نفذت": "نفذ",
}  # fmt: skip
_ROOT = "(?![\u0627\u0649\u0629])[\u0621-\u064a]"
_IMPOSSIBLE_FORM_II = re.compile(
    f"^(?:[وف]\u064e)?{_ROOT}(?:\u064f{_ROOT}\u0651\u064e|\u064e{_ROOT}\u0651\u0650)"
    f"(?![وي]){_ROOT}\u064e(?:ت[\u064e\u0650\u0652]?)?$"
)


def key(word: str) -> str:
    """No marks, one alef (آ kept), no punctuation."""
    return _MARK_RE.sub("", re.sub(f"[^\u0621-\u064a\u0671{_MARKS}]", "", word)).translate(_FOLD)


def stems(word: str) -> list[str]:
    """The word's key and the key without each clitic prefix it may have."""
    whole = key(word)
    return [whole[len(p) :] for p in _CLITICS if whole.startswith(p) and len(whole) - len(p) > 1]


def judged_names() -> dict[str, str]:
    with NAMES_JUDGED.open(encoding="utf-8", newline="") as handle:
        return {key(row["name"]): row["kind"] for row in csv.DictReader(handle, delimiter="\t")}


@functools.cache
def tuning_counts() -> Counter[str]:
    """Every word of the archive's days that hold the test corpus, marks removed, its
    alefs as written; each article once."""
    counts: Counter[str] = Counter()
    for item in articles(ARCHIVE, skip=set(eligible_days())):
        content = item.get("content", "")
        counts.update(_MARK_RE.sub("", w) for w in _WORD_RE.findall(content))
    return counts


def hamza_form(bare: str) -> str | None:
    """The word with its hamza when the archive almost always writes `bare` (ا…) so."""
    counts = tuning_counts()
    rest = bare[1:]
    above, below, madda = (counts[h + rest] for h in "أإآ")
    best, form = max((above, "أ" + rest), (below, "إ" + rest))
    others = above + below + madda - best
    if best < 20 or best < 2 * counts[bare] or others > max(5, 0.02 * best):
        return None
    return form


def mined_hamzas() -> list[str]:
    """hamzas.toml's words: `hamza_form`, unless a clitic before the bare form spells
    another word (واحد is not وأحد)."""
    counts = tuning_counts()
    prefixes = sorted(
        {p + q + a for p in ("", "و", "ف") for q in ("", "ب", "ل", "ك") for a in ("", "ال")} - {""},
        key=len,
        reverse=True,
    )
    found = []
    for bare, seen in counts.items():
        if len(bare) < 3 or bare[0] != "ا" or (form := hamza_form(bare)) is None:
            continue
        rate = max(seen / counts[form], 0.1)
        clash = any(
            counts[p + bare] >= 3 and counts[p + bare] > 3 * (counts[p + form] + 1) * rate
            for p in prefixes
            if not (p.endswith("ل") and bare.startswith("ال"))
        )
        if not clash:
            found.append((counts[form], form))
    return [form for _, form in sorted(found, reverse=True)]


def scripts_of(paths: list[Path]) -> list[Script]:
    found = []
    for path in paths:
        try:
            found.append(make_script(read_article(path), Audio()))
        except ArticleError:  # an archive item with no body: a build skips it
            continue
    return found


def measure(name: str, paths: list[Path], *, listing: bool = False) -> list[Verdict]:
    judged = judged_names()
    nunated: Counter[str] = Counter()
    verbs: Counter[tuple[str, bool]] = Counter()
    impossible: list[str] = []
    hamza_words = hamza_lost = 0
    cache: dict[str, list[str]] = {}
    for script in scripts_of(paths):
        for vowelled in vowelled_as_built(script):
            respelled = spelling.for_espeak(vowelled).split()
            words = vowelled.split()
            for index, word in enumerate(words):
                clean = re.sub(f"[^\u0621-\u064a\u0671{_MARKS}]", "", word)
                if not clean:
                    continue
                kind = next((judged[s] for s in stems(word) if s in judged), None)
                if kind and _TANWEEN_RE.search(clean):
                    nunated[kind] += 1
                    if listing:
                        print(f"  nunated {kind}: {clean}")
                whole = key(clean)
                verb = _VERBS.get(whole) or (whole[:1] in "وف" and _VERBS.get(whole[1:]))
                if verb:
                    second = re.search(f"{verb[1]}([{_MARKS}]*)", clean[1:])
                    form_ii = bool(second and _SHADDA in second.group(1))
                    verbs[(verb, form_ii)] += 1
                    if listing:
                        context = " ".join(words[max(0, index - 3) : index + 4])
                        print(f"  {verb} {'II' if form_ii else 'I '}: {context}")
                if _IMPOSSIBLE_FORM_II.match(clean):
                    impossible.append(clean)
                if (
                    len(respelled) == len(words)
                    and whole[:1] == "ا"
                    and not whole.startswith("ال")
                    and hamza_form(whole)
                ):
                    core = re.sub(f"[^\u0621-\u064a\u0671{_MARKS}]", "", respelled[index])
                    if core not in cache:
                        cache[core] = ipa_phonemes(core)
                    hamza_words += 1
                    if cache[core][:1] != ["ʔ"]:
                        hamza_lost += 1
                        if listing:
                            print(f"  hamza lost: {clean} → {'_'.join(cache[core])}")
    print(f"\n{name}: {len(paths)} articles")
    print(
        f"names of names_judged.tsv nunated: {nunated['diptote'] + nunated['pausal']}"
        f" (diptote {nunated['diptote']}, foreign {nunated['pausal']});"
        f" family names {nunated['family']}"
    )
    for verb in sorted({v for v, _ in verbs}):
        print(f"verb {verb}: form II {verbs[(verb, True)]}, form I or noun {verbs[(verb, False)]}")
    print(f"past form II verbs with vowels no verb has: {len(impossible)} {impossible[:6]}")
    print(f"hamza words said without ʔ: {hamza_lost} of {hamza_words}")
    found = [
        Verdict(
            f"{name}: form II verbs with impossible vowels",
            f"none ({len(impossible)})",
            not impossible,
        ),
        Verdict(
            f"{name}: hamza words without ʔ",
            f"at most {HAMZA_TARGET:.0%} ({hamza_lost} of {hamza_words})",
            hamza_lost <= HAMZA_TARGET * hamza_words,
        ),
    ]
    if name == "corpus":
        lost = nunated["diptote"] + nunated["pausal"]
        found.append(Verdict("corpus: sample names nunated", f"none ({lost})", lost == 0))
    return found


def mine_names(count: int) -> None:
    """Nunated words of `count` articles of the corpus's days that no article takes,
    with how often the archive has them and how often they were nunated."""
    counts = tuning_counts()
    days = [day for day in archive_days() if day not in set(eligible_days())]
    nunated: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        for script in scripts_of(write_items(draw_items(days, count, 8), Path(folder))):
            for vowelled in vowelled_as_built(script):
                for word in vowelled.split():
                    if _TANWEEN_RE.search(word) and not word.endswith(("ًا", "اً")):
                        nunated[key(word)] += 1
    for word, seen in nunated.most_common():
        bare = [s for s in stems(word) if s != word and counts[s] > counts[word]]
        stem = bare[0] if bare else word
        article = sum(counts[p + "ال" + stem] for p in ("", "و", "ب", "ف"))
        if article <= 0.03 * (article + counts[stem]):
            print(f"{counts[stem]}\t{seen}\t{stem}")


def mine_verbs() -> None:
    """Every sentence of the corpus's days in which a verb rule writes a reading."""
    from nashra.text.verbs import verbs_in_context

    for item in articles(ARCHIVE, skip=set(eligible_days())):
        for sentence in re.findall(r"[^.!؟?\n]+", item.get("content", "")):
            if verbs_in_context(sentence) != sentence:
                print(" ".join(verbs_in_context(sentence).split()))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("hamzas", "names", "verbs"):
        parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
        parser.add_argument("mode")
        parser.add_argument("--articles", type=int, default=1500)
        args = parser.parse_args()
        if args.mode == "hamzas":
            print("\n".join(mined_hamzas()))
        elif args.mode == "names":
            mine_names(args.articles)
        else:
            mine_verbs()
        return 0
    listing = "--list" in sys.argv
    if listing:
        sys.argv.remove("--list")

    def judge(name: str, paths: list[Path]) -> Verdict:
        verdicts = measure(name, paths, listing=listing)
        missed = [v for v in verdicts if not v.met]
        return missed[0] if missed else verdicts[0]

    return corpus_and_unseen_main(
        (__doc__ or "").split("\n")[0], judge, UNSEEN_ARTICLES, UNSEEN_SEED
    )


if __name__ == "__main__":
    sys.exit(main())
