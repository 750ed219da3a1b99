import io
import math
import re
import struct
import subprocess
import wave
from pathlib import Path

import pytest

from nashra.core.errors import AudioError
from nashra.core.model import Clip
from nashra.render import audio
from nashra.render.tagging import mp3_facts


def tone_wav(
    seconds: float,
    rate: int = 22050,
    freq: float = 440.0,
    *,
    amplitude: int = 8000,
    clicks: bool = False,
) -> bytes:
    """A sine tone; with `clicks`, a near-full-scale spike every second (a crest to limit)."""

    def sample(i: int) -> int:
        if clicks and i % rate == rate // 2:
            return 32000
        return int(amplitude * math.sin(2 * math.pi * freq * i / rate))

    samples = b"".join(struct.pack("<h", sample(i)) for i in range(int(seconds * rate)))
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
    with audio.assembled(clips, lead_in_ms=300) as result:
        assert result.starts == pytest.approx((0.3, 1.8), abs=0.001)
        assert result.ends == pytest.approx((1.3, 2.3), abs=0.001)
        assert result.duration == pytest.approx(2.3, abs=0.01)
        assert result.frame_rate == 22050
        assert result.pcm.stat().st_size == result.frames * 2
        assert 7900 <= result.peak <= 8000  # the tone's amplitude
        pcm = result.pcm
    assert not pcm.exists(), "the spooled PCM is removed with the block"


def test_assemble_mixes_rates_and_formats() -> None:
    clips = [(Clip(tone_wav(1.0), "wav"), 0), (Clip(tone_mp3(1.0), "mp3"), 0)]
    with audio.assembled(clips, lead_in_ms=0) as result:
        assert result.frame_rate == 22050
        # MP3 decoders add encoder padding, so allow a few tens of milliseconds.
        assert result.duration == pytest.approx(2.0, abs=0.1)


def test_nothing_to_assemble() -> None:
    with pytest.raises(AudioError, match="no speech"), audio.assembled([]):
        pass


def test_garbage_clip_is_an_audio_error() -> None:
    garbage = [(Clip(b"not audio at all", "wav"), 0)]
    with pytest.raises(AudioError, match="cannot decode"), audio.assembled(garbage):
        pass


def test_export_is_mono_cbr_podcast_mp3(tmp_path: Path) -> None:
    out = tmp_path / "ep.mp3"
    with audio.assembled([(Clip(tone_wav(3.0), "wav"), 0)], lead_in_ms=0) as result:
        audio.export_mp3(result, out, bitrate="96k", sample_rate=44100)
    facts = mp3_facts(out)
    assert facts.channels == 1
    assert facts.sample_rate == 44100
    assert abs(facts.bitrate - 96000) <= 500  # mutagen derives it from the Xing frame count
    assert facts.duration == pytest.approx(3.0, abs=0.1)


def test_export_names_no_encoder_version(tmp_path: Path) -> None:
    # The same samples give the same MP3 bytes on a worker whose ffmpeg is a
    # different build: the Info frame says "Lavf", not "Lavc63.1.100".
    out = tmp_path / "ep.mp3"
    with audio.assembled([(Clip(tone_wav(1.0), "wav"), 0)], lead_in_ms=0) as result:
        audio.export_mp3(result, out, bitrate="96k", sample_rate=44100)
    data = out.read_bytes()
    assert b"Info" in data[:1000]
    assert not re.search(rb"Lav[cf]\d", data)


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of a file, measured by ffmpeg on its own."""
    done = subprocess.run(
        [audio.ffmpeg_path(), "-hide_banner", "-nostats", "-i", str(path),
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = done.stderr.rpartition("Summary:")[2]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary)
    assert integrated and peak
    return float(integrated.group(1)), float(peak.group(1))


@pytest.mark.parametrize(
    ("amplitude", "crest"),
    [(800, False), (8000, False), (3000, True), (30000, False)],
    ids=["quiet", "loud", "quiet-with-peaks", "near-full-scale"],
)
def test_loudness_reaches_the_target_with_peaks_under_the_limit(
    tmp_path: Path, amplitude: int, crest: bool
) -> None:
    wav = tone_wav(8.0, amplitude=amplitude, clicks=crest)
    out = tmp_path / "ep.mp3"
    with audio.assembled([(Clip(wav, "wav"), 0)], lead_in_ms=0) as result:
        audio.export_mp3(result, out, bitrate="96k", sample_rate=44100, loudness=-19.0)
    integrated, true_peak = ebur128(out)
    assert -20.0 <= integrated <= -18.0
    assert true_peak <= audio.TRUE_PEAK_LIMIT


def test_silence_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "ep.mp3"
    with audio.assembled([(Clip(tone_wav(2.0, amplitude=0), "wav"), 0)]) as result:
        assert result.loudness == float("-inf")
        assert audio.loudness_filters(result, result.loudness, -19.0) == []
        audio.export_mp3(result, out, bitrate="96k", sample_rate=44100, loudness=-19.0)
    assert mp3_facts(out).duration == pytest.approx(2.3, abs=0.1)
