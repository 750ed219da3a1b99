"""What Piper does with phonemes, as pure functions: long sentences cut into pieces the
model can take, and the words whose phonemes a voice's map would drop."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_WORD_RE = re.compile(r"\S+")
_EDGE_PUNCTUATION = "\"'«»()[]{}.,:;!?،؛؟…-–—"


@dataclass(frozen=True)
class DroppedWord:
    """A word whose phonemes the voice does not know: Piper would skip those sounds."""

    word: str
    phonemes: tuple[str, ...]
    """The word's phonemes that are missing from the voice's map."""


# ------------------------------------------------------------------------- long sentences

MAX_PHONEMES = 200
"""Longest piece of a sentence given to the model at once. A VITS model's memory grows
with the length of what it is given (measured: 490 MB peak for a 200-character
sentence, 880 MB for 500), so longer sentences are cut at clause marks."""

_CLAUSE_MARKS = frozenset(",;:")


def split_phonemes(phonemes: Sequence[str], limit: int) -> list[list[str]]:
    """`phonemes` (one sentence) in pieces of at most `limit`, cut after the last clause
    mark (with the space after it) past a third of the limit, else at a word's end."""
    pieces: list[list[str]] = []
    rest = list(phonemes)
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = 0
        for index in range(len(window) - 1, limit // 3, -1):
            if window[index - 1] in _CLAUSE_MARKS:
                cut = index + (1 if window[index] == " " else 0)
                break
        if not cut:
            spaces = [index for index in range(1, len(window)) if window[index] == " "]
            cut = spaces[-1] + 1 if spaces else limit
        cut = min(cut, limit)
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


# ------------------------------------------------------------------------- phoneme check


def missing_phonemes(phonemes: Iterable[str], id_map: Mapping[str, Sequence[int]]) -> set[str]:
    """The phonemes (Piper's units: one code point each, or a merged cluster) not in `id_map`."""
    return {phoneme for phoneme in phonemes if phoneme not in id_map}


def dropped_words(
    words: Iterable[str],
    phonemize: Any,
    id_map: Mapping[str, Sequence[int]],
) -> list[DroppedWord]:
    """Each distinct word of `words` that has a phoneme missing from `id_map`, in first order.

    `phonemize(word)` gives the word's phoneme sentences, as Piper's phonemizer does.
    """
    seen: set[str] = set()
    dropped: list[DroppedWord] = []
    for raw in words:
        word = raw.strip(_EDGE_PUNCTUATION)
        if not word or word in seen:
            continue
        seen.add(word)
        phonemes = [phoneme for sentence in phonemize(word) for phoneme in sentence]
        missing = missing_phonemes(phonemes, id_map)
        if missing:
            dropped.append(DroppedWord(word, tuple(sorted(missing))))
    return dropped
