"""Stage 2, decide: which episodes are current, and which must be made.

An episode is current when its content key (everything that shapes its bytes),
its engine and that engine's voice are unchanged and its MP3 is intact (of the
recorded length, and not found unreadable by the last check): then it is not
touched at all, neither voiced nor decoded nor encoded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from nashra.check.files import MP3_FACTS, FileMemo
from nashra.config.settings import Settings, Speech
from nashra.core.errors import NashraError
from nashra.core.model import EpisodeRecord
from nashra.engines import AUTO, create_engine
from nashra.engines.base import with_voice
from nashra.stages.types import Job, record_metadata
from nashra.storage import paths
from nashra.storage.writer import read_join, resolved


@dataclass(frozen=True)
class Decision:
    current: dict[str, EpisodeRecord]
    """Unchanged episodes by slug, their records refreshed with the article's metadata."""
    pending: list[Job]
    """The episodes to make."""


class VoiceIds:
    """Each engine's voice id, computed at most once per run; and the MP3s that the
    last check found damaged, read once."""

    def __init__(self, speech: Speech) -> None:
        self.speech = speech
        self._ids: dict[tuple[str, str | None], str | None] = {}
        self._damaged: dict[str, list[int]] | None = None

    def damaged(self, settings: Settings) -> dict[str, list[int]]:
        if self._damaged is None:
            memo = paths.check_memo(settings.work_dir)
            self._damaged = FileMemo.damaged(memo, MP3_FACTS)
        return self._damaged

    def __call__(self, name: str, voice: str | None = None) -> str | None:
        """The voice id of the engine `name`, reading with `voice` (an article's) when given."""
        key = (name, voice)
        if key not in self._ids:
            try:
                engine = create_engine(name, self.speech.options_for(name))
                if voice is not None and engine.voice_option is not None:
                    engine = with_voice(engine, voice)
                self._ids[key] = engine.voice_id()
            except (NashraError, ValueError):
                self._ids[key] = None
        return self._ids[key]


def decide(settings: Settings, jobs: Sequence[Job]) -> Decision:
    """Stage 2: split `jobs` into the current episodes and those to make."""
    voice_ids = VoiceIds(settings.speech)
    current: dict[str, EpisodeRecord] = {}
    pending: list[Job] = []
    for job in jobs:
        if job.unchanged and job.previous is not None:
            # Stage 1 read it and found it current (see `without_script`).
            current[job.slug] = refresh(job.previous, job)
        elif job.previous is not None and is_current(
            settings, job.content_key, job.previous, voice_ids, job.article.voice
        ):
            current[job.slug] = refresh(job.previous, job)
        else:
            pending.append(job)
    return Decision(current, pending)


def is_current(
    settings: Settings,
    content_key: str,
    previous: EpisodeRecord,
    voice_ids: VoiceIds,
    voice: str | None = None,
) -> bool:
    """Whether the episode `previous` records is what an article of `content_key` makes,
    read with `voice` (the article's own) in place of the engine's when given."""
    if previous.content_key != content_key:
        return False
    choice = settings.speech.engine
    if choice != AUTO and previous.engine != choice:
        return False
    if voice_ids(previous.engine, voice) != previous.voice_id:
        return False
    try:
        path = read_join(settings.output_dir, previous.file)
        if previous.image and not read_join(settings.output_dir, previous.image).is_file():
            return False
        stat = path.stat()
        if stat.st_size != previous.length:
            return False
    except (OSError, NashraError):
        return False
    # `nashra check` (the end of every build) found this very file unreadable: make it again.
    damaged = voice_ids.damaged(settings)
    stamp = damaged.get(str(resolved(settings.output_dir) / previous.file)) if damaged else None
    return stamp != [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def refresh(record: EpisodeRecord, job: Job) -> EpisodeRecord:
    """Metadata that does not touch the audio (e.g. the article's URL) still follows the article.

    The description is not among it: it is the article's lead, which the content key
    hashes (and the MP3 carries), so a current record's is the article's already; a
    record loaded from the build state leaves it there (`EpisodeRecord.description`).
    An unchanged record is returned as it is, not copied: an archive's are most of a
    build's memory.
    """
    refreshed = replace(record, **record_metadata(job))
    return record if refreshed == record else refreshed
