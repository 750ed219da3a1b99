"""One-off speech: a text in, one MP3 out, through the same script, cache and stages as a build."""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nashra.config.settings import Audio, Settings, Speech
from nashra.core.errors import DISK_FULL, EngineError, OutputError, UsageError
from nashra.core.model import Article, Section
from nashra.engines.base import Engine, label
from nashra.engines.choice import choose_engine, missing_clips
from nashra.stages.assemble import render
from nashra.stages.script import make_script
from nashra.stages.types import Voice
from nashra.stages.voice import synthesize_into_cache
from nashra.storage import paths
from nashra.storage.cache import ClipCache
from nashra.storage.writer import atomic_path

FORMATS = (".mp3", ".wav")
"""What `speak` writes, by the output's extension."""


def _refuse_disk_full(exc: OSError, written: Path) -> None:
    """A full disk as one line naming the file (or folder) it refused; a temporary
    file beside `written` is `written` to the user."""
    if exc.errno != errno.ENOSPC:
        return
    path = Path(os.fsdecode(exc.filename)) if exc.filename else written
    if path.parent == written.parent:
        path = written
    raise OutputError(f"{path}: {DISK_FULL}") from exc


@dataclass(frozen=True)
class SpeakResult:
    duration: float
    engine: str
    note: str


def speak(
    text: str, output: Path, *, engine: str = "auto", settings: Settings | None = None
) -> SpeakResult:
    """Voice `text` into an MP3 (or, for a `.wav` name, a WAV) at `output`, with
    paragraph and sentence pauses.

    Inside a project the project's voice settings and clip cache are used;
    elsewhere the defaults and a throw-away cache. Another extension, or a folder
    that does not exist, is refused before any work; a full disk names the file.
    """
    if output.suffix.lower() not in FORMATS:
        raise UsageError(
            f"{output}: nashra speak writes .mp3 or .wav; name the file with one of them"
        )
    if not output.parent.exists():
        raise UsageError(f"{output.parent}: no such folder; create it, or write the file elsewhere")
    paragraphs = tuple(p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip())
    if not paragraphs:
        raise UsageError("nothing to say: the text is empty")
    article = Article(source=output, slug="speak", title="", sections=(Section(None, paragraphs),))
    audio_settings = settings.audio if settings else Audio()
    speech = settings.speech if settings else Speech()
    script = make_script(article, audio_settings, intro=False)
    if not script.utterances:
        raise UsageError("nothing to say: the text has no letters or digits")
    with tempfile.TemporaryDirectory(prefix="nashra-speak-") as scratch:
        folder = paths.clip_dir(settings.work_dir) if settings else Path(scratch)
        cache = ClipCache(folder)

        def said(candidate: Engine) -> list[str]:
            return sorted({u.speech for u in candidate.plan(script).utterances})

        chosen, note = choose_engine(engine, speech, said, cache)
        voice = Voice(chosen.name, chosen.voice_id(), chosen.plan(script))
        missing = missing_clips(cache, chosen, voice.voice_id, said(chosen))
        try:
            errors = synthesize_into_cache(chosen, missing, cache, jobs=1)
        except OSError as exc:
            # A clip written to the cache names no file: the cache's folder is full.
            _refuse_disk_full(exc, folder)
            raise
        if errors:
            text_, reason = next(iter(errors.items()))
            raise EngineError(f"{label(chosen)} could not voice {text_!r}: {reason}")
        wav = output.suffix.lower() == ".wav"
        try:
            with atomic_path(output) as tmp:
                rendered = render(voice, cache, tmp, audio_settings, wav=wav)
        except OSError as exc:
            _refuse_disk_full(exc, output)
            raise
    return SpeakResult(rendered.duration, chosen.name, note)
