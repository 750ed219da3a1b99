"""The counted nouns (their gender and plurals) and the words that govern a number,
read from `counted_nouns.toml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from nashra.text.letters import strip_harakat
from nashra.text.number_words import NOT_NOUNS, TANWEEN_ALIF, Gender


def bare(word: str) -> str:
    return strip_harakat(word)


@dataclass(frozen=True)
class Noun:
    """A counted noun: its singular, the gender of the singular, its plurals."""

    singular: str
    gender: Gender
    plurals: tuple[str, ...]


@dataclass(frozen=True)
class NounData:
    nouns: dict[str, Noun]
    plural_of: dict[str, Noun]
    scale: frozenset[str]
    governors: frozenset[str]
    verbs: frozenset[str]
    verb_stems: frozenset[str]
    after_subject: frozenset[str]
    subunits: dict[str, str]
    ranked: frozenset[str]


@cache
def noun_data() -> NounData:
    text = (resources.files("nashra.text") / "counted_nouns.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    nouns: dict[str, Noun] = {}
    plural_of: dict[str, Noun] = {}
    for singular, (gender, *plurals) in raw["nouns"].items():
        if gender not in ("m", "f"):
            raise ValueError(f"counted_nouns.toml: {singular!r} has gender {gender!r}, not m or f")
        noun = Noun(singular, gender, tuple(plurals))
        nouns[singular] = noun
        for plural in plurals:
            plural_of.setdefault(plural, noun)
    return NounData(
        nouns=nouns,
        plural_of=plural_of,
        scale=frozenset(raw["scale"]["words"]),
        governors=frozenset(raw["governors"]["words"]),
        verbs=frozenset(raw["verbs"]["words"]),
        verb_stems=frozenset(raw["verbs"]["stems"]),
        after_subject=frozenset(raw["verbs"]["after_subject"]),
        subunits=dict(raw["subunits"]),
        ranked=frozenset(raw["ranked"]["words"]),
    )


Form = Literal["singular", "accusative", "plural"]


def lookup(word: str) -> tuple[Noun, Form] | None:
    """The counted noun a written word is, and in which form it was written."""
    data = noun_data()
    plain = bare(word)
    if plain in data.nouns:
        return data.nouns[plain], "singular"
    if plain.endswith("ا") and plain[:-1] in data.nouns:
        return data.nouns[plain[:-1]], "accusative"
    if plain in data.plural_of:
        return data.plural_of[plain], "plural"
    return None


def guess_gender(word: str) -> Gender:
    """The gender of a noun that is not in the data, from its ending."""
    plain = bare(word)
    if plain.endswith("ة"):
        return "f"
    # Sound feminine plurals are mostly of nouns in ة (سيارات); those of
    # derived verbal nouns (اجتماعات, انتخابات) are masculine.
    if plain.endswith("ات") and not plain.startswith("ا"):
        return "f"
    return "m"


def count_category(n: int) -> str:
    tail = n % 100
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    if 3 <= tail <= 10:
        return "plural"
    if tail >= 11:
        return "accusative"
    if tail == 0 and n >= 100:
        return "genitive"
    return "as-written"


def may_be_counted(word: str, data: NounData) -> bool:
    """Whether an unknown word after a number may be what it counts.

    Not a particle, not a definite word, and not و before a known word
    (15 وإصابة 33 آخرين: the noun is understood).
    """
    if word in NOT_NOUNS or word.startswith("ال") or not word:
        return False
    if word.startswith(("و", "ف")):
        rest = word[1:]
        if rest.startswith("ال") or rest in data.governors or rest in NOT_NOUNS:
            return False
        if lookup(rest) is not None:
            return False
    return True


def noun_form(noun: Noun, written: str, category: str, construct: bool) -> str:
    """The counted noun as said after a number of `category`."""
    if category == "plural":
        if bare(written) in noun.plurals or not noun.plurals:
            return written
        return noun.plurals[0]
    if category == "accusative":
        if construct or noun.singular.endswith(("ة", "ى", "ا", "و")):  # سنة, يورو
            return noun.singular
        return noun.singular + TANWEEN_ALIF
    if category == "genitive":
        return noun.singular
    return written
