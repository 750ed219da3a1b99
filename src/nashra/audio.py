"""The one adapter for pydub (and, through it, ffmpeg): decode clips, join them, encode MP3.

ffmpeg comes from PATH when installed, else from the `imageio-ffmpeg` wheel, which
ships no ffprobe: MP3s are therefore always decoded with an explicit codec so
pydub never asks ffprobe what they are.
"""

from __future__ import annotations

import functools
import io
import logging
import shutil
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nashra.engines.base import Clip
from nashra.errors import AudioError

log = logging.getLogger(__name__)

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is not on PATH; we point it at one below.
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError, CouldntEncodeError

SAMPLE_WIDTH = 2  # 16-bit PCM throughout


@functools.cache
def ffmpeg_path() -> str:
    """The ffmpeg program: the one on PATH when present, else the imageio-ffmpeg wheel's."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise AudioError(
            "no ffmpeg found: install the `imageio-ffmpeg` package (pip) or ffmpeg itself"
        ) from exc


def _configure() -> None:
    AudioSegment.converter = ffmpeg_path()


def decode(clip: Clip) -> AudioSegment:
    """Decode one clip into 16-bit mono PCM."""
    try:
        if clip.format == "wav":
            segment = AudioSegment.from_wav(io.BytesIO(clip.data))
        else:
            _configure()
            segment = AudioSegment.from_file(io.BytesIO(clip.data), format="mp3", codec="mp3")
    except (CouldntDecodeError, OSError, ValueError, IndexError) as exc:
        raise AudioError(
            f"cannot decode a {clip.format} clip of {len(clip.data)} bytes: {exc}"
        ) from exc
    return segment.set_channels(1).set_sample_width(SAMPLE_WIDTH)


@dataclass(frozen=True)
class Assembled:
    segment: AudioSegment
    starts: tuple[float, ...]
    """Start time in seconds of each part, in order."""


def assemble(parts: Iterable[tuple[Clip, int]], *, lead_in_ms: int = 300) -> Assembled:
    """Join decoded clips, each followed by its pause in milliseconds.

    The PCM is collected in a list and joined once, so the cost is linear in the
    episode's length (repeated `AudioSegment +` would copy everything each time).
    All clips are brought to the first clip's frame rate.
    """
    chunks: list[bytes] = []
    starts: list[float] = []
    frame_rate: int | None = None
    frames = 0
    for clip, pause_ms in parts:
        segment = decode(clip)
        if frame_rate is None:
            frame_rate = segment.frame_rate
            lead = _silence(frame_rate, lead_in_ms)
            chunks.append(lead)
            frames += len(lead) // SAMPLE_WIDTH
        elif segment.frame_rate != frame_rate:
            segment = segment.set_frame_rate(frame_rate)
        starts.append(frames / frame_rate)
        data = segment.raw_data
        chunks.append(data)
        frames += len(data) // SAMPLE_WIDTH
        if pause_ms:
            silence = _silence(frame_rate, pause_ms)
            chunks.append(silence)
            frames += len(silence) // SAMPLE_WIDTH
    if frame_rate is None:
        raise AudioError("nothing to assemble: the episode has no speech")
    segment = AudioSegment(
        data=b"".join(chunks), sample_width=SAMPLE_WIDTH, frame_rate=frame_rate, channels=1
    )
    return Assembled(segment, tuple(starts))


def _silence(frame_rate: int, ms: int) -> bytes:
    return b"\x00" * (frame_rate * ms // 1000) * SAMPLE_WIDTH


def export_mp3(segment: AudioSegment, path: Path, *, bitrate: str, sample_rate: int) -> None:
    """Encode mono constant-bitrate MP3 (with a Xing/Info header, so durations are exact)."""
    _configure()
    try:
        handle = segment.export(
            str(path),
            format="mp3",
            codec="libmp3lame",
            bitrate=bitrate,
            parameters=["-ac", "1", "-ar", str(sample_rate), "-map_metadata", "-1"],
        )
        handle.close()
    except (CouldntEncodeError, OSError) as exc:
        raise AudioError(f"cannot encode {path.name}: {exc}") from exc


def duration_of(segment: AudioSegment) -> float:
    return float(len(segment)) / 1000.0
