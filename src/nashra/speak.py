"""One-off speech: a text in, one MP3 out, through the same script, cache and engines as a build."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from nashra import audio
from nashra.builder import clip_cache, script_parts
from nashra.cache import ClipCache, clip_key
from nashra.engines.base import Engine
from nashra.errors import EngineError, UsageError
from nashra.model import Article, Section
from nashra.script import make_script
from nashra.settings import Audio, Settings, Speech
from nashra.voicing import choose_engine, engine_script, synthesize_into_cache
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
        cache = clip_cache(settings) if settings else ClipCache(Path(scratch))

        def said(candidate: Engine) -> list[str]:
            return sorted({u.speech for u in engine_script(candidate, speech, script).utterances})

        chosen, note = choose_engine(engine, speech, said, cache)
        voice_id = chosen.voice_id()
        voiced = engine_script(chosen, speech, script)
        texts = sorted({u.speech for u in voiced.utterances})
        missing = [t for t in texts if clip_key(chosen.name, voice_id, t) not in cache]
        errors = synthesize_into_cache(speech, chosen, missing, cache, jobs=1)
        if errors:
            text_, reason = next(iter(errors.items()))
            raise EngineError(f"{chosen.name} could not voice {text_!r}: {reason}")
        parts = script_parts(voiced, cache, chosen.name, voice_id)
        with audio.assembled(parts) as assembled, atomic_path(output) as tmp:
            audio.export_mp3(
                assembled,
                tmp,
                bitrate=audio_settings.bitrate,
                sample_rate=audio_settings.sample_rate,
                loudness=audio.loudness_target(1),
            )
    return SpeakResult(assembled.duration, chosen.name, note)
