"""What the figures of benchmarks/run.py share: projects made from the corpus, the
nashra CLI run in a fresh interpreter, and the figure type with its verdicts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from targets import Verdict

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
ARTICLES = [
    *sorted((CORPUS / "saudinewsnet").glob("*.txt")),
    CORPUS / "seed" / "whatsapp-privacy.txt",
]
PYTHON = sys.executable
COMMAS = ("،", ",")
"""Where the script cuts a sentence into clauses (`text.sentences.split_clauses`)."""


@dataclass
class Figure:
    """One row of the results table; `verdicts` are its targets, each met or not."""

    name: str
    measured: str
    baseline: str
    ratio: float | None
    verdicts: tuple[Verdict, ...]
    note: str = ""
    """What the table cannot say: why a bound is what it is."""

    @property
    def target(self) -> str:
        return "; ".join(v.target for v in self.verdicts)

    @property
    def met(self) -> bool:
        return all(v.met for v in self.verdicts)


def make_project(root: Path, articles: list[Path], **options: object) -> Path:
    """A project voiced by espeak-ng; `options` as `<engine>_<key>=value` go to the
    engine's table (`gtts_rate=1000` → `rate = 1000` under [speech.gtts])."""
    root.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "podcast.toml").read_text(encoding="utf-8")
    text = text.replace('engine = "auto"\n', 'engine = "espeak"\n')
    tables: dict[str, list[str]] = {}
    for key, value in options.items():
        engine, _, name = key.partition("_")
        tables.setdefault(engine, []).append(f"{name} = {json.dumps(value)}")
    for engine, lines in tables.items():
        header = f"[speech.{engine}]\n"
        if header in text:
            text = text.replace(header, header + "\n".join(lines) + "\n")
        else:
            text += f"\n{header}" + "\n".join(lines) + "\n"
    (root / "podcast.toml").write_text(text, encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    for article in articles:
        shutil.copy(article, root / "articles" / article.name)
    return root


def nashra(*args: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run the nashra CLI in a fresh interpreter; return (wall seconds, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-m", "nashra", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"nashra {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def summary_numbers(stdout: str) -> dict[str, int]:
    """The counts in `nashra build`'s closing summary."""
    numbers = {}
    for key, pattern in {
        "built": r"built (\d+)",
        "unchanged": r"unchanged (\d+)",
        "failed": r"failed (\d+)",
        "synthesized": r"clips synthesized (\d+)",
        "cached": r"from cache (\d+)",
    }.items():
        match = re.search(pattern, stdout)
        numbers[key] = int(match.group(1)) if match else 0
    return numbers


def planned_chunks(project: Path) -> list[str]:
    """Every chunk of speech `nashra plan` says the project's build would voice."""
    return [chunk for sentence in planned_sentences(project) for chunk in sentence]


def planned_sentences(project: Path) -> list[tuple[str, ...]]:
    """The chunks of `planned_chunks`, a tuple per sentence: the clauses the script cut
    at a comma stay together, as espeak-ng says them."""
    _, out = nashra("plan", "-p", str(project), "--json")
    plan = json.loads(out)
    sentences: list[tuple[str, ...]] = []
    for article in plan["articles"]:
        for chunks in [article["intro"], *(section["chunks"] for section in article["sections"])]:
            for position, chunk in enumerate(chunks):
                if position and chunks[position - 1].rstrip().endswith(COMMAS):
                    sentences[-1] += (chunk,)
                else:
                    sentences.append((chunk,))
    return sentences


def edit_one_sentence(article: Path) -> int:
    """Add a word to the first sentence of the article's body; return its word count."""
    text = article.read_text(encoding="utf-8")
    sentence = re.search(r"[^.؟!\n]{20,}[.؟!]", text.split("\n", 2)[2])
    assert sentence is not None
    edited = sentence.group(0).replace(" ", " جدا ", 1)
    article.write_text(text.replace(sentence.group(0), edited, 1), encoding="utf-8")
    return len(edited.split())
