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

import dataclasses
import logging
import multiprocessing
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    KASRATAN,
    LETTER_RE,
    LETTERS,
    SHADDA,
    SUKUN,
    VOWELS,
    WAW_HAMZA,
    WORD_RE,
    marked_letters,
)
from nashra.text.lexicon import HAMZAS, NEWS_LEXICON, data_digest
from nashra.text.lexicon import vowel_news_words as _lexicon_words
from nashra.text.names import NAMES, names_without_tanween
from nashra.text.verbs import VERBS, past_form_ii, verbs_in_context

log = logging.getLogger(__name__)

MODEL = "rawi-v3-int8"
"""The bundled text2tashkeel model that errs least here (2.5 MB; benchmarks/RESULTS.md)."""

# Harakat that Unicode orders before the shadda (fathatan..kasra, and sukun).
_VOWEL_THEN_SHADDA_RE = re.compile(f"([{VOWELS}{SUKUN}]){SHADDA}")
# Hamza under alef is always read with i; the model leaves it bare, or writes the vowel of
# the أ it took it for.
_HAMZA_BELOW_RE = re.compile(f"{HAMZA_BELOW_ALEF}[{HARAKAT}]*")
# A kasra on أ or ؤ before another letter: that hamza would sit on ئ (or إ).
_KASRA_ON_HAMZA_RE = re.compile(
    f"([{HAMZA_ABOVE_ALEF}{WAW_HAMZA}]{SHADDA}?)[{KASRA}{KASRATAN}](?=[{LETTERS}])"
)
# أ with no vowel at a word's start (after و ف, ب ل ك س, the article): the model took it
# for a bare alif. Inside a word a bare أ may be a sukun (رَأْي), and is left alone.
_MARKS = f"[{HARAKAT}]*"
_BARE_INITIAL_HAMZA_RE = re.compile(
    f"((?<![{LETTERS}{HARAKAT}])(?:[وف]{_MARKS})?(?:[بلكس]{_MARKS})?(?:ال{_MARKS}|ل{_MARKS})?)"
    f"{HAMZA_ABOVE_ALEF}(?![{HARAKAT}])(?=[{LETTERS}])"
)


@dataclass(frozen=True)
class Letter:
    """One letter of diacritized text and the marks it carries."""

    char: str
    marks: str
    source: str = ""
    """Whose marks they are: "writer", "lexicon" (the built-in news lexicon), "model",
    "rule" (then `rule` names it), "writer+model" (a writer's lone shadda, the model's
    vowel); "" for a letter left bare."""
    rule: str = ""


@dataclass(frozen=True)
class Word:
    """One written word and the letters it was diacritized into."""

    written: str
    letters: tuple[Letter, ...]
    confidence: float | None = None
    """How sure the model is of its marks, where it says (the bundled model does not)."""

    @property
    def vowelled(self) -> str:
        return "".join(letter.char + letter.marks for letter in self.letters)

    @property
    def respelled(self) -> bool:
        """Whether the letters differ from the writer's (the news lexicon writes some
        words otherwise: عبدالعزيز as عبد العزيز)."""
        written = unicodedata.normalize("NFC", self.written)
        return strip_harakat(self.vowelled) != strip_harakat(written)


@dataclass(frozen=True)
class Vowelled:
    """Diacritized text, and word by word where its marks came from."""

    text: str
    words: tuple[Word, ...]


# أنّ or إنّ written with a bare alif, which the model leaves unvowelled (حَيْثُ انَّ): a
# clitic, then the alif before نّ.
_BARE_ANNA_RE = re.compile(f"(?<![{LETTERS}{HARAKAT}])([وفبلك]?[{VOWELS}]?){ALEF}(?=ن{SHADDA})")
# After these (and at a clause's start) the particle is إنّ: a verb of saying, حيث.
_INNA_AFTER = frozenset(
    ("قال", "قالت", "وقال", "وقالت", "يقول", "تقول", "ويقول", "وتقول", "حيث", "وحيث")
)
_INNAMA_RE = re.compile(f"ن{SHADDA}{FATHA}?م{FATHA}?{ALEF}(?![{LETTERS}])")
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


def hamza_below_kasra(text: str) -> str:
    """إ always carries a kasra: إجْمَالِي, إَثْرَ → إِجْمَالِي, إِثْرَ.

    The model reads the letters without their hamzas, so it vowels إثر as the أَثَر it
    takes it for; the writer's hamza says which word it is.
    """
    return _HAMZA_BELOW_RE.sub(HAMZA_BELOW_ALEF + KASRA, text)


def hamza_above_vowel(text: str) -> str:
    """A vowel أ and ؤ can carry, before another letter: أِنَّ → أَنَّ, الْأِفْرِيقِيَّة →
    الْأَفْرِيقِيَّة, وَأعْتَقِدُ → وَأَعْتَقِدُ.

    A hamza with a kasra sits on إ or ئ, so on أ or ؤ the model's kasra is the vowel
    of the word it took this one for (إِنَّ for أَنَّ): the fatha, far the commonest
    vowel there, is written instead. A bare أ at a word's start (the model took it
    for an alif) gets one too: a word never starts without a vowel. At a word's end
    the seat follows the vowel before it, and the case ending is left as the model
    wrote it (مَبْدَأٍ).
    """
    text = _KASRA_ON_HAMZA_RE.sub(r"\1" + FATHA, text)
    return _BARE_INITIAL_HAMZA_RE.sub(r"\1" + HAMZA_ABOVE_ALEF + FATHA, text)


def bare_anna(text: str) -> str:
    """انَّ whose alif the model left bare written with its hamza, which espeak-ng
    otherwise reads as a vowel (anna): إِنَّ at a clause's start (after و too), after a
    verb of saying or حيث, after ف (فإنّ), and إِنَّمَا wherever it stands; أَنَّ elsewhere
    (يرى انَّ، لانَّ، بانَّ)."""

    def hamza(match: re.Match[str]) -> str:
        clitic = match[1]
        before = text[: match.start()]
        words = WORD_RE.findall(before[-40:])
        previous = strip_harakat(words[-1]) if words else ""
        starts = previous in _INNA_AFTER or _CLAUSE_END_RE.search(before)
        initial = strip_harakat(clitic) in ("", "و") and starts
        innama = _INNAMA_RE.match(text, match.end())
        if clitic.startswith("ف") or initial or innama:
            return clitic + HAMZA_BELOW_ALEF + KASRA
        return clitic + HAMZA_ABOVE_ALEF + FATHA

    return _BARE_ANNA_RE.sub(hamza, text)


RULES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("shadda first", shadda_first),
    ("name without tanween", names_without_tanween),
    ("past form II", past_form_ii),
    ("hamza of anna", bare_anna),
    ("hamza below kasra", hamza_below_kasra),
    ("hamza above vowel", hamza_above_vowel),
)
"""What is done to the model's answer, in order, by name (the name `--json` shows): the
vowels grammar rules out mended (a listed name's tanween, a past form II verb's
impossible vowels, the bare alif of انَّ, a hamza's vowel its seat cannot carry)."""


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


def vowel_news_words(word: str) -> str:
    """A word as the model is given it: the hamza writers leave out, the news lexicon's
    vowels and compound names (`lexicon.vowel_news_words`). Looked up at each call, as is
    `settle_verbs`, so that benchmarks/news_words.py can hear the model alone."""
    return _lexicon_words(word)


def settle_verbs(text: str) -> str:
    """`text` with the listed verbs whose context settles them vowelled
    (`verbs.verbs_in_context`): وقع الرئيس → وقّع الرئيس."""
    return verbs_in_context(text)


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
    return diacritize_words(text).text


def diacritize_words(text: str) -> Vowelled:
    """`text` diacritized as `diacritize` does it, with where each word's marks came from.

    A word's marks are the writer's; on a word with none, the built-in news lexicon's
    (`vowel_news_words`); on the letters still bare, the model's; then `RULES` mend
    what the model gets wrong.
    """
    text = unicodedata.normalize("NFC", text)
    if not LETTER_RE.search(text):
        return Vowelled(text, ())
    lexed, spans = _with_news_words(text)
    ours = marked_letters(lexed)
    owners = _owners(lexed, spans)
    given = ["lexicon" if owner >= 0 and spans[owner].vowelled else "writer" for owner in owners]
    theirs = marked_letters(_predict(lexed))
    if len(ours) == len(theirs):
        letters = [_merged(*both) for both in zip(ours, theirs, given, strict=True)]
        for name, rule in RULES:
            letters = _traced(letters, rule, name)
    else:
        log.warning("text2tashkeel changed the length of %r; reading it undiacritized", text[:40])
        letters = [
            Letter(char, marks, source if marks else "")
            for (char, marks), source in zip(ours, given, strict=True)
        ]
    words: list[list[Letter]] = [[] for _ in spans]
    for letter, owner in zip(letters, owners, strict=True):
        if owner >= 0:
            words[owner].append(letter)
    return Vowelled(
        "".join(letter.char + letter.marks for letter in letters),
        tuple(Word(span.written, tuple(word)) for span, word in zip(spans, words, strict=True)),
    )


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    written: str
    vowelled: bool
    """Whether the news lexicon gave the word its marks."""


def _with_news_words(text: str) -> tuple[str, list[_Span]]:
    """`text` with the verbs its context settles (`settle_verbs`) and the news lexicon's
    vowels (`vowel_news_words`), applied word by word, and where each written word is in
    the result."""
    pieces: list[str] = []
    spans: list[_Span] = []
    length = last = 0
    written = list(WORD_RE.finditer(text))
    settled = WORD_RE.findall(settle_verbs(text))  # verbs only gain marks: word for word
    if len(settled) != len(written):
        settled = [match.group() for match in written]
    for match, word in zip(written, settled, strict=True):
        pieces.append(text[last : match.start()])
        length += match.start() - last
        spoken = vowel_news_words(word)
        pieces.append(spoken)
        spans.append(_Span(length, length + len(spoken), match.group(), spoken != match.group()))
        length += len(spoken)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), spans


def _owners(text: str, spans: list[_Span]) -> list[int]:
    """For each letter of `text` (as `_letters_with_marks` counts them), the index in
    `spans` of the word it is part of, or -1."""
    owners: list[int] = []
    word = 0
    for index, char in enumerate(text):
        if owners and HARAKAT_RE.match(char):
            continue
        while word < len(spans) and spans[word].end <= index:
            word += 1
        owners.append(word if word < len(spans) and spans[word].start <= index else -1)
    return owners


def _predict(text: str) -> str:
    """The model's vowelling of `text` (NFC), with a letter for each of the text's.

    The model drops symbols (emoji, ©): each goes to it as a space and comes back as
    it was, so that its answer still lines up with the text.
    """
    symbols = {i: char for i, char in enumerate(text) if unicodedata.category(char) == "So"}
    if symbols:
        text = "".join(" " if i in symbols else char for i, char in enumerate(text))
    model = _loaded()
    with _LOCK:  # onnxruntime sessions are thread-safe, but the lazy backend build is not
        predicted = unicodedata.normalize("NFC", model.diacritize(text))
    if not symbols:
        return predicted
    chars = list(predicted)
    position = -1
    for index, char in enumerate(chars):
        if not HARAKAT_RE.match(char):
            position += 1
            chars[index] = symbols.get(position, char)
    return "".join(chars)


def _merged(mine: tuple[str, str], model: tuple[str, str], given: str) -> Letter:
    """A letter with the vowels it was given (`given` says whose) where it has any, else
    the model's; a shadda from either side is kept, and a given lone shadda keeps the
    model's vowel."""
    char, marks = mine
    shadda = SHADDA if SHADDA in marks + model[1] else ""
    vowels = marks.replace(SHADDA, "")
    if vowels:
        return Letter(char, shadda + vowels, given)
    vowels = model[1].replace(SHADDA, "")
    if SHADDA in marks:
        return Letter(char, shadda + vowels, f"{given}+model" if vowels else given)
    return Letter(char, shadda + vowels, "model" if shadda + vowels else "")


def _traced(letters: list[Letter], rule: Callable[[str], str], name: str) -> list[Letter]:
    """`letters` after `rule`; a letter whose marks it changed (not just reordered) is
    the rule's. Rules add, drop or reorder marks, never letters."""
    before = "".join(letter.char + letter.marks for letter in letters)
    after = rule(before)
    if after == before:
        return letters
    pairs = marked_letters(after)
    return [
        dataclasses.replace(letter, marks=marks)
        if sorted(marks) == sorted(letter.marks)
        else Letter(char, marks, "rule", name)
        for letter, (char, marks) in zip(letters, pairs, strict=True)
    ]


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
    merged = (_merged(mine, model, "writer") for mine, model in zip(ours, theirs, strict=True))
    return "".join(letter.char + letter.marks for letter in merged)


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
