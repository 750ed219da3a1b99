"""The one adapter for pydub and ffmpeg: decode clips, join them, measure and encode MP3.

pydub decodes each clip into PCM; the episode is joined into a raw PCM file on
disk (measured for loudness on the way, see `loudness`), which ffmpeg encodes, so
memory stays flat however long the episode. ffmpeg comes from PATH when installed, else from the
`imageio-ffmpeg` wheel, which ships no ffprobe: MP3s are therefore always decoded
with an explicit codec so pydub never asks ffprobe what they are.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import logging
import math
import os
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nashra.core import lifetime
from nashra.core.errors import AudioError
from nashra.core.model import Clip, WordTime

if TYPE_CHECKING:
    from pydub import AudioSegment

    from nashra.render.loudness import LoudnessMeter

log = logging.getLogger(__name__)


@functools.cache
def _pydub() -> type[AudioSegment]:
    """pydub's AudioSegment, imported on first use: a build with nothing to join
    (the common rebuild) never pays for pydub and numpy (0.13 s)."""
    with warnings.catch_warnings():
        # pydub warns at import when ffmpeg is not on PATH; we point it at one below.
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        from pydub import AudioSegment as segment_type

    loaded: type[AudioSegment] = segment_type
    return loaded


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
_SAMPLE_PEAK_AIM = -2.0
"""dBFS the loudest sample may reach before a limiter steps in."""


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


def decode(clip: Clip) -> AudioSegment:
    """Decode one clip into 16-bit mono PCM."""
    segment_type = _pydub()  # first: importing any part of pydub warns about ffmpeg
    from pydub.exceptions import CouldntDecodeError

    try:
        if clip.format == "wav":
            segment = segment_type.from_wav(io.BytesIO(clip.data))
        else:
            segment_type.converter = ffmpeg_path()
            segment = segment_type.from_file(io.BytesIO(clip.data), format="mp3", codec="mp3")
    except (CouldntDecodeError, OSError, ValueError, IndexError) as exc:
        raise AudioError(
            f"cannot decode a {clip.format} clip of {len(clip.data)} bytes: {exc}"
        ) from exc
    return segment.set_channels(1).set_sample_width(SAMPLE_WIDTH)


@dataclass(frozen=True)
class Assembled:
    """An episode's joined audio, spooled to a raw PCM file (16-bit mono) on disk."""

    pcm: Path
    frame_rate: int
    frames: int
    peak: int
    """The largest absolute sample value."""
    loudness: float
    """Integrated loudness in LUFS (-inf for silence), measured while joining."""
    starts: tuple[float, ...]
    """Start time in seconds of each part, in order."""
    ends: tuple[float, ...] = ()
    """End time in seconds of each part's clip, before the pause after it."""
    words: tuple[tuple[WordTime, ...], ...] = ()
    """Each part's clip's word timings (seconds from the clip's start), as its engine
    reported them. Resampling a clip keeps its times; so do the loudness step and MP3
    encoding (measured: 0.1 ms, see tests/test_word_times.py)."""

    @property
    def duration(self) -> float:
        return self.frames / self.frame_rate


@contextlib.contextmanager
def assembled(
    parts: Iterable[tuple[Clip, int]],
    *,
    lead_in_ms: int = 300,
    folder: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Assembled]:
    """`assemble` into a temporary file in `folder` (else the system's temporary
    folder) that is removed when the block ends, however it ends."""
    with tempfile.TemporaryDirectory(prefix="nashra-pcm-", dir=folder) as tmp:
        pcm = Path(tmp) / "episode.pcm"
        try:
            joined = assemble(parts, pcm, lead_in_ms=lead_in_ms, progress=progress)
        except OSError as exc:
            # A write to an open file names no file: name the one that filled the disk.
            if exc.filename is None:
                exc.filename = str(pcm)
            raise
        yield joined


def assemble(
    parts: Iterable[tuple[Clip, int]],
    pcm: Path,
    *,
    lead_in_ms: int = 300,
    progress: Callable[[int], None] | None = None,
) -> Assembled:
    """Join decoded clips, each followed by its pause in milliseconds, into the file `pcm`.

    Clips are decoded and written one at a time, so memory does not grow with the
    episode and the cost is linear in its length. All clips are brought to the
    first clip's frame rate. `progress` is told how many parts are joined so far.
    """
    from nashra.render.loudness import LoudnessMeter

    starts: list[float] = []
    ends: list[float] = []
    words: list[tuple[WordTime, ...]] = []
    frame_rate: int | None = None
    meter: LoudnessMeter | None = None
    frames = 0
    peak = 0

    def write(data: bytes) -> int:
        assert meter is not None
        meter.add(data)
        return out.write(data) // SAMPLE_WIDTH

    with open(pcm, "wb") as out:
        for clip, pause_ms in parts:
            if lifetime.stopping():
                raise AudioError("stopped: the build was interrupted")
            segment = decode(clip)
            if frame_rate is None:
                frame_rate = segment.frame_rate
                meter = LoudnessMeter(frame_rate)
                frames += write(_silence(frame_rate, lead_in_ms))
            elif segment.frame_rate != frame_rate:
                segment = segment.set_frame_rate(frame_rate)
            starts.append(frames / frame_rate)
            words.append(clip.words)
            peak = max(peak, int(segment.max))
            frames += write(segment.raw_data)
            ends.append(frames / frame_rate)
            if pause_ms:
                frames += write(_silence(frame_rate, pause_ms))
            if progress:
                progress(len(starts))
    if frame_rate is None or meter is None:
        raise AudioError("nothing to assemble: the episode has no speech")
    return Assembled(
        pcm,
        frame_rate,
        frames,
        peak,
        meter.integrated(),
        tuple(starts),
        tuple(ends),
        tuple(words),
    )


def _silence(frame_rate: int, ms: int) -> bytes:
    return b"\x00" * (frame_rate * ms // 1000) * SAMPLE_WIDTH


def _pcm_input(audio: Assembled) -> list[str]:
    return ["-f", "s16le", "-ar", str(audio.frame_rate), "-ac", "1", "-i", str(audio.pcm)]


def loudness_filters(audio: Assembled, integrated: float, target: float) -> list[str]:
    """ffmpeg filters that bring `audio` to `target` LUFS with peaks kept under the limit.

    The gain is linear. Only when that gain would push the loudest sample past
    `_SAMPLE_PEAK_AIM` does a limiter catch those few peaks; the aim sits a dB
    under `TRUE_PEAK_LIMIT` because resampling and MP3 encoding raise peaks
    between samples a little. Silence (no measurable loudness) is left alone.
    """
    if integrated <= -70 or audio.peak == 0:
        return []
    gain = target - integrated
    filters = [f"volume={gain:.2f}dB"]
    peak_db = 20 * math.log10(audio.peak / 32768)
    if peak_db + gain > _SAMPLE_PEAK_AIM:
        limit = 10 ** (_SAMPLE_PEAK_AIM / 20)
        filters.append(f"alimiter=limit={limit:.4f}:level=disabled:latency=1")
    return filters


def export_mp3(
    audio: Assembled,
    path: Path,
    *,
    bitrate: str,
    sample_rate: int,
    loudness: float | None = None,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Encode mono constant-bitrate MP3 (with a Xing/Info header, so durations are exact).

    With `loudness` (LUFS) the audio, measured while it was joined, is brought to
    that integrated loudness with its true peak kept under `TRUE_PEAK_LIMIT`. ffmpeg
    reads the spooled PCM itself, so the episode never has to fit in memory.
    `progress` is told the share of the audio encoded so far, twice a second.
    """
    filters: list[str] = []
    if loudness is not None:
        filters = loudness_filters(audio, audio.loudness, loudness)
    command = [
        ffmpeg_path(), "-hide_banner", "-nostats", "-v", "error", "-y", *_pcm_input(audio),
        *(["-af", ",".join(filters)] if filters else []),
        "-ac", "1", "-ar", str(sample_rate), "-c:a", "libmp3lame", "-b:a", bitrate,
        "-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0",
        # No encoder version in the Info frame: the same audio, the same bytes anywhere.
        "-fflags", "+bitexact", "-flags:a", "+bitexact",
        "-f", "mp3", str(path),
        *(["-progress", "pipe:1"] if progress else []),
    ]  # fmt: skip

    def encoded(line: bytes) -> None:
        # ffmpeg's progress report: `out_time_us=12345678` among other keys.
        key, _, value = line.decode("ascii", "replace").strip().partition("=")
        if progress and key == "out_time_us" and value.isdigit() and audio.duration:
            progress(min(1.0, int(value) / 1e6 / audio.duration))

    try:
        lifetime.run(command, encoded if progress else None)
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", errors="replace").strip()
        _raise_if_disk_full(detail, path)
        raise AudioError(f"cannot encode {path.name}: {detail[-300:]}") from exc
    except OSError as exc:
        raise AudioError(f"cannot run ffmpeg to encode {path.name}: {exc}") from exc


def export_wav(audio: Assembled, path: Path, *, sample_rate: int, loudness: float) -> None:
    """Write 16-bit mono WAV at `sample_rate`, brought to `loudness` as `export_mp3` does."""
    _normalized(audio, path, sample_rate=sample_rate, loudness=loudness, container="wav")


def _raise_if_disk_full(ffmpeg_says: str, path: Path) -> None:
    """ffmpeg's full disk as the OSError a write of our own would raise: it names `path`."""
    if os.strerror(errno.ENOSPC) in ffmpeg_says:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def normalized_pcm(audio: Assembled, target: Path, *, sample_rate: int, loudness: float) -> None:
    """Write `audio`, brought to `loudness` exactly as `export_mp3` does it, as raw PCM
    (16-bit mono at `sample_rate`) to `target`: the samples an MP3 encoder would get."""
    _normalized(audio, target, sample_rate=sample_rate, loudness=loudness, container="s16le")


def _normalized(
    audio: Assembled, target: Path, *, sample_rate: int, loudness: float, container: str
) -> None:
    filters = loudness_filters(audio, audio.loudness, loudness)
    command = [
        ffmpeg_path(), "-hide_banner", "-nostats", "-v", "error", "-y", *_pcm_input(audio),
        *(["-af", ",".join(filters)] if filters else []),
        "-ac", "1", "-ar", str(sample_rate), "-c:a", "pcm_s16le",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-f", container, str(target),
    ]  # fmt: skip
    try:
        subprocess.run(command, capture_output=True, check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = (getattr(exc, "stderr", b"") or str(exc).encode()).decode(errors="replace")
        _raise_if_disk_full(detail, target)
        raise AudioError(f"cannot process audio: {detail[-300:]}") from exc
