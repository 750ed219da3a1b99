"""Articles nobody tuned on: archive days with none of the test corpus's articles.

The rules of nashra's Arabic text preparation were written against the articles
in `tests/data/corpus`. A figure measured only there can flatter them, so the
Arabic benchmarks also report it on articles from other days of the SaudiNewsNet
archive (`NASHRA_NEWS_CORPUS`, default `../shared/corpus/saudinewsnet-archive`
beside the repository):

- a day is *eligible* when its file holds no article of the corpus (matched by
  URL and by title), checked each run against the corpus's `index.json` files;
- `DAY_COUNT` eligible days are drawn with the fixed `DAY_SEED`, and articles
  from them with each benchmark's own seed, so every run names the same days
  and articles;
- a day is a *development* day once any test's data comes from it (an article
  in any `index.json` under `tests/data`, such as the reader tests' articles):
  a rule was then tuned on it. The *untouched* days are the eligible days that
  are not: `UNTOUCHED_COUNT` of them drawn with `UNTOUCHED_SEED`. The drawn days
  stay the pronunciation samples' days, which were judged before any test took
  an article from them; the reader's debris figures report both.

With no archive on the machine (CI), `unseen_days` returns no days and each
benchmark reports its corpus figures alone, saying the unseen ones were skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from targets import Verdict, add_check_argument, exit_status

HERE = Path(__file__).resolve().parent
TEST_DATA = HERE.parent / "tests" / "data"
CORPUS = TEST_DATA / "corpus"
ARCHIVE = Path(
    os.environ.get(
        "NASHRA_NEWS_CORPUS", HERE.parent.parent / "shared" / "corpus" / "saudinewsnet-archive"
    )
)
DAY_SEED = 29
DAY_COUNT = 2
UNTOUCHED_SEED = 31
UNTOUCHED_COUNT = 3


@dataclass(frozen=True)
class Item:
    """One archive article: its day, its place in that day's file, its fields."""

    day: str
    index: int
    fields: dict[str, str]

    @property
    def name(self) -> str:
        return f"{self.day}#{self.index}"

    def as_text(self) -> str:
        """The article as the corpus keeps it: the title, a blank line, the content."""
        return f"{self.fields.get('title', '')}\n\n{self.fields.get('content', '')}"


def corpus_paths() -> list[Path]:
    """The corpus's articles the Arabic figures are measured on: its archive
    articles and the article the project started from (not the debris set)."""
    return [
        *sorted((CORPUS / "saudinewsnet").glob("*.txt")),
        CORPUS / "seed" / "whatsapp-privacy.txt",
    ]


def corpus_articles(indexes: Iterable[Path]) -> tuple[set[str], set[str]]:
    """(URLs, titles) of the archive articles listed in the `index.json` files `indexes`."""
    urls: set[str] = set()
    titles: set[str] = set()
    for index in sorted(indexes):
        for entry in json.loads(index.read_text(encoding="utf-8")):
            urls.add(entry["url"])
            titles.add(entry["title"].strip())
    return urls, titles


def holds_any(day: str, articles: tuple[set[str], set[str]], folder: Path = ARCHIVE) -> bool:
    """Whether the day's file holds one of `articles` (URLs, titles)."""
    urls, titles = articles
    return any(
        item.fields.get("url") in urls or item.fields.get("title", "").strip() in titles
        for item in day_items(day, folder)
    )


def day_items(day: str, folder: Path = ARCHIVE) -> list[Item]:
    """Every article of one day's file, in file order."""
    with zipfile.ZipFile(folder / f"{day}.zip") as opened:
        found = [
            item for name in sorted(opened.namelist()) for item in json.loads(opened.read(name))
        ]
    return [Item(day, index, fields) for index, fields in enumerate(found)]


def archive_days(folder: Path = ARCHIVE) -> list[str]:
    return sorted(path.stem for path in folder.glob("*.zip"))


def eligible_days(folder: Path = ARCHIVE, data: Path = TEST_DATA) -> list[str]:
    """The archive's days whose file holds no article of the test corpus (`data`/corpus)."""
    articles = corpus_articles((data / "corpus").glob("*/index.json"))
    return [day for day in archive_days(folder) if not holds_any(day, articles, folder)]


def development_days(folder: Path = ARCHIVE, data: Path = TEST_DATA) -> list[str]:
    """The eligible days some test's data comes from (an article in an `index.json` under
    `data`): a rule was tuned on them, so figures there are development figures."""
    if not folder.is_dir():
        return []
    articles = corpus_articles(data.rglob("index.json"))
    return [day for day in eligible_days(folder, data) if holds_any(day, articles, folder)]


def untouched_days(folder: Path = ARCHIVE, data: Path = TEST_DATA) -> list[str]:
    """`UNTOUCHED_COUNT` eligible days that are not development days, drawn with
    `UNTOUCHED_SEED`, in date order; none without an archive."""
    if not folder.is_dir():
        return []
    tuned = set(development_days(folder, data))
    untouched = [day for day in eligible_days(folder, data) if day not in tuned]
    drawn = random.Random(UNTOUCHED_SEED).sample(untouched, min(UNTOUCHED_COUNT, len(untouched)))
    return sorted(drawn)


def unseen_days(folder: Path = ARCHIVE) -> list[str]:
    """`DAY_COUNT` eligible days drawn with `DAY_SEED`, in date order; none without an archive."""
    eligible = eligible_days(folder) if folder.is_dir() else []
    if len(eligible) < DAY_COUNT:
        return []
    return sorted(random.Random(DAY_SEED).sample(eligible, DAY_COUNT))


def unseen_items(days: list[str], folder: Path = ARCHIVE) -> Iterator[Item]:
    """The articles of `days`, each URL once, with some text."""
    seen: set[str] = set()
    for day in days:
        for item in day_items(day, folder):
            key = item.fields.get("url") or item.fields.get("title", "")
            if key in seen or not item.fields.get("content", "").strip():
                continue
            seen.add(key)
            yield item


def draw_items(days: list[str], count: int, seed: int, folder: Path = ARCHIVE) -> list[Item]:
    """`count` articles of `days` drawn with `seed`, in day and file order."""
    every = list(unseen_items(days, folder))
    chosen = random.Random(seed).sample(every, min(count, len(every)))
    return sorted(chosen, key=lambda item: (item.day, item.index))


def write_items(items: list[Item], folder: Path) -> list[Path]:
    """Each article as a `.txt` file in `folder`, named by day and index, as nashra reads one."""
    paths = []
    for item in items:
        path = folder / f"{item.day}-{item.index:04d}.txt"
        path.write_text(item.as_text(), encoding="utf-8")
        paths.append(path)
    return paths


def describe(days: list[str], items: list[Item] | None = None, *, untouched: bool = False) -> str:
    """One line naming the unseen (or untouched) days and articles, or saying they were skipped."""
    label, seed = ("untouched", UNTOUCHED_SEED) if untouched else ("unseen", DAY_SEED)
    if not days:
        return f"{label} archive days: skipped (no archive at {ARCHIVE}; set NASHRA_NEWS_CORPUS)"
    line = f"{label} archive days (seed {seed}): {', '.join(days)}"
    if items is not None:
        line += f"; {len(items)} articles: {' '.join(item.name for item in items)}"
    return line


def corpus_and_unseen_main(
    description: str, judge: Callable[[str, list[Path]], Verdict], count: int, seed: int
) -> int:
    """The main of a benchmark that judges articles: `judge(name, paths)` on the
    articles named on the command line, else on the corpus and then on `count`
    articles (drawn with `seed`) of the unseen days; `--check` as every benchmark."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("articles", nargs="*", type=Path)
    add_check_argument(parser)
    args = parser.parse_args()
    found = [judge("corpus", args.articles or corpus_paths())]
    days = [] if args.articles else unseen_days()
    items = draw_items(days, count, seed) if days else []
    if not args.articles:
        print(describe(days, items))
    if items:
        with tempfile.TemporaryDirectory() as folder:
            found.append(judge("unseen", write_items(items, Path(folder))))
    return exit_status(found, check=args.check, quick=False)
