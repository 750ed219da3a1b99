"""Our streaming BS.1770 meter against ffmpeg's ebur128 filter, the independent judge."""

from __future__ import annotations

import io
import math
import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from nashra.engines import create_engine
from nashra.render.audio import ffmpeg_path
from nashra.render.loudness import LoudnessMeter

SEED = Path(__file__).parent / "data" / "corpus" / "seed" / "whatsapp-privacy.txt"


def ebur128(pcm: bytes, rate: int, tmp_path: Path) -> float:
    raw = tmp_path / f"{rate}.raw"
    raw.write_bytes(pcm)
    done = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-nostats", "-f", "s16le", "-ar", str(rate),
         "-ac", "1", "-i", str(raw), "-af", "ebur128=framelog=quiet", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    match = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", done.stderr.rpartition("Summary:")[2])
    assert match
    return float(match.group(1))


@pytest.fixture(scope="module")
def speech() -> bytes:
    """About a minute of real espeak-ng speech with pauses, as an episode has."""
    engine = create_engine("espeak")
    pcm = b""
    for line in SEED.read_text(encoding="utf-8").splitlines()[10:16]:
        for start in range(0, min(len(line), 270), 90):
            clip = engine.synthesize(line[start : start + 90]).data
            with wave.open(io.BytesIO(clip)) as w:
                pcm += w.readframes(w.getnframes())
            pcm += bytes(2 * (22050 * 350 // 1000))
    return pcm


def measure(pcm: bytes, rate: int, piece: int = 12345) -> float:
    meter = LoudnessMeter(rate)
    for start in range(0, len(pcm), piece * 2):  # uneven pieces, as clips come
        meter.add(pcm[start : start + piece * 2])
    return meter.integrated()


@pytest.mark.parametrize("gain", [1.0, 0.25, 2.5])
def test_agrees_with_ffmpeg_on_speech(speech: bytes, gain: float, tmp_path: Path) -> None:
    samples = np.clip(np.frombuffer(speech, "<i2") * gain, -32768, 32767).astype("<i2")
    pcm = samples.tobytes()
    assert measure(pcm, 22050) == pytest.approx(ebur128(pcm, 22050, tmp_path), abs=0.2)


@pytest.mark.parametrize("rate", [16000, 24000, 44100, 48000])
def test_agrees_at_other_rates(rate: int, tmp_path: Path) -> None:
    t = np.arange(rate * 6) / rate
    # A warble across the K-weighting shelf, with gaps the gate must ignore.
    signal = 0.3 * np.sin(2 * np.pi * (300 + 2500 * (t % 1)) * t) * ((t % 2) < 1.4)
    pcm = (signal * 32767).astype("<i2").tobytes()
    assert measure(pcm, rate) == pytest.approx(ebur128(pcm, rate, tmp_path), abs=0.2)


def test_silence_is_minus_infinity() -> None:
    meter = LoudnessMeter(22050)
    meter.add_silence(22050 * 3)
    assert meter.integrated() == -math.inf
    assert LoudnessMeter(22050).integrated() == -math.inf


def test_pauses_do_not_lower_the_figure(speech: bytes) -> None:
    # The relative gate: long silences between sentences must not make speech "quieter".
    padded = speech + bytes(2 * 22050 * 30)
    assert measure(padded, 22050) == pytest.approx(measure(speech, 22050), abs=0.1)
