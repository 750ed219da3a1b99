"""Figure 4a's bound (benchmarks/gtts_figures.py): the fewest requests any packing
can make is counted by the benchmark itself, so it must really be the fewest."""

from __future__ import annotations

import importlib
import sys
from functools import cache
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import REPO


@pytest.fixture(scope="module")
def figures() -> ModuleType:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        return importlib.import_module("gtts_figures")
    finally:
        sys.path.remove(str(REPO / "benchmarks"))


def _fewest_by_search(atoms: list[tuple[str, str]], limit: int) -> int:
    """Every way to cut `atoms` into requests, the fewest that fit."""

    @cache
    def fewest(begin: int) -> int:
        if begin == len(atoms):
            return 0
        best = len(atoms) + 1
        for end in range(begin + 1, len(atoms) + 1):
            inside = [atom[0] for atom in atoms[begin : end - 1]]
            if len(" ".join([*inside, atoms[end - 1][1]])) <= limit:
                best = min(best, 1 + fewest(end))
        return best

    return fewest(0)


_ATOM = st.text("ab", min_size=1, max_size=9).flatmap(
    lambda word: st.sampled_from([(word, word), (f"{word}.", word)])
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ATOM, min_size=1, max_size=12), st.integers(min_value=10, max_value=30))
def test_filling_each_request_is_the_fewest(
    figures: ModuleType, atoms: list[tuple[str, str]], limit: int
) -> None:
    assert figures.fewest_requests(atoms, limit) == _fewest_by_search(atoms, limit)


def test_a_number_said_in_words_is_one_atom_and_a_title_gets_its_stop(
    figures: ModuleType,
) -> None:
    atoms = figures._atoms("في عام ألفين وخمسة عشر", "في عام 2015", pause=True)
    assert atoms == [("في", "في"), ("عام", "عام"), ("ألفين وخمسة عشر.", "ألفين وخمسة عشر")]
    assert figures._atoms("قال الوزير،", "قال الوزير،", pause=True)[-1] == ("الوزير،", "الوزير،")
