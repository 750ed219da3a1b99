"""Short vowels for the offline voice: the one adapter for `text2tashkeel`.

espeak-ng reads undiacritized Arabic letter by letter where its dictionary has
no entry, so about one word in five comes out as a consonant cluster
(يقتصر → jqts̪r). `text2tashkeel` puts the short vowels back with small ONNX
models bundled in its wheel: no network, about 0.2 s per article.

The model loads once per process, lazily, so engines pickled into worker
processes load it there on first use. Only espeak-ng gets diacritized text;
Google diacritizes for itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import threading
import unicodedata
from collections.abc import Sequence
from importlib import metadata
from typing import Protocol

from nashra.core.errors import EngineUnavailable
from nashra.text.letters import (
    ALEF,
    FATHA,
    HAMZA_ABOVE_ALEF,
    HAMZA_BELOW_ALEF,
    HARAKAT,
    HARAKAT_RE,
    KASRA,
    LETTER_RE,
    LETTERS,
    SHADDA,
    SUKUN,
    VOWELS,
    WORD_RE,
    marked_letters,
)
from nashra.text.lexicon import HAMZAS, NEWS_LEXICON, data_digest
from nashra.text.lexicon import vowel_news_words as _lexicon_words
from nashra.text.names import NAMES, names_without_tanween
from nashra.text.verbs import VERBS, past_form_ii, verbs_in_context

log = logging.getLogger(__name__)

MODEL = "rawi-ensemble"
"""text2tashkeel's default and most accurate bundled model (4.9 MB, int8)."""

# Harakat that Unicode orders before the shadda (fathatan..kasra, and sukun).
_VOWEL_THEN_SHADDA_RE = re.compile(f"([{VOWELS}{SUKUN}]){SHADDA}")
# A shadda on a sun letter right after the article al-; lam is left alone (الَّذِي
# needs its shadda to be read ʔallaðiː).
_ARTICLE_SHADDA_RE = re.compile(f"(?<![{LETTERS}])([وفبكل]?ال[تثدذرزسشصضطظن]){SHADDA}")
# Hamza under alef is always read with i; the model sometimes leaves it bare.
_BARE_HAMZA_BELOW_RE = re.compile(f"{HAMZA_BELOW_ALEF}(?![{HARAKAT}])")


# أنّ or إنّ written with a bare alif, which the model leaves unvowelled (حَيْثُ انَّ): a
# clitic, then the alif before نّ.
_BARE_ANNA_RE = re.compile(f"(?<![{LETTERS}{HARAKAT}])([وفبلك]?[{VOWELS}]?){ALEF}(?=ن{SHADDA})")
# After these (and at a clause's start) the particle is إنّ: a verb of saying, حيث.
_INNA_AFTER = frozenset(
    ("قال", "قالت", "وقال", "وقالت", "يقول", "تقول", "ويقول", "وتقول", "حيث", "وحيث")
)
_CLAUSE_END_RE = re.compile(r"[.،,؛;:؟?!«»\"()\-–]\s*$|^\s*$")


class _Model(Protocol):
    def diacritize(self, text: str) -> str: ...


_LOCK = threading.Lock()
_model: _Model | None = None


def shadda_first(text: str) -> str:
    """Put each shadda before the vowel written on the same letter.

    Unicode's canonical order (and so text2tashkeel's output) is fatha then
    shadda; espeak-ng then drops the vowel: الَّذِي with fatha first reads allðiː,
    with the shadda first ʔallaðiː.
    """
    return _VOWEL_THEN_SHADDA_RE.sub(SHADDA + r"\1", text)


def article_shadda(text: str) -> str:
    """Drop the shadda the model writes on a sun letter after al- (السَّعودية).

    espeak-ng assimilates the article's lam to a sun letter by itself, so with
    the shadda too it says the letter three times over (ʔasssaʕuːdiːja).
    """
    return _ARTICLE_SHADDA_RE.sub(r"\1", text)


def hamza_below_kasra(text: str) -> str:
    """Give a bare إ its kasra: espeak-ng otherwise reads إجمالي as ʔdʒmaːliː."""
    return _BARE_HAMZA_BELOW_RE.sub(HAMZA_BELOW_ALEF + KASRA, text)


def bare_anna(text: str) -> str:
    """انَّ whose alif the model left bare written with its hamza, which espeak-ng
    otherwise reads as a vowel (anna): إِنَّ at a clause's start, after a verb of
    saying or حيث, and after ف (فإنّ); أَنَّ elsewhere (يرى انَّ، لانَّ، بانَّ)."""

    def hamza(match: re.Match[str]) -> str:
        clitic = match[1]
        before = text[: match.start()]
        words = WORD_RE.findall(before[-40:])
        previous = strip_harakat(words[-1]) if words else ""
        initial = not clitic and (previous in _INNA_AFTER or _CLAUSE_END_RE.search(before))
        if clitic.startswith("ف") or initial:
            return clitic + HAMZA_BELOW_ALEF + KASRA
        return clitic + HAMZA_ABOVE_ALEF + FATHA

    return _BARE_ANNA_RE.sub(hamza, text)


def strip_harakat(text: str) -> str:
    """Remove short vowels, tanween, sukun, shadda and the dagger alef."""
    return HARAKAT_RE.sub("", text)


def version() -> str:
    """What diacritizes, for the espeak engine's voice id (so the clip cache keys on it):
    the model and the data its input and output are mended with."""
    try:
        model = f"text2tashkeel {metadata.version('text2tashkeel')} {MODEL}"
    except metadata.PackageNotFoundError:
        return "none"
    return f"{model} news-lexicon {data_digest(NEWS_LEXICON, HAMZAS, NAMES, VERBS)}"


def vowel_news_words(text: str) -> str:
    """What the model is given for `text`: the listed verbs whose context settles them
    (`verbs.verbs_in_context`), the hamzas writers leave out, the news lexicon's vowels
    and compound names (`lexicon.vowel_news_words`). Looked up at each call, so that
    benchmarks/news_words.py can hear the model alone."""
    return _lexicon_words(verbs_in_context(text))


def mend_model(vowelled: str) -> str:
    """The model's vowels that grammar rules out, mended: a listed name's tanween
    (`names.names_without_tanween`), a past form II verb's impossible vowels
    (`verbs.past_form_ii`), the bare alif of انَّ (`bare_anna`). Takes and returns
    text with the shadda first."""
    return bare_anna(past_form_ii(names_without_tanween(vowelled)))


def _loaded() -> _Model:
    global _model
    with _LOCK:
        if _model is None:
            try:
                from text2tashkeel import Diacritizer
            except ImportError as exc:
                raise EngineUnavailable(
                    "text2tashkeel is not installed; espeak-ng needs it to read Arabic vowels"
                    " (pip install text2tashkeel)"
                ) from exc
            if multiprocessing.parent_process() is not None:
                # In a worker of a process pool the pool is the parallelism: one
                # onnxruntime thread each, or two workers fight over the cores
                # (measured: 12.2 s instead of 5 s to voice the corpus on 2 cores).
                os.environ.setdefault("TT_ORT_THREADS", "1")
            _model = Diacritizer(MODEL)
            log.debug("text2tashkeel %s loaded", MODEL)
        return _model


def diacritize(text: str) -> str:
    """`text` with short vowels added, shadda first, and everything else as it was.

    Text without Arabic letters is returned unchanged without loading the model.
    """
    if not LETTER_RE.search(text):
        return text
    text = vowel_news_words(text)  # the model gets these wrong; the writer's marks win below
    model = _loaded()
    with _LOCK:  # onnxruntime sessions are thread-safe, but the lazy backend build is not
        predicted = unicodedata.normalize("NFC", model.diacritize(text))
    merged = keep_written_marks(text, predicted)
    if merged is None:
        log.warning("text2tashkeel changed the length of %r; reading it undiacritized", text[:40])
        return text
    return hamza_below_kasra(article_shadda(mend_model(shadda_first(merged))))


def keep_written_marks(written: str, predicted: str) -> str | None:
    """The writer's letters with the model's marks, or None if the two do not line up.

    The model also respells hamzas (إثر → أثر, "after" → "effect"; بيئة → بيية),
    so the letters are always the writer's. It drops the marks it is given
    (كبّد comes back كَبَدُ), yet a mark a writer bothered to add is the one thing
    known to be right: those win, and a writer's lone shadda keeps the model's vowel.
    """
    ours = marked_letters(unicodedata.normalize("NFC", written))
    theirs = marked_letters(predicted)
    if len(ours) != len(theirs):
        return None
    merged: list[str] = []
    for (char, mine), (_, model) in zip(ours, theirs, strict=True):
        shadda = SHADDA if SHADDA in mine + model else ""
        vowels = mine.replace(SHADDA, "") or model.replace(SHADDA, "")
        merged.append(char + shadda + vowels)
    return "".join(merged)


def diacritize_together(pieces: Sequence[str]) -> list[str]:
    """Each of `pieces` diacritized as part of the whole they make when joined by spaces.

    The model vowels a word by its context: the case ending of a chunk's first
    word depends on the words before it (خلال | السنوات: genitive, -i), so the
    chunks of a sentence are diacritized as one text and then cut where they
    were. If the model's answer does not line up with the text, each piece is
    diacritized alone.
    """
    pieces = [unicodedata.normalize("NFC", piece) for piece in pieces]
    if len(pieces) < 2:
        return [diacritize(piece) for piece in pieces]
    whole = diacritize(" ".join(pieces))
    cut = _cut(whole, [len(strip_harakat(piece)) for piece in pieces])
    if cut is None or [strip_harakat(part) for part in cut] != [strip_harakat(p) for p in pieces]:
        return [diacritize(piece) for piece in pieces]
    return cut


def _cut(vowelled: str, lengths: list[int]) -> list[str] | None:
    """`vowelled` cut into pieces of `lengths` letters (marks go with their letter),
    dropping the one space between pieces; None if it does not add up."""
    parts: list[str] = []
    position = 0
    for index, length in enumerate(lengths):
        start = position
        letters = 0
        while letters < length and position < len(vowelled):
            position += 1
            letters += 1
            while position < len(vowelled) and HARAKAT_RE.match(vowelled[position]):
                position += 1
        if letters < length:
            return None
        parts.append(vowelled[start:position])
        if index < len(lengths) - 1:
            if vowelled[position : position + 1] != " ":
                return None
            position += 1
    return parts if position == len(vowelled) else None
