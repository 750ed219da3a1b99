"""The values the stages of a build hand one another, and the rules they share about them.

Stage 1 makes `Job`s, stage 3 a `Voice` per episode (and the `VoicingFigures` a build
reports), stage 4 takes an `Assembly`; an episode's record takes its article's
metadata through `record_metadata` alone. Every type pickles unchanged to another
process or machine (a cluster's workers take `Assembly`s). Stages import their
shared types from here, never from one another.

May import: `nashra.core`, `nashra.config` and `nashra.storage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypedDict

from nashra.config.settings import Audio, Settings
from nashra.core.model import Article, EpisodeRecord, Script
from nashra.storage import paths

EPISODE_FORMAT = 3
"""Bump when the way episodes are assembled changes, so every episode is rebuilt.
2: loudness normalization, ID3 chapters, per-episode art, transcripts;
3: ID3 chapter frames stored in time order."""


@dataclass(frozen=True, slots=True)
class Job:
    """One article on its way to becoming an episode."""

    article: Article
    script: Script
    content_key: str
    pub_date: datetime
    first_published: str
    previous: EpisodeRecord | None
    art: Path | None = None
    """The article's own cover image (front matter `image`), else the podcast's configured
    one, else None: a cover is generated from the episode's title."""
    unchanged: bool = False
    """Its episode is current, and the job has no script (see `read.without_script`)."""
    characters: int = 0
    """How much its script says, kept when the script is set aside (`read.set_aside`)."""

    @property
    def slug(self) -> str:
        return self.article.slug


@dataclass(frozen=True)
class Voice:
    """The engine and voice an episode is voiced with, and what it was asked to say."""

    engine: str
    voice_id: str
    script: Script


@dataclass(frozen=True)
class Assembly:
    """Everything one episode's assembly needs."""

    job: Job
    voice: Voice
    guid: str
    album: str
    """The podcast's title."""
    artist: str
    own_art: bool
    """Whether the episode has a cover of its own (else the channel's cover serves)."""
    work_dir: Path
    output_dir: Path
    audio: Audio


@dataclass
class VoicingFigures:
    """What voicing did, in figures: the stages that voice count into theirs (their
    results are `VoicingFigures` too), and a build's report adds them up."""

    engine: str | None = None
    """The engine chosen; None when none could be."""
    note: str = ""
    """What the user should hear about the choice ("" when nothing)."""
    fallback: list[str] = field(default_factory=list)
    """Episodes voiced by the fallback engine because the first one failed them."""
    synthesized: int = 0
    """Clips asked of the engine."""
    cached: int = 0
    """Clips found in the cache."""
    seconds: float = 0.0
    """Wall time spent choosing the engine and synthesizing clips."""

    def __add__(self, later: VoicingFigures) -> VoicingFigures:
        """These figures followed by `later`'s: the later engine and note, when there are."""
        return VoicingFigures(
            engine=later.engine or self.engine,
            note=later.note or self.note,
            fallback=[*self.fallback, *later.fallback],
            synthesized=self.synthesized + later.synthesized,
            cached=self.cached + later.cached,
            seconds=self.seconds + later.seconds,
        )


class RecordMetadata(TypedDict):
    """What an episode's record takes from its article, whatever its audio. Not the
    description: that is the article's lead, which the content key hashes (so a
    current record has it already) and a record loaded from the build state leaves
    out (`EpisodeRecord.description`)."""

    slug: str
    source: str
    title: str
    author: str | None
    link: str | None
    pub_date: str


def record_metadata(job: Job) -> RecordMetadata:
    """The metadata of `job`'s episode record, from its article and its dates."""
    article = job.article
    return RecordMetadata(
        slug=article.slug,
        source=relative_source(article),
        title=article.title,
        author=article.author,
        link=article.url,
        pub_date=job.pub_date.isoformat(),
    )


def artist(settings: Settings, article: Article) -> str:
    """Who an episode is by: the article's author, else the podcast's."""
    return article.author or settings.author


def relative_source(article: Article) -> str:
    """The article's source as the build state records it."""
    return paths.article_source(article.source.name)
