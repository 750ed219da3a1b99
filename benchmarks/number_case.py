"""The case of each number, judged by hand: the samples of `number_reading.py`.

A sample is a TSV of numbers drawn at random from the articles, each keyed by
its article, its paragraph, its digits and which of those digits in the
paragraph it is, with the words around it and the case the grammar gives it
there (`nom`, `gen`, `acc`), judged by hand; `-` where no case applies (a code
said digit by digit). Judging compares that case with the one nashra says the
number in now.

    python benchmarks/number_case.py --draw corpus 60 >> benchmarks/number_case_sample.tsv

draws rows to judge (`unseen` for the unseen archive days).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from unseen import corpus_paths, draw_items, unseen_days, write_items

from nashra.readers import read_article
from nashra.text import normalize as pipeline
from nashra.text import numbers

HERE = Path(__file__).resolve().parent
SAMPLES = {
    "corpus": HERE / "number_case_sample.tsv",
    "unseen": HERE / "number_case_sample_unseen.tsv",
}
COLUMNS = ["article", "paragraph", "number", "occurrence", "context", "case", "note"]
_CONTEXT_CHARS = 70


def numbers_input(text: str) -> str:
    """`text` through every normalization step that comes before numbers are said."""
    for step in pipeline.PIPELINE:
        if step is pipeline.spell_numbers:
            break
        text = step(text)
    return text


def article_texts(path: Path) -> list[str]:
    """The title, the section titles and the paragraphs of an article, in order."""
    article = read_article(path)
    texts = [article.title]
    for section in article.sections:
        texts += [section.title] if section.title else []
        texts += section.paragraphs
    return texts


@dataclass(frozen=True)
class Said:
    """One number of an article as nashra reads it now."""

    article: str
    paragraph: int
    number: str
    occurrence: int
    case: str
    words: str
    context: str

    @property
    def key(self) -> tuple[str, int, str, int]:
        return (self.article, self.paragraph, self.number, self.occurrence)


def said_numbers(paths: list[Path]) -> list[Said]:
    """Every number nashra reads in `paths`, with its case and the text around it."""
    found: list[Said] = []
    for path in paths:
        for paragraph, text in enumerate(article_texts(path)):
            given = numbers_input(text)
            seen: dict[str, int] = {}
            places: dict[str, int] = {}
            for reading in numbers.read_numbers(given)[1]:
                occurrence = seen.get(reading.written, 0)
                seen[reading.written] = occurrence + 1
                start = places.get(reading.written, 0)
                pattern = rf"(?<![\d.,]){re.escape(reading.written)}(?![\d])"
                match = re.compile(pattern).search(given, start)
                at = match.start() if match else -1
                places[reading.written] = match.end() if match else start
                around = given[max(0, at - _CONTEXT_CHARS) : at + _CONTEXT_CHARS] if at >= 0 else ""
                context = re.sub(r"\s+", " ", around).strip()
                found.append(
                    Said(path.stem, paragraph, reading.written, occurrence, reading.case,
                         reading.said, context)
                )  # fmt: skip
    return found


@dataclass(frozen=True)
class Judged:
    rows: int
    right: int
    wrong: list[str]
    missing: int


def judge(sample: Path, paths: list[Path]) -> Judged:
    """How many of `sample`'s judged rows nashra now says in the judged case."""
    with sample.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["case"] != "-"]
    now = {said.key: said for said in said_numbers(paths)}
    right = missing = 0
    wrong: list[str] = []
    for row in rows:
        key = (row["article"], int(row["paragraph"]), row["number"], int(row["occurrence"]))
        said = now.get(key)
        if said is None:
            missing += 1
        elif said.case == row["case"]:
            right += 1
        else:
            wrong.append(f"{row['number']} ({said.case}, judged {row['case']}): {row['context']}")
    return Judged(len(rows), right, wrong, missing)


def draw(paths: list[Path], count: int, seed: int) -> list[list[str]]:
    every = said_numbers(paths)
    chosen = sorted(random.Random(seed).sample(range(len(every)), min(count, len(every))))
    return [
        [every[i].article, str(every[i].paragraph), every[i].number, str(every[i].occurrence),
         every[i].context, "", ""]
        for i in chosen
    ]  # fmt: skip


def main() -> int:
    from number_reading import UNSEEN_ARTICLES, UNSEEN_SEED

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--draw", nargs=2, metavar=("SET", "COUNT"), required=True)
    parser.add_argument("--seed", type=int, default=41)
    args = parser.parse_args()
    which, count = args.draw[0], int(args.draw[1])
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    with tempfile.TemporaryDirectory() as folder:
        if which == "corpus":
            paths = corpus_paths()
        else:
            items = draw_items(unseen_days(), UNSEEN_ARTICLES, UNSEEN_SEED)
            paths = write_items(items, Path(folder))
        for row in draw(paths, count, args.seed):
            writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
