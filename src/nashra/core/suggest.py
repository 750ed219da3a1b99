"""“Did you mean …?” for a name that is not one of the names a setting accepts."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` most likely misspells (case aside), or None when none is close."""
    by_folded = {choice.casefold(): choice for choice in choices}
    folded = word.casefold().strip()
    if folded in by_folded:
        return by_folded[folded]
    match = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.6)
    return by_folded[match[0]] if match else None


def did_you_mean(word: str, choices: Iterable[str], *, quote: str = "`") -> str:
    """`; did you mean `X`?` when a choice is close to `word`, else nothing."""
    match = closest(word, choices)
    return f"; did you mean {quote}{match}{quote}?" if match is not None else ""
