"""The script of an episode: what is said, in which order, with which pauses.

The script is the same whichever engine voices it, so a build that falls back
from one engine to another says exactly the same things: an utterance per
clause (a sentence cut at its commas, each comma followed by the comma pause),
a long clause cut further into pieces of at most `LIMIT` characters. An engine
with a smaller limit per request (Google's 100 characters) plans its own
requests from the script (`Engine.plan`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from nashra.config.settings import Audio
from nashra.core.model import Article, Script, Utterance
from nashra.readers.bylines import is_source
from nashra.text.lexicon import Lexicon
from nashra.text.normalize import normalize
from nashra.text.sentences import UTTERANCE_LIMIT, pack_chunks, split_clauses, split_sentences

BYLINE_PREFIX = "بقلم"
"""Spoken before the author's name: "by (the pen of)"."""
LIMIT = UTTERANCE_LIMIT
"""Longest utterance, in characters of speech (`text.sentences.UTTERANCE_LIMIT`)."""
SOURCE_PREFIX = "المصدر:"
"""Spoken instead before a newspaper or agency: "source:"; no one writes with a paper's pen."""


class _Break(IntEnum):
    """What ends an utterance; a longer break wins where two meet."""

    CHUNK = 0
    CLAUSE = 1
    SENTENCE = 2
    PARAGRAPH = 3
    SECTION = 4


def make_script(
    article: Article,
    audio: Audio,
    *,
    limit: int = LIMIT,
    intro: bool = True,
    lexicon: Lexicon | None = None,
) -> Script:
    """Turn an article into utterances of at most `limit` characters of speech.

    Chapter 0 is the intro (the title, then `بقلم <author>` when the author is
    known, or `المصدر: <source>` when it is a newspaper or agency) together
    with an untitled first section; every titled section is a chapter of its
    own. With `intro=False` the title and byline are not spoken, for reading
    out a bare text. The `lexicon`'s spoken forms replace the written ones
    before normalization.
    """
    writer = _Writer(limit, lexicon or Lexicon())
    if intro:
        writer.say(article.title, _Break.PARAGRAPH, chapter=0, section=-1)
        if article.author:
            prefix = SOURCE_PREFIX if is_source(article.author) else BYLINE_PREFIX
            writer.say(f"{prefix} {article.author}", _Break.PARAGRAPH, chapter=0, section=-1)
    chapters = [article.title]
    for index, section in enumerate(article.sections):
        said = len(writer.pending)
        if section.title is not None or index > 0:
            writer.end(_Break.SECTION)
        if section.title is not None:
            chapters.append(section.title)
            writer.say(section.title, _Break.PARAGRAPH, chapter=len(chapters) - 1, section=index)
        for paragraph in section.paragraphs:
            for sentence in split_sentences(paragraph):
                # With no comma pause a sentence stays whole, and the voice pauses at its commas.
                clauses = split_clauses(sentence) if audio.comma_pause_ms else [sentence]
                for clause in clauses:
                    writer.say(clause, _Break.CLAUSE, chapter=len(chapters) - 1, section=index)
                writer.end(_Break.SENTENCE)
            writer.end(_Break.PARAGRAPH)
        if section.title is not None and len(writer.pending) == said:
            # Nothing in this section could be spoken: a chapter with no audio
            # would only confuse podcast apps.
            chapters.pop()
    pauses = {
        _Break.CHUNK: 0,
        _Break.CLAUSE: audio.comma_pause_ms,
        _Break.SENTENCE: audio.sentence_pause_ms,
        _Break.PARAGRAPH: audio.paragraph_pause_ms,
        _Break.SECTION: audio.section_pause_ms,
    }
    utterances = [
        Utterance(
            speech=item.speech,
            written=item.written,
            pause_after_ms=pauses[item.end] if position < len(writer.pending) - 1 else 0,
            chapter=item.chapter,
            section=item.section,
            aliases=item.aliases,
        )
        for position, item in enumerate(writer.pending)
    ]
    return Script(utterances=tuple(utterances), chapters=tuple(chapters))


@dataclass
class _Pending:
    speech: str
    written: str
    end: _Break
    chapter: int
    section: int
    aliases: tuple[tuple[str, str], ...] = ()


@dataclass
class _Writer:
    limit: int
    lexicon: Lexicon
    pending: list[_Pending] = field(default_factory=list)

    def say(self, sentence: str, end: _Break, *, chapter: int, section: int) -> None:
        """Add one sentence, cut into chunks that are short enough once normalized."""
        chunks = self._fit(sentence, self.limit)
        for position, (written, speech, aliases) in enumerate(chunks):
            brk = end if position == len(chunks) - 1 else _Break.CHUNK
            if not any(char.isalnum() for char in speech):
                # Punctuation alone makes engines either say nothing or read
                # out the symbol's name; keep only the pause it ended with.
                self.end(brk)
                continue
            self.pending.append(_Pending(speech, written, brk, chapter, section, aliases))

    def end(self, brk: _Break) -> None:
        """Make sure the last utterance so far is followed by at least `brk`."""
        if self.pending and self.pending[-1].end < brk:
            self.pending[-1].end = brk

    def _fit(self, text: str, limit: int) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
        # Normalizing can make a chunk longer (90% -> 90 بالمئة); such a chunk
        # is cut again with a limit smaller by the overflow until it fits.
        fitted: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
        for chunk in pack_chunks(text, limit):
            replaced, made = self.lexicon.replacements(chunk)
            speech = normalize(replaced)
            overflow = len(speech) - self.limit
            if overflow <= 0 or limit == 1:
                fitted.append((chunk, speech, _said_as(made, speech)))
            else:
                fitted.extend(self._fit(chunk, max(1, min(limit, len(chunk)) - overflow)))
        return fitted


def _said_as(made: tuple[tuple[str, str], ...], speech: str) -> tuple[tuple[str, str], ...]:
    """The lexicon's replacements `made`, their spoken forms normalized as `speech` has
    them, those `speech` holds in order (a form normalized otherwise in its sentence is
    left out: it is still said, as plain text)."""
    aliases: list[tuple[str, str]] = []
    at = 0
    for written, spoken in made:
        said = normalize(spoken)
        found = speech.find(said, at) if said else -1
        if found >= 0:
            aliases.append((written, said))
            at = found + len(said)
    return tuple(aliases)
