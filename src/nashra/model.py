"""Plain data that flows between readers, the script maker, the builder and the writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one heading; the first section may have no title."""

    title: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
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

    @property
    def lead(self) -> str:
        """The description for the feed: the front matter's, else the first paragraph."""
        if self.description:
            return self.description
        for section in self.sections:
            for paragraph in section.paragraphs:
                return paragraph
        return self.title


@dataclass(frozen=True)
class Utterance:
    """One piece of speech: what the engine is given and the written text it came from."""

    speech: str
    written: str
    pause_after_ms: int
    chapter: int
    """Index into `Script.chapters` of the chapter this utterance belongs to."""
    section: int = -1
    """Index into `Article.sections` of the text it reads; -1 for the intro."""


@dataclass(frozen=True)
class Script:
    """Everything an episode says, in order, with the pauses between."""

    utterances: tuple[Utterance, ...]
    chapters: tuple[str, ...]
    """Chapter titles: the intro first, then one per section."""

    @property
    def characters(self) -> int:
        return sum(len(u.speech) for u in self.utterances)
