"""The one adapter for pydub (and, through it, ffmpeg): decode clips, join them, encode MP3.

ffmpeg comes from PATH when installed, else from the `imageio-ffmpeg` wheel, which
ships no ffprobe: MP3s are therefore always decoded with an explicit codec so
pydub never asks ffprobe what they are.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import shutil
import subprocess
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

# Loudness targets (EBU R 128 measurement, as ffmpeg's loudnorm and ebur128 make it).
# -16 LUFS is the podcast norm for stereo (Apple, AES TD1004). A mono file is
# measured on its one channel but played on two speakers, which sounds about 3 LU
# louder, so AES recommends -19 LUFS for mono: our mono episodes then sound as loud
# as a -16 LUFS stereo show.
LOUDNESS_STEREO = -16.0
LOUDNESS_MONO = -19.0
TRUE_PEAK_LIMIT = -1.0
"""dBTP no episode may exceed."""
_TRUE_PEAK_AIM = -1.5  # aimed below the limit: MP3 encoding adds a few tenths of a dB
_LRA_AIM = 20.0  # speech with pauses: high enough that loudnorm can stay linear


def loudness_target(channels: int) -> float:
    """Integrated loudness in LUFS that an episode with `channels` channels is normalized to."""
    return LOUDNESS_MONO if channels == 1 else LOUDNESS_STEREO


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
    ends: tuple[float, ...] = ()
    """End time in seconds of each part's clip, before the pause after it."""


def assemble(parts: Iterable[tuple[Clip, int]], *, lead_in_ms: int = 300) -> Assembled:
    """Join decoded clips, each followed by its pause in milliseconds.

    The PCM is collected in a list and joined once, so the cost is linear in the
    episode's length (repeated `AudioSegment +` would copy everything each time).
    All clips are brought to the first clip's frame rate.
    """
    chunks: list[bytes] = []
    starts: list[float] = []
    ends: list[float] = []
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
        ends.append(frames / frame_rate)
        if pause_ms:
            silence = _silence(frame_rate, pause_ms)
            chunks.append(silence)
            frames += len(silence) // SAMPLE_WIDTH
    if frame_rate is None:
        raise AudioError("nothing to assemble: the episode has no speech")
    segment = AudioSegment(
        data=b"".join(chunks), sample_width=SAMPLE_WIDTH, frame_rate=frame_rate, channels=1
    )
    return Assembled(segment, tuple(starts), tuple(ends))


def _silence(frame_rate: int, ms: int) -> bytes:
    return b"\x00" * (frame_rate * ms // 1000) * SAMPLE_WIDTH


@dataclass(frozen=True)
class Loudness:
    """An EBU R 128 measurement, as ffmpeg's loudnorm filter reports it."""

    integrated: float
    """LUFS."""
    true_peak: float
    """dBTP."""
    lra: float
    """Loudness range in LU."""
    threshold: float
    """LUFS."""


def measure_loudness(segment: AudioSegment, *, target: float = LOUDNESS_MONO) -> Loudness:
    """Measure `segment` with ffmpeg's loudnorm (its first pass), fed raw PCM on stdin."""
    command = [
        ffmpeg_path(),
        "-hide_banner",
        "-nostats",
        "-f",
        f"s{segment.sample_width * 8}le",
        "-ar",
        str(segment.frame_rate),
        "-ac",
        str(segment.channels),
        "-i",
        "pipe:0",
        "-af",
        f"{_loudnorm(target)}:print_format=json",
        "-f",
        "null",
        "-",
    ]
    try:
        done = subprocess.run(command, input=segment.raw_data, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise AudioError(f"cannot measure loudness with ffmpeg: {exc}") from exc
    stderr = done.stderr.decode("utf-8", errors="replace")
    start, end = stderr.rfind("{"), stderr.rfind("}")
    try:
        values = json.loads(stderr[start : end + 1])
        return Loudness(
            integrated=float(values["input_i"]),
            true_peak=float(values["input_tp"]),
            lra=float(values["input_lra"]),
            threshold=float(values["input_thresh"]),
        )
    except (ValueError, KeyError) as exc:
        raise AudioError(f"ffmpeg's loudness measurement was not understood: {exc}") from exc


def _loudnorm(target: float) -> str:
    return f"loudnorm=I={target:.1f}:TP={_TRUE_PEAK_AIM:.1f}:LRA={_LRA_AIM:.1f}"


def normalize_filter(measured: Loudness, target: float) -> str | None:
    """loudnorm's second pass: a linear gain to `target` from `measured` values.

    loudnorm keeps the gain linear (no compression) when the true peak allows it,
    and limits peaks only when it must. Silence (no measurable loudness) is left alone.
    """
    if measured.integrated <= -70:  # "-inf" and the gate's floor: nothing to normalize
        return None
    return (
        f"{_loudnorm(target)}:measured_I={measured.integrated:.2f}"
        f":measured_TP={measured.true_peak:.2f}:measured_LRA={measured.lra:.2f}"
        f":measured_thresh={measured.threshold:.2f}:linear=true"
    )


def export_mp3(
    segment: AudioSegment,
    path: Path,
    *,
    bitrate: str,
    sample_rate: int,
    loudness: float | None = None,
) -> None:
    """Encode mono constant-bitrate MP3 (with a Xing/Info header, so durations are exact).

    With `loudness` (LUFS) the audio is first measured, then normalized to that
    integrated loudness with its true peak kept under `TRUE_PEAK_LIMIT`.
    """
    _configure()
    parameters = ["-ac", "1", "-ar", str(sample_rate), "-map_metadata", "-1"]
    if loudness is not None:
        af = normalize_filter(measure_loudness(segment, target=loudness), loudness)
        if af:
            parameters += ["-af", af]
    try:
        handle = segment.export(
            str(path),
            format="mp3",
            codec="libmp3lame",
            bitrate=bitrate,
            parameters=parameters,
        )
        handle.close()
    except (CouldntEncodeError, OSError) as exc:
        raise AudioError(f"cannot encode {path.name}: {exc}") from exc


def duration_of(segment: AudioSegment) -> float:
    return float(len(segment)) / 1000.0
