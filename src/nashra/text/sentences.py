"""Sentences and engine-sized chunks of Arabic text.

`split_sentences` decides where the listener hears a sentence pause, and
`split_clauses` where a comma's shorter one.
`pack_chunks` decides how a sentence is cut for an engine with a length limit
(gTTS takes 100 characters per request): as few chunks as possible, cut where a
reader would breathe, never inside a word unless the word alone is too long.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nashra.text.phrases import inside_phrase

SENTENCE_END = ".!?؟…؛"
UTTERANCE_LIMIT = 300
"""Longest utterance, in characters of speech: a sentence longer than this is cut at
clauses, so no clip runs on for much more than twenty seconds without a pause (and
an engine that joins a sentence's comma clauses into one request joins no more)."""
CLOSERS = "»\"”’')"
"""Closing quotes and brackets that belong to the sentence their punctuation ends."""

_BOUNDARY_RE = re.compile(rf"[{re.escape(SENTENCE_END)}]+[{re.escape(CLOSERS)}]*(?=\s)")

# Written abbreviations such as د. (doctor), م. (engineer), أ.د. (professor),
# ص.ب. (P.O. box): one letter, or single letters joined by dots, possibly with
# the conjunction و in front (ود. "and Dr.").
_ABBREVIATION_RE = re.compile(r"^و?\w(?:\.\w)*$")


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph after sentence punctuation followed by whitespace.

    The punctuation (and a closing quote right after it, as in «…؟») stays with
    its sentence. A full stop after an abbreviation or a single letter does not
    end a sentence, and neither does one inside a number (3.5), because it is
    never followed by whitespace there.
    """
    sentences: list[str] = []
    start = 0
    for end in sentence_ends(paragraph):
        sentence = paragraph[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    return [" ".join(sentence.split()) for sentence in sentences]


def sentence_ends(paragraph: str) -> list[int]:
    """Where each sentence of `paragraph` ends, as `split_sentences` cuts it: after its
    punctuation (and closing quote), the last at the paragraph's end. The whitespace
    between two sentences starts the second."""
    ends: list[int] = []
    for match in _BOUNDARY_RE.finditer(paragraph):
        if match.group().startswith(".") and _is_abbreviation(paragraph, match.start()):
            continue
        ends.append(match.end())
    if not ends or ends[-1] < len(paragraph):
        ends.append(len(paragraph))
    return ends


_COMMA_RE = re.compile(r"(?<=[،,])\s+")


def split_clauses(sentence: str) -> list[str]:
    """Split a sentence after each comma (، or ,) followed by whitespace, where a
    newsreader makes a short stop.

    The comma stays with its clause, even one written detached (النفط ، وارتفعت);
    a comma inside a number (1,250) is not followed by whitespace and never cuts.
    """
    return [clause for clause in _COMMA_RE.split(sentence.strip()) if clause]


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("«\"“'(")
    if not word or word[0].isdigit():
        return False
    return _ABBREVIATION_RE.match(word) is not None


# Break quality, lower is better. A break after a clause mark is where a
# reader pauses anyway; one before و ("and") is often a clause start but just
# as often part of a word (وزير, "minister"), so it comes after the clause
# marks; then a plain space, then next to a number, then inside a phrase (a
# name chain, a construct, a preposition and its noun: `phrases.inside_phrase`),
# and a word last.
_CLAUSE, _CONJUNCTION, _SPACE, _AT_NUMBER, _INSIDE_PHRASE, _INSIDE_WORD = 0, 1, 3, 50, 60, 100
_CLAUSE_AFTER = "،,:؛;»)" + SENTENCE_END
_CLAUSE_BEFORE = "«(-–—"
# Tokens that are only trailing punctuation (the corpus has "النفط ، وارتفعت"
# and "90 %") are glued to the word before, so no chunk starts with them.
_TRAILING_ONLY_RE = re.compile(rf"^[{re.escape(_CLAUSE_AFTER + CLOSERS)}%٪]+$")
# A number is said from the words around it (خلال 32 عاما → خلال اثنين وثلاثين
# عاما): a cut right before or after one leaves it to be read without them.
_NUMBER_START_RE = re.compile(r"^[(«\"]?[وف]?[بلك]?\d")
_NUMBER_END_RE = re.compile(r"\d[%٪$]?$")


@dataclass(frozen=True)
class _Token:
    text: str
    glue: str
    """What joins the token to the one before it: a space, or nothing inside a cut word."""
    penalty: int
    """Cost of starting a chunk with this token."""


def pack_chunks(sentence: str, limit: int = 100) -> list[str]:
    """Split `sentence` into the fewest chunks of at most `limit` characters.

    Among the ways to do that with the fewest chunks, the cuts fall at clause
    marks (، , : ؛ ; and around «» and brackets) first, then before a word
    starting with و, then at any space, then next to a number, then inside a
    phrase (a name chain, a construct, after a preposition). A word longer than `limit` is cut into
    pieces; nothing else is. Chunks never start or end with whitespace, and
    joining them with spaces gives back the sentence with its whitespace
    collapsed.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    tokens = _tokens(sentence, limit)
    if not tokens:
        return []
    # Shortest path over token positions: best[j] is the best way to chunk the
    # first j tokens, as (chunks, total penalty, where its last chunk begins).
    # Because chunks come first in the comparison this finds the fewest
    # requests, and among those the best-placed cuts.
    best: list[tuple[int, int, int]] = [(0, 0, 0)]
    for end in range(1, len(tokens) + 1):
        length = 0
        candidate: tuple[int, int, int] | None = None
        for begin in range(end - 1, -1, -1):
            length += len(tokens[begin].text) + (
                len(tokens[begin + 1].glue) if begin + 1 < end else 0
            )
            if length > limit:
                break
            chunks, penalty, _ = best[begin]
            cost = (chunks + 1, penalty + (tokens[begin].penalty if begin else 0), begin)
            if candidate is None or cost[:2] < candidate[:2]:
                candidate = cost
        if candidate is None:  # pragma: no cover - every token is at most `limit` long
            raise RuntimeError(f"token longer than {limit} characters: {tokens[end - 1].text!r}")
        best.append(candidate)
    bounds: list[tuple[int, int]] = []
    end = len(tokens)
    while end > 0:
        begin = best[end][2]
        bounds.append((begin, end))
        end = begin
    return [_join(tokens[begin:end]) for begin, end in reversed(bounds)]


def _join(tokens: list[_Token]) -> str:
    return tokens[0].text + "".join(token.glue + token.text for token in tokens[1:])


def _tokens(sentence: str, limit: int) -> list[_Token]:
    words: list[str] = []
    for word in sentence.split():
        glued = f"{words[-1]} {word}" if words else ""
        if words and _TRAILING_ONLY_RE.match(word) and len(glued) <= limit:
            words[-1] = glued
        else:
            words.append(word)
    tokens: list[_Token] = []
    previous = ""
    for word in words:
        penalty = break_penalty(previous, word)
        for index, piece in enumerate(_cut_word(word, limit)):
            if index == 0:
                tokens.append(_Token(piece, " ", penalty))
            else:
                tokens.append(_Token(piece, "", _INSIDE_WORD))
        previous = word
    return tokens


def break_penalty(previous: str, word: str) -> int:
    """How good a place the space between `previous` and `word` is for a cut (lower is better)."""
    if previous.endswith(tuple(_CLAUSE_AFTER)) or word.startswith(tuple(_CLAUSE_BEFORE)):
        return _CLAUSE
    if inside_phrase(previous, word):
        return _INSIDE_PHRASE
    if _NUMBER_END_RE.search(previous) or _NUMBER_START_RE.match(word):
        return _AT_NUMBER
    if word.startswith("و") and len(word) > 1:
        return _CONJUNCTION
    return _SPACE


def _cut_word(word: str, limit: int) -> list[str]:
    """A word as one piece, or an over-long one in pieces the packer may cut between.

    The pieces of an over-long word are its letters, each with the combining
    marks (harakat) that follow it, so that a cut never strips a letter of its
    vowel. Packing them like words lets the cut fall anywhere, so the word's
    ends share chunks with its neighbours.
    """
    if len(word) <= limit:
        return [word]
    pieces: list[str] = []
    for char in word:
        if pieces and unicodedata.combining(char) and len(pieces[-1]) < limit:
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces
