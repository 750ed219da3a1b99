"""A bulletin's audio: blocks of cached clips, each block loudness-normalized on its own.

An article's block is joined, measured and brought to the target loudness
exactly as its own episode was (same clips, same pauses, same lead-in, same
gain), so its samples are the samples of the episode's body; then the lead-in
is cut off and the blocks are laid end to end with a section pause between.
Only the framing (opening, headlines, outro) is measured by itself.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nashra.config.settings import Audio
from nashra.core.model import Chapter, Cue
from nashra.render import audio, sidecars, word_times
from nashra.stages.assemble import script_parts
from nashra.stages.types import Voice
from nashra.storage.cache import ClipStore

LEAD_IN_MS = 300
"""As every episode starts: the silence `audio.assembled` puts before the first clip."""


@dataclass(frozen=True)
class Block:
    voice: Voice
    title: str | None = None
    """One chapter with this title for the whole block; None: the script's own chapters."""


@dataclass(frozen=True)
class Mixed:
    chapters: tuple[Chapter, ...]
    cues: tuple[Cue, ...]
    starts: tuple[float, ...]
    """Where each block's first clip starts, in seconds."""
    duration: float


def mix(blocks: Sequence[Block], cache: ClipStore, target: Path, settings: Audio) -> Mixed:
    """Encode the blocks, in order, into an MP3 at `target` (a temporary path)."""
    rate = settings.sample_rate
    lead = rate * LEAD_IN_MS // 1000
    gap = b"\x00" * (rate * settings.section_pause_ms // 1000) * audio.SAMPLE_WIDTH
    chapters: list[Chapter] = []
    cues: list[Cue] = []
    starts: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nashra-bulletin-") as folder:
        whole = Path(folder) / "bulletin.pcm"
        frames = lead
        with open(whole, "wb") as out:
            out.write(b"\x00" * lead * audio.SAMPLE_WIDTH)
            for index, block in enumerate(blocks):
                voice = block.voice
                parts = script_parts(voice.script, cache, voice.engine, voice.voice_id)
                piece = Path(folder) / "block.pcm"
                with audio.assembled(parts, lead_in_ms=LEAD_IN_MS) as joined:
                    audio.normalized_pcm(
                        joined, piece, sample_rate=rate, loudness=audio.loudness_target(1)
                    )
                    shift = frames / rate - LEAD_IN_MS / 1000
                    begin = frames / rate
                    own = sidecars.chapters_for(voice.script, joined.starts)
                    marks = (
                        [(begin, block.title)]
                        if block.title is not None
                        else [
                            (begin if i == 0 else shift + c.start, c.title)
                            for i, c in enumerate(own)
                        ]
                    )
                    for start, title in marks:
                        chapters.append(Chapter(round(start, 3) if chapters else 0.0, title))
                    said = sidecars.cues_for(voice.script, joined.starts, joined.ends, joined.words)
                    for cue in said:
                        cues.append(
                            Cue(
                                round(cue.start + shift, 3),
                                round(cue.end + shift, 3),
                                cue.text,
                                word_times.placed(cue.words, shift),
                            )
                        )
                starts.append(frames / rate)
                data = piece.read_bytes()[lead * audio.SAMPLE_WIDTH :]
                frames += out.write(data) // audio.SAMPLE_WIDTH
                if index < len(blocks) - 1:
                    frames += out.write(gap) // audio.SAMPLE_WIDTH
        spooled = audio.Assembled(whole, rate, frames, 0, float("-inf"), ())
        audio.export_mp3(spooled, target, bitrate=settings.bitrate, sample_rate=rate)
    return Mixed(tuple(chapters), tuple(cues), tuple(starts), frames / rate)
