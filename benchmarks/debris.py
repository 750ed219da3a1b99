"""What the .txt reader drops and keeps of real articles, judged by hand.

    python benchmarks/debris.py [--check]          # both judged samples, checked again
    python benchmarks/debris.py --draw untouched > debris_sample_untouched.tsv  # a new one

Articles are drawn (seed `ARTICLE_SEED`) from archive days, each written as a
scraped `.txt` (the title, a blank line, the content) and read with nashra's
reader, on two sets of days (`unseen.py`, each drawn with a fixed seed and named
in the output):

- *development* days: the unseen days the pronunciation figures use. The
  reader's tests have since taken articles from them (its closing lists and
  share rows were fixed on faults found there), so their figures are
  development figures (`debris_sample.tsv`);
- *untouched* days: eligible days no test takes an article from, so no rule was
  tuned on them (`debris_sample_untouched.tsv`). Once a test takes an article
  from one, it is no longer drawn and that sample must be drawn again.

Each line of the content is then compared with what is read aloud (the title,
headings and paragraphs), by its words and without the reader's help: *kept*
when the whole line is read, *dropped* when at most a fifth of its word pairs
are, *cut* in between (the words not read are shown). `LINES` lines of each
kind are drawn (seed `LINE_SEED`) into a sample, and each is judged by hand:
`text` (the article's own words: dropping or cutting them loses text),
`debris` (what no listener should hear: share buttons, links, tag lists,
repeated titles, photo credits, contact lines), or `byline` (the writer or
paper, which nashra says as the author, so dropping it from the text loses
nothing).

Prints, for each sample, how many dropped or cut lines were text (wrongly
dropped) and how many kept lines held debris (wrongly kept), and how many rows
the reader now treats otherwise than when judged (judge those again).
`--check` exits 1 when, in either sample, more than `TARGET` of the judged rows
of a kind are wrong or a row has changed. Without the archive there is nothing
to check: it says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import html
import itertools
import random
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from targets import Verdict, add_check_argument, exit_status
from unseen import Item, describe, development_days, draw_items, unseen_days, untouched_days

from nashra.core.errors import NashraError
from nashra.core.model import Article
from nashra.readers.text import read_text

HERE = Path(__file__).resolve().parent
SAMPLES = {
    "development": HERE / "debris_sample.tsv",
    "untouched": HERE / "debris_sample_untouched.tsv",
}
# Articles drawn from each set of days: enough for `LINES` dropped and `LINES` cut lines (the
# untouched days carry fewer agency datelines and end marks).
ARTICLES = {"development": 400, "untouched": 600}
ARTICLE_SEED = 7
LINES = 50
LINE_SEED = 7
TARGET = 0.05  # wrongly dropped (or cut) and wrongly kept, each at most this share of its rows
_WORD_RE = re.compile(r"[^\W_]+")
_MARKS_RE = re.compile("[\u064b-\u0652\u0670\u0640]")


def words(text: str) -> list[str]:
    """The words of `text`, without entities, presentation forms, vowel marks or tatweel."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    return _WORD_RE.findall(_MARKS_RE.sub("", text).lower())


def spoken(article: Article) -> list[str]:
    """The words read aloud of `article`'s text (the author, said apart, left out)."""
    texts = [article.title]
    for section in article.sections:
        texts += [section.title] if section.title else []
        texts += section.paragraphs
    return words(" ".join(texts))


def classify(line: list[str], said: set[tuple[str, str]], joined: str) -> tuple[str, str]:
    """(kept, dropped or cut; the words not read) of one content line."""
    if " ".join(line) in joined:
        return "kept", ""
    if len(line) == 1:
        return ("kept", "") if f" {line[0]} " in joined else ("dropped", line[0])
    pairs = list(itertools.pairwise(line))
    found = [pair in said for pair in pairs]
    if sum(found) * 5 <= len(pairs):
        return "dropped", " ".join(line)
    missing = [
        word
        for index, word in enumerate(line)
        if not (index > 0 and found[index - 1]) and not (index < len(found) and found[index])
    ]
    return "cut", " ".join(missing)


def lines_of(item: Item, folder: Path) -> list[tuple[str, str, str]]:
    """(kind, the words not read, the line) of each line of one article's content."""
    path = folder / "article.txt"
    path.write_text(item.as_text(), encoding="utf-8")
    try:
        article = read_text(path)
    except NashraError:
        return []
    said_words = spoken(article)
    joined = f" {' '.join(said_words)} "
    said = set(itertools.pairwise(said_words))
    found = []
    for raw in item.fields.get("content", "").splitlines():
        line = words(raw)
        if line:
            kind, missing = classify(line, said, joined)
            found.append((kind, missing, " ".join(raw.split())))
    return found


def draw(items: list[Item]) -> list[list[str]]:
    """`LINES` lines of each kind, drawn with `LINE_SEED`, as rows to judge."""
    by_kind: dict[str, list[list[str]]] = {"dropped": [], "cut": [], "kept": []}
    with tempfile.TemporaryDirectory() as folder:
        for item in items:
            for kind, missing, line in lines_of(item, Path(folder)):
                by_kind[kind].append([item.name, kind, "", "", missing, line])
    rows = []
    for found in by_kind.values():
        rows += random.Random(LINE_SEED).sample(found, min(LINES, len(found)))
    return rows


def check(name: str, items: list[Item]) -> list[Verdict]:
    with SAMPLES[name].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    now: dict[tuple[str, str], str] = {}
    with tempfile.TemporaryDirectory() as folder:
        names = {row["article"] for row in rows}
        for item in items:
            if item.name in names:
                for kind, _, line in lines_of(item, Path(folder)):
                    now[(item.name, line)] = kind
    counts: Counter[tuple[str, str]] = Counter((row["kind"], row["judgement"]) for row in rows)
    changed = [row for row in rows if now.get((row["article"], row["line"])) != row["kind"]]
    judged = ("text", "debris", "byline")
    for kind in ("dropped", "cut", "kept"):
        shown = ", ".join(f"{counts[(kind, j)]} {j}" for j in judged)
        print(f"{kind:8} lines judged: {sum(counts[(kind, j)] for j in judged)} ({shown})")
    lost = counts[("dropped", "text")] + counts[("cut", "text")]
    lost_of = sum(n for (kind, _), n in counts.items() if kind in ("dropped", "cut"))
    kept = counts[("kept", "debris")]
    kept_of = sum(n for (kind, _), n in counts.items() if kind == "kept")
    print(f"wrongly dropped or cut (article text): {lost} of {lost_of}")
    print(f"wrongly kept (debris read aloud): {kept} of {kept_of}")
    print(f"rows the reader now treats otherwise than when judged: {len(changed)}")
    for row in changed[:10]:
        now_kind = now.get((row["article"], row["line"]), "not drawn (its day tuned on since?)")
        print(f"  {row['article']} {row['kind']} -> {now_kind}: {row['line'][:80]}")
    return [
        Verdict(
            f"{name} days: lines dropped or cut that were article text",
            f"at most {TARGET:.0%} ({lost} of {lost_of})",
            lost <= TARGET * lost_of,
        ),
        Verdict(
            f"{name} days: kept lines that read debris aloud",
            f"at most {TARGET:.0%} ({kept} of {kept_of})",
            kept <= TARGET * kept_of,
        ),
        Verdict(
            f"{name} days: judged rows the reader now treats otherwise",
            f"none ({len(changed)})",
            not changed,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--draw",
        nargs="?",
        const="development",
        choices=sorted(SAMPLES),
        help="print a new sample of lines to judge from these days (development by default)",
    )
    add_check_argument(parser)
    args = parser.parse_args()
    days = {"development": unseen_days(), "untouched": untouched_days()}
    tuned = [day for day in development_days() if day in days["development"]]
    verdicts: list[Verdict] = []
    for name in [args.draw] if args.draw else SAMPLES:
        items = draw_items(days[name], ARTICLES[name], ARTICLE_SEED) if days[name] else []
        line = f"{name} sample: {describe(days[name], untouched=name == 'untouched')}"
        line += f"; {len(items)} articles drawn (seed {ARTICLE_SEED})" if items else ""
        if name == "development" and tuned:
            line += f"; tests/data holds articles from {', '.join(tuned)}"
        print(line, file=sys.stderr if args.draw else sys.stdout)
        if not items:
            # A sample that could not be measured is not a target met.
            verdicts.append(Verdict(f"{name} sample", "measured (needs the archive)", False))
            continue
        if args.draw:
            out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
            out.writerow(["article", "kind", "judgement", "note", "not_read", "line"])
            out.writerows(draw(items))
            return
        verdicts += check(name, items)
    sys.exit(exit_status(verdicts, check=args.check, quick=False))


if __name__ == "__main__":
    main()
