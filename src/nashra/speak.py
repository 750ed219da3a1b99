"""One-off speech: a text in, one MP3 out, through the same script, cache and stages as a build."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from nashra import paths
from nashra.cache import ClipCache
from nashra.engines.base import Engine
from nashra.errors import EngineError, UsageError
from nashra.model import Article, Section
from nashra.script import make_script
from nashra.settings import Audio, Settings, Speech
from nashra.stages.assemble import render
from nashra.stages.voice import Voice, choose_engine, label, missing_clips, synthesize_into_cache
from nashra.writer import atomic_path


@dataclass(frozen=True)
class SpeakResult:
    duration: float
    engine: str
    note: str


def speak(
    text: str, output: Path, *, engine: str = "auto", settings: Settings | None = None
) -> SpeakResult:
    """Voice `text` into an MP3 at `output`, with paragraph and sentence pauses.

    Inside a project the project's voice settings and clip cache are used;
    elsewhere the defaults and a throw-away cache.
    """
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
        errors = synthesize_into_cache(chosen, missing, cache, jobs=1)
        if errors:
            text_, reason = next(iter(errors.items()))
            raise EngineError(f"{label(chosen)} could not voice {text_!r}: {reason}")
        with atomic_path(output) as tmp:
            rendered = render(voice, cache, tmp, audio_settings)
    return SpeakResult(rendered.duration, chosen.name, note)
