"""The `espeak-ng` program, the backend of last resort: one run per clip, a WAV file out.

It reads its text as SSML (`-m`), as the engine gives the library its requests.

Only `nashra.engines.espeak.engine` uses this.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import wave
from pathlib import Path

from nashra.core.errors import EngineError, EngineUnavailable

_PROGRAM_TIMEOUT = 120.0  # seconds; a 500-character chunk takes well under one

_version: str | None = None


def version(program: str) -> str:
    """The program's version ("1.51"), asked once per process."""
    global _version
    if _version is None:
        try:
            done = subprocess.run(
                [program, "--version"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineUnavailable(f"cannot run {program} --version: {exc}") from exc
        # "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/x86_64-linux-gnu/espeak-ng-data"
        output = done.stdout.decode("utf-8", "replace")
        match = re.search(r"text-to-speech:\s*(\S+)", output)
        _version = match.group(1) if match else output.strip() or "unknown"
    return _version


def speak(program: str, text: str, voice: str, rate: int, pitch: int) -> tuple[bytes, bytes]:
    """Run `program` on `text` (SSML): the WAV file it wrote, and its 16-bit mono PCM."""
    with tempfile.TemporaryDirectory(prefix="nashra-espeak-") as tmp:
        text_file = Path(tmp) / "chunk.txt"
        wav_file = Path(tmp) / "chunk.wav"
        text_file.write_text(text, encoding="utf-8")
        args = [program, "-v", voice, "-s", str(rate), "-p", str(pitch)]
        args += ["-b", "1", "-m"]
        args += ["-w", str(wav_file), "-f", str(text_file)]
        try:
            done = subprocess.run(args, capture_output=True, timeout=_PROGRAM_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"running {program} failed: {exc}") from exc
        stderr = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0:
            raise EngineError(
                f"{program} exited with status {done.returncode}: {stderr or 'no message'}"
            )
        try:
            data = wav_file.read_bytes()
        except FileNotFoundError:
            data = b""
    try:
        with wave.open(io.BytesIO(data)) as reader:
            shape = (reader.getnchannels(), reader.getsampwidth())
            pcm = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as exc:
        raise EngineError(
            f"{program} wrote no readable WAV for {text[:40]!r}: {stderr or exc}"
        ) from exc
    if shape != (1, 2):
        raise EngineError(f"{program} wrote {shape[0]}-channel {8 * shape[1]}-bit audio")
    return data, pcm
