"""What a build gives espeak-ng for a set of articles: each article's script, the
text of each of its chunks as espeak-ng receives it, and each chunk as the
diacritizer vowels it before any respelling. The Arabic benchmarks read their
figures from these; `build` makes them once for a set, so a report of many
figures diacritizes each article once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nashra.config.settings import Audio
from nashra.core.errors import ArticleError
from nashra.core.model import Script
from nashra.engines import create_engine
from nashra.engines.base import Engine
from nashra.engines.espeak import spelling
from nashra.readers import read_article
from nashra.stages.script import make_script
from nashra.text import diacritize


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


@dataclass(frozen=True)
class Built:
    """A set of articles as a build gives them to espeak-ng."""

    paths: list[Path]
    """The articles read; an archive entry with no text to read is left out."""
    scripts: list[Script]
    given: list[list[str]]
    """Per article, what espeak-ng is given for each utterance (`given_texts`)."""
    vowelled: list[list[str]]
    """Per article, each utterance as diacritized (`vowelled_as_built`)."""
    unread: int = 0


@contextmanager
def _vowelled_once() -> Iterator[None]:
    """The diacritizer answers each run of pieces once: it is deterministic, and the
    engine's plan vowels the same runs `vowelled_as_built` does."""
    original = diacritize.diacritize_together
    answers: dict[tuple[str, ...], list[str]] = {}

    def together(pieces: Sequence[str]) -> list[str]:
        key = tuple(pieces)
        if key not in answers:
            answers[key] = original(pieces)
        return list(answers[key])

    diacritize.diacritize_together = together
    try:
        yield
    finally:
        diacritize.diacritize_together = original


def build(paths: Sequence[Path]) -> Built:
    """`paths` read, made into scripts and prepared by the espeak engine as a build does."""
    read: list[Path] = []
    scripts: list[Script] = []
    for path in paths:
        try:
            scripts.append(make_script(read_article(path), Audio()))
        except ArticleError:  # an archive entry with no body: a build reports and skips it
            continue
        read.append(path)
    engine = create_engine("espeak")
    with _vowelled_once():
        vowelled = [vowelled_as_built(script) for script in scripts]
        given = [given_texts(engine, script) for script in scripts]
    return Built(read, scripts, given, vowelled, len(paths) - len(read))
