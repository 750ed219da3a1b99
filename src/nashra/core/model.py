"""Plain data that flows between the stages of a build: readers, the script maker,
the engines, the assembler and the writers. Every type here is a frozen dataclass
of plain values, so it pickles to another process or machine unchanged; with slots,
not a dictionary per object, because a backfill holds tens of thousands of them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

AudioFormat = Literal["wav", "mp3"]

MAX_VOICE_NAME = 100
_VOICE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+:-]*")


def voice_name_problem(voice: str) -> str:
    """Why `voice` cannot name an article's voice ("" when it can): a voice's name is
    letters, digits and `_ . + : -`, never a path (a Piper voice outside the voice folder,
    `../x`, `/tmp/x.onnx`) and never a whole text."""
    if len(voice) > MAX_VOICE_NAME:
        return f"is {len(voice)} characters long; a voice's name has at most {MAX_VOICE_NAME}"
    if not _VOICE_NAME_RE.fullmatch(voice) or voice.lower().endswith(".onnx"):
        return (
            f"{voice[:40]!r} is not a voice's name (letters, digits and _ . + : - only, "
            "never a path or a file)"
        )
    return ""


@dataclass(frozen=True, slots=True)
class Section:
    """A run of paragraphs under one heading; the first section may have no title."""

    title: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """What a reader makes of one file in `articles/`."""

    source: Path
    slug: str
    title: str
    sections: tuple[Section, ...]
    author: str | None = None
    date: datetime | None = None
    url: str | None = None
    image: str | None = None
    description: str | None = None
    dropped: tuple[str, ...] = field(default=())
    """Lines of the file that were recognised as scraping debris and not read."""
    voice: str | None = None
    """The voice that reads it in place of the engine's (front matter `voice`), by name."""

    @property
    def lead(self) -> str:
        """The description for the feed: the front matter's, else the first paragraph."""
        if self.description:
            return self.description
        for section in self.sections:
            for paragraph in section.paragraphs:
                return paragraph
        return self.title


@dataclass(frozen=True, slots=True)
class Utterance:
    """One piece of speech: what the engine is given and the written text it came from."""

    speech: str
    written: str
    pause_after_ms: int
    chapter: int
    """Index into `Script.chapters` of the chapter this utterance belongs to."""
    section: int = -1
    """Index into `Article.sections` of the text it reads; -1 for the intro."""
    aliases: tuple[tuple[str, str], ...] = ()
    """The project lexicon's replacements in `speech`, in order: (written, spoken), the
    spoken form as `speech` has it. SSML engines say them as `<sub alias>`."""


@dataclass(frozen=True, slots=True)
class Script:
    """Everything an episode says, in order, with the pauses between."""

    utterances: tuple[Utterance, ...]
    chapters: tuple[str, ...]
    """Chapter titles: the intro first, then one per section."""

    @property
    def characters(self) -> int:
        return sum(len(u.speech) for u in self.utterances)


@dataclass(frozen=True, slots=True)
class WordTime:
    """When one word is said, as the engine that said it reports it."""

    start: float
    end: float
    """Seconds from the start of the clip (or, once assembled, of the episode)."""
    text: str
    """The word as written in the text the engine was given."""


@dataclass(frozen=True, slots=True)
class Clip:
    """Encoded audio for one chunk of text, exactly as the engine made it."""

    data: bytes
    format: AudioFormat
    words: tuple[WordTime, ...] = ()
    """When each word is said, for engines that report it; empty for the others."""


@dataclass(frozen=True, slots=True)
class Chapter:
    start: float
    """Seconds from the start of the episode."""
    title: str


@dataclass(frozen=True, slots=True)
class Cue:
    start: float
    end: float
    """Seconds; the end is where the clip stops, before the pause after it."""
    text: str
    words: tuple[WordTime, ...] = ()
    """When each written word of `text` is said, in seconds from the episode's start;
    empty when the engine reported no word timings."""


@dataclass(frozen=True, slots=True)
class Failure:
    """An article that could not be published (or that a person should look at), and why."""

    source: Path
    reason: str


@dataclass(frozen=True, slots=True)
class EpisodeRecord:
    """A published episode as the build state remembers it; the feed and pages are
    rendered from these records alone.

    Slots, not a dictionary per record: an archive's records are most of a build's memory.
    """

    slug: str
    source: str
    """The article's path relative to the project."""
    guid: str
    first_published: str
    """ISO 8601; the pubDate when the article names no date. Never changed once set."""
    content_key: str
    engine: str
    voice_id: str
    file: str
    """The MP3, relative to `output/`."""
    length: int
    duration: float
    title: str
    description: str | None
    """The article's lead, as the feed and pages show it. Records loaded from the build
    state leave it out (None): `state.Details` reads it for the few a build shows."""
    author: str | None
    pub_date: str
    link: str | None = None
    chapters: tuple[Chapter, ...] = field(default=())
    cues: tuple[Cue, ...] = field(default=())
    """The transcript: one cue per clip, with its written text. Records loaded from the
    build state leave it out (an archive's transcripts would fill the memory):
    `has_cues` says whether there is one, and `state.Details` reads it."""
    image: str | None = None
    """The episode's own cover, relative to `output/`."""
    has_cues: bool = False
    """Whether the episode has a transcript; set by itself when `cues` are given."""
    has_words: bool = False
    """Whether its transcript says when each word is said; set by itself from `cues`."""

    def __post_init__(self) -> None:
        if self.cues and not self.has_cues:
            object.__setattr__(self, "has_cues", True)
        if not self.has_words and any(c.words for c in self.cues):
            object.__setattr__(self, "has_words", True)

    def kept(self) -> EpisodeRecord:
        """The record as the build state keeps it in memory: its transcript and its
        description left in storage."""
        if self.cues or self.description is not None:
            return replace(self, cues=(), description=None)
        return self

    @property
    def shown_description(self) -> str:
        """The description, for the feed and pages: only a record read whole has it."""
        if self.description is None:
            raise LookupError(
                f"the record of {self.slug} was loaded without its description "
                "(state.Details.described reads it)"
            )
        return self.description

    @property
    def pub_datetime(self) -> datetime:
        return datetime.fromisoformat(self.pub_date)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EpisodeRecord:
        chapters = tuple(Chapter(float(c["start"]), str(c["title"])) for c in data["chapters"])
        cues = tuple(
            Cue(
                float(c["start"]),
                float(c["end"]),
                str(c["text"]),
                tuple(
                    WordTime(float(w["start"]), float(w["end"]), str(w["text"]))
                    for w in c.get("words", ())
                ),
            )
            for c in data.get("cues", ())
        )
        return cls(**{**data, "chapters": chapters, "cues": cues})
