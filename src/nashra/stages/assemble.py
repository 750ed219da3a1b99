"""Stage 4, assemble: one episode's clips joined, normalized, encoded and tagged.

`assemble` needs nothing but its `Assembly`, plain and picklable: the job, the
voice that said it, where the clip cache and `output/` are, and the audio
settings. So it can run in a thread, another process or on another machine
that sees the same folders. It writes the episode's MP3 (and its own cover)
under a new name and returns the episode's record; the feed is not touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from nashra.config.settings import Audio, Settings
from nashra.core.errors import EngineError
from nashra.core.model import Chapter, Clip, EpisodeRecord, Script, WordTime
from nashra.render import audio, feed, sidecars, tagging
from nashra.stages.covers import art_bytes, image_mime
from nashra.stages.estimate import estimate_seconds
from nashra.stages.types import Assembly, Job, Voice, artist, record_metadata
from nashra.storage import paths
from nashra.storage.cache import ClipCache, ClipStore, clip_key
from nashra.storage.scratch import scratch_folder
from nashra.storage.writer import atomic_path, safe_join, write_if_changed

log = logging.getLogger(__name__)


def assembly_of(settings: Settings, job: Job, voice: Voice, podcast_guid: str) -> Assembly:
    """Stage 4's input for `job`'s episode, voiced by `voice`, tagged as the settings say."""
    previous = job.previous
    return Assembly(
        job=job,
        voice=voice,
        guid=previous.guid if previous else feed.episode_guid(podcast_guid, job.slug),
        album=settings.title,
        artist=artist(settings, job.article),
        own_art=not (settings.image and job.art == settings.project / settings.image),
        work_dir=settings.work_dir,
        output_dir=settings.output_dir,
        audio=settings.audio,
    )


@dataclass(frozen=True)
class Rendered:
    """An MP3 written from a script's clips, and where each clip landed in it."""

    duration: float
    chapters: tuple[Chapter, ...]
    end: float
    starts: tuple[float, ...]
    ends: tuple[float, ...]
    words: tuple[tuple[WordTime, ...], ...] = ()
    """Each clip's word timings, from the clip's start."""


def script_parts(
    script: Script, cache: ClipStore, engine_name: str, voice_id: str
) -> Iterator[tuple[Clip, int]]:
    """The script's clips from the cache, each with its pause, read one at a time.

    Every clip is checked to be there before the first is read, so a missing one
    fails the episode before anything is joined; reading lazily keeps memory flat
    (an hour of clips is 160 MB of PCM).
    """
    keys = [clip_key(engine_name, voice_id, u.speech) for u in script.utterances]
    for key, utterance in zip(keys, script.utterances, strict=True):
        if key not in cache:
            raise EngineError(f"a clip is missing from the cache: {utterance.speech!r}")

    def parts() -> Iterator[tuple[Clip, int]]:
        for key, utterance in zip(keys, script.utterances, strict=True):
            clip = cache.get(key)
            if clip is None:
                raise EngineError(f"a clip vanished from the cache: {utterance.speech!r}")
            yield clip, utterance.pause_after_ms

    return parts()


def render(
    voice: Voice,
    cache: ClipStore,
    target: Path,
    settings: Audio,
    scratch: Path | None = None,
    progress: Callable[[float], None] | None = None,
    *,
    wav: bool = False,
) -> Rendered:
    """Join `voice.script`'s clips into an MP3 (with `wav`, a WAV) at `target` (a temporary
    path), loudness normalized; return its duration, chapters and where each clip starts
    and ends.
    The joined audio is spooled in `scratch` (else the system's temporary folder).
    `progress` is told the share done: joining counts as the first half, encoding
    as the second."""
    parts = script_parts(voice.script, cache, voice.engine, voice.voice_id)
    count = len(voice.script.utterances) or 1
    joined = (lambda n: progress(0.5 * n / count)) if progress else None
    encoded = (lambda share: progress(0.5 + 0.5 * share)) if progress else None
    with audio.assembled(parts, folder=scratch, progress=joined) as assembled:
        chapters = sidecars.chapters_for(voice.script, assembled.starts)
        if wav:
            rate, loudness = settings.sample_rate, audio.loudness_target(1)
            audio.export_wav(assembled, target, sample_rate=rate, loudness=loudness)
            return Rendered(
                assembled.duration,
                chapters,
                assembled.duration,
                tuple(assembled.starts),
                tuple(assembled.ends),
                assembled.words,
            )
        audio.export_mp3(
            assembled,
            target,
            bitrate=settings.bitrate,
            sample_rate=settings.sample_rate,
            loudness=audio.loudness_target(1),
            progress=encoded,
        )
        end = min(assembled.duration, tagging.mp3_facts(target).duration)
        return Rendered(
            assembled.duration,
            chapters,
            end,
            tuple(assembled.starts),
            tuple(assembled.ends),
            assembled.words,
        )


def assemble(
    work: Assembly,
    progress: Callable[[float], None] | None = None,
    *,
    cache: ClipStore | None = None,
) -> EpisodeRecord:
    """Stage 4 for one episode: its MP3 (and cover) in `output/`, and its record.

    `progress`, if given, is told the share of the episode done (0 to 1) as it goes.
    The clips come from `cache`, else the project's clip cache.
    """
    job, voice = work.job, work.voice
    article = job.article
    if cache is None:
        cache = ClipCache(paths.clip_dir(work.work_dir))
    stem = paths.next_stem(article.slug, job.previous.file if job.previous else None)
    art = art_bytes(work.work_dir, job.art, article.title)
    mime = image_mime(art)
    art_relative: str | None = None
    if work.own_art:
        art_relative = paths.episode_art(stem, jpeg=mime == "image/jpeg")
        write_if_changed(safe_join(work.output_dir, art_relative), art)
    relative = paths.episode_audio(stem)
    with (
        atomic_path(safe_join(work.output_dir, relative)) as tmp,
        scratch_folder(work.work_dir, seconds=estimate_seconds(voice.script)) as scratch,
    ):
        rendered = render(voice, cache, tmp, work.audio, scratch, progress)
        chapters = rendered.chapters
        cues = sidecars.cues_for(voice.script, rendered.starts, rendered.ends, rendered.words)
        tagging.write_tags(
            tmp,
            tagging.EpisodeTags(
                title=article.title,
                artist=work.artist,
                album=work.album,
                date=job.pub_date,
                engine=voice.engine,
                voice_id=voice.voice_id,
                comment=article.lead,
                cover=art,
                cover_mime=mime,
                chapters=tag_chapters(chapters, rendered.end),
            ),
        )
        facts = tagging.mp3_facts(tmp)
        length = tmp.stat().st_size
    log.info("built %s (%.0f s, %s)", relative, facts.duration, voice.engine)
    return EpisodeRecord(
        **record_metadata(job),
        guid=work.guid,
        first_published=job.first_published,
        content_key=job.content_key,
        engine=voice.engine,
        voice_id=voice.voice_id,
        file=relative,
        length=length,
        duration=round(facts.duration, 3),
        description=article.lead,
        chapters=chapters,
        cues=cues,
        image=art_relative,
    )


def tag_chapters(chapters: Sequence[Chapter], end: float) -> tuple[tagging.TagChapter, ...]:
    """ID3 chapters need an end: each runs to the next one's start, the last to the end."""
    ends = [c.start for c in chapters[1:]] + [end]
    return tuple(
        tagging.TagChapter(c.start, max(c.start, e), c.title)
        for c, e in zip(chapters, ends, strict=True)
    )
