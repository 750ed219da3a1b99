import io
import math
import struct
import subprocess
import wave
from pathlib import Path

import pytest

from nashra import audio
from nashra.engines.base import Clip
from nashra.errors import AudioError
from nashra.tagging import mp3_facts


def tone_wav(seconds: float, rate: int = 22050, freq: float = 440.0) -> bytes:
    frames = int(seconds * rate)
    samples = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate)))
        for i in range(frames)
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples)
    return buffer.getvalue()


def tone_mp3(seconds: float, rate: int = 24000) -> bytes:
    """An MP3 like Google's: made by the same ffmpeg nashra uses."""
    result = subprocess.run(
        [
            audio.ffmpeg_path(),
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=300:sample_rate={rate}:duration={seconds}",
            "-ac",
            "1",
            "-b:a",
            "32k",
            "-f",
            "mp3",
            "-",
        ],
        capture_output=True,
        check=True,
    )
    return result.stdout


def test_assemble_places_clips_and_pauses() -> None:
    clips = [(Clip(tone_wav(1.0), "wav"), 500), (Clip(tone_wav(0.5), "wav"), 0)]
    result = audio.assemble(clips, lead_in_ms=300)
    assert result.starts == pytest.approx((0.3, 1.8), abs=0.001)
    assert audio.duration_of(result.segment) == pytest.approx(2.3, abs=0.01)
    assert result.segment.channels == 1
    assert result.segment.frame_rate == 22050


def test_assemble_mixes_rates_and_formats() -> None:
    clips = [(Clip(tone_wav(1.0), "wav"), 0), (Clip(tone_mp3(1.0), "mp3"), 0)]
    result = audio.assemble(clips, lead_in_ms=0)
    assert result.segment.frame_rate == 22050
    # MP3 decoders add encoder padding, so allow a few tens of milliseconds.
    assert audio.duration_of(result.segment) == pytest.approx(2.0, abs=0.1)


def test_nothing_to_assemble() -> None:
    with pytest.raises(AudioError, match="no speech"):
        audio.assemble([])


def test_garbage_clip_is_an_audio_error() -> None:
    with pytest.raises(AudioError, match="cannot decode"):
        audio.assemble([(Clip(b"not audio at all", "wav"), 0)])


def test_export_is_mono_cbr_podcast_mp3(tmp_path: Path) -> None:
    segment = audio.assemble([(Clip(tone_wav(3.0), "wav"), 0)], lead_in_ms=0).segment
    out = tmp_path / "ep.mp3"
    audio.export_mp3(segment, out, bitrate="96k", sample_rate=44100)
    facts = mp3_facts(out)
    assert facts.channels == 1
    assert facts.sample_rate == 44100
    assert abs(facts.bitrate - 96000) <= 500  # mutagen derives it from the Xing frame count
    assert facts.duration == pytest.approx(3.0, abs=0.1)
