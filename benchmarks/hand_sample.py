"""The hand-checked samples of `arabic.py`: words drawn at random, each with what
espeak-ng is given and its phonemes, judged by hand in a TSV; and the check of a
judged TSV against what espeak-ng says now."""

from __future__ import annotations

import csv
import difflib
import random
import re
from pathlib import Path

from nashra.core.model import Script
from nashra.engines.espeak.engine import phonemes

_ARABIC = re.compile("[\u0621-\u064a\u0671]")
_NO_STRESS = {ord(char): None for char in "ˈˌ."}


def ipa_phonemes(word: str) -> list[str]:
    """One word's phonemes, stress marks dropped, language switches left out."""
    ipa = phonemes(word).replace(" ", "_").replace("\n", "_")
    found = [p.translate(_NO_STRESS) for p in ipa.split("_")]
    return [p for p in found if p and not p.startswith("(")]


def sample_rows(
    scripts: list[Script], given: list[list[str]], count: int, seed: int
) -> list[list[str]]:
    """`count` Arabic words drawn at random, with what espeak-ng is given, its IPA, the chunk."""
    slots = [
        (article, position, index)
        for article, script in enumerate(scripts)
        for position, utterance in enumerate(script.utterances)
        for index, token in enumerate(utterance.speech.split())
        if _ARABIC.search(token)
    ]
    chosen = sorted(random.Random(seed).sample(slots, count))
    rows = []
    for article, position, index in chosen:
        speech = scripts[article].utterances[position].speech
        said = dict(aligned(speech.split(), given[article][position].split()))
        spoken = said.get(index, "?")
        ipa = "_".join(ipa_phonemes(_core(spoken)))
        rows.append([speech.split()[index], spoken, ipa, "", "", speech])
    return rows


def judged_sample(
    path: Path, scripts: list[Script], given: list[list[str]]
) -> tuple[int, int, int, int]:
    """(rows, judged wrong, judged wrong as nashra read them before its espeak-ng
    respelling, rows espeak-ng now reads differently from when judged) of `path`."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    wrong = sum(1 for row in rows if row["judgement"] == "error")
    before = sum(1 for row in rows if row.get("judgement_before") == "error")
    said = [
        (u.speech, text)
        for script, texts in zip(scripts, given, strict=True)
        for u, text in zip(script.utterances, texts, strict=True)
    ]
    changed = sum(row["ipa"] not in readings(row, said) for row in rows)
    return len(rows), wrong, before, changed


def readings(row: dict[str, str], said: list[tuple[str, str]]) -> set[str]:
    """The IPA espeak-ng now gives the row's word in the utterance that holds the
    row's chunk (or, where chunks have since been cut otherwise, shares the most of
    its words with it); any of the word's readings there if it stands more than once.
    A wrong guess of the utterance can only make a row look changed, never unchanged."""
    chunk = row["chunk"].split()
    best, most = ("", ""), 0
    for speech, text in said:
        words = speech.split()
        if row["word"] not in words:
            continue
        shared = len(set(chunk) & set(words))
        if shared > most:
            best, most = (speech, text), shared
    if not most:
        return set()
    written = best[0].split()
    return {
        "_".join(ipa_phonemes(_core(spoken)))
        for index, spoken in aligned(written, best[1].split())
        if written[index] == row["word"]
    }


def _core(word: str) -> str:
    return re.sub("[^\u0621-\u0652\u0670\u0671 ]", "", word).strip()


def _key(word: str) -> str:
    return re.sub("[\u064b-\u0652\u0670\u0640]", "", _core(word).replace("ٱ", "ا"))


_COMPOUND = re.compile("^([وفبل]?عبد)(ال.{2,})$")


def aligned(written: list[str], given: list[str]) -> list[tuple[int, str]]:
    """(index, what espeak-ng is given) of each written word, where the engine's
    preparation may split or join words (عبدالعزيز said as two, the given words
    then joined by a space): one to one where the counts agree, else by matching
    runs of the bare letters."""
    if len(written) == len(given):
        return list(enumerate(given))
    # A compound name written as one word counts as the two it is said as.
    tokens: list[tuple[int, str]] = []
    for index, word in enumerate(written):
        parts = _COMPOUND.match(_key(word))
        tokens += [(index, part) for part in (parts.groups() if parts else (_key(word),))]
    found: dict[int, list[str]] = {}
    matcher = difflib.SequenceMatcher(None, [key for _, key in tokens], [_key(g) for g in given])
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for (index, _), said in zip(tokens[i1:i2], given[j1:j2], strict=True):
                found.setdefault(index, []).append(said)
    return [
        (index, " ".join(said))
        for index, said in found.items()
        if len(said) == sum(1 for at, _ in tokens if at == index)
    ]
