"""`nashra diacritize`: written text with the short vowels the offline voices get.

Each line is diacritized sentence by sentence, as a build gives the diacritizer
each sentence of an article (`diacritize.diacritize_words`), and comes back with
its letters, spaces and punctuation as written: only marks are added. Where the
built-in news lexicon writes a word otherwise (عبدالعزيز as عبد العزيز), the word
says so (`Word.respelled`). What one engine alone needs (espeak-ng's respellings)
is not applied: that happens later, inside the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nashra.text.diacritize import Word, diacritize_words
from nashra.text.letters import LETTER_RE, MARKS_RE
from nashra.text.sentences import sentence_ends

MAX_INPUT_BYTES = 16 * 2**20
"""The largest input `nashra diacritize` takes (about 1.5 million words, minutes of work)."""
MAX_PIECE = 2000
"""The most characters given to the model at once: a longer sentence (or a line with no
sentence punctuation) is diacritized in pieces cut at spaces, so that memory stays
bounded whatever the input."""

_SPACE_RE = re.compile(r"\s")


@dataclass(frozen=True)
class Line:
    """One input line, diacritized."""

    number: int
    text: str
    words: tuple[Word, ...]


def diacritize_lines(text: str) -> Iterator[Line]:
    """Each line of `text` (split at line feeds; a carriage return before one is
    dropped) diacritized, sentence by sentence; a final line feed ends the last line
    rather than starting an empty one."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        yield diacritize_line(line.removesuffix("\r"), number)


def diacritize_line(line: str, number: int = 1) -> Line:
    """`line` with short vowels, its sentences diacritized one by one."""
    pieces: list[str] = []
    words: list[Word] = []
    start = 0
    for end in sentence_ends(line):
        for piece in _pieces(line[start:end]):
            core = piece.strip()
            if not LETTER_RE.search(core):
                pieces.append(piece)
                continue
            lead = piece[: len(piece) - len(piece.lstrip())]
            vowelled = diacritize_words(core)
            pieces.append(lead + vowelled.text + piece[len(lead) + len(core) :])
            words += vowelled.words
        start = end
    return Line(number, "".join(pieces), tuple(words))


def _pieces(sentence: str) -> list[str]:
    """`sentence` cut into pieces of at most `MAX_PIECE` characters, at the last
    whitespace before the limit (or, in a run without any, before a letter, never
    between a letter and its marks)."""
    pieces: list[str] = []
    while len(sentence) > MAX_PIECE:
        cut = max(
            (m.start() for m in _SPACE_RE.finditer(sentence, 1, MAX_PIECE)), default=MAX_PIECE
        )
        while cut > 1 and MARKS_RE.match(sentence[cut]):
            cut -= 1
        pieces.append(sentence[:cut])
        sentence = sentence[cut:]
    return [*pieces, sentence]


def as_json(line: Line) -> dict[str, object]:
    """`line` as `nashra diacritize --json` prints it: per word its letters, each with
    its marks and whose they are (the writer's, the lexicon's, the model's or a rule's)."""
    return {
        "line": line.number,
        "text": line.text,
        "words": [
            {
                "written": word.written,
                "vowelled": word.vowelled,
                "respelled": word.respelled,
                "confidence": word.confidence,
                "letters": [
                    {"letter": letter.char, "marks": letter.marks, "source": letter.source or None}
                    | ({"rule": letter.rule} if letter.rule else {})
                    for letter in word.letters
                ],
            }
            for word in line.words
        ],
    }
