"""A speech engine for tests, registered the way a plugin is: it makes real, distinct WAV
audio at once, with no library and no network, and counts what it is asked to say."""

from __future__ import annotations

import io
import math
import re
import time
import wave
from array import array
from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar, Literal

from nashra.core.errors import EngineError
from nashra.core.model import Clip, WordTime
from nashra.engines.base import Engine

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class FakeOptions:
    pitch: int = 220
    """Hz of the tone each word is read as."""
    fail_on: str = ""
    """Any text containing this (when not empty) fails, as a broken engine would."""
    delay_ms: int = 0
    """How long each clip takes, as a slower engine would."""
    words: bool = False
    """Report when each word is said, as engines with word timings do."""


class FakeEngine(Engine):
    """A tone per word: 120 ms of sound and 30 ms of silence, higher for longer words."""

    name: ClassVar[str] = "fake"
    label: ClassVar[str] = "the fake engine"
    description: ClassVar[str] = "tones for tests"
    needs_network: ClassVar[bool] = False
    parallelism: ClassVar[Literal["threads", "processes"]] = "threads"
    Options: ClassVar[type[FakeOptions]] = FakeOptions
    options: FakeOptions

    calls: ClassVar[list[str]] = []
    """Every text any FakeEngine was asked to say in this process."""

    @classmethod
    def check_options(cls, options: FakeOptions) -> None:
        if not 50 <= options.pitch <= 2000:
            raise ValueError("pitch must be between 50 and 2000 Hz")

    def voice_id(self) -> str:
        return f"fake pitch={self.options.pitch}" + (" words" if self.options.words else "")

    def synthesize(self, text: str) -> Clip:
        FakeEngine.calls.append(text)
        time.sleep(self.options.delay_ms / 1000)
        if self.options.fail_on and self.options.fail_on in text:
            raise EngineError(f"the fake engine refuses {text[:20]!r}")
        samples = array("h")
        times: list[WordTime] = []
        for word in text.split():
            start = len(samples) / SAMPLE_RATE
            times.append(WordTime(start, start + 0.12, word))
            tone = self.options.pitch * (1 + min(len(word), 12) / 12)
            for n in range(SAMPLE_RATE * 120 // 1000):
                samples.append(int(8000 * math.sin(2 * math.pi * tone * n / SAMPLE_RATE)))
            samples.extend([0] * (SAMPLE_RATE * 30 // 1000))
        if not samples:
            raise EngineError(f"nothing to say in {text!r}")
        out = io.BytesIO()
        with wave.open(out, "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(SAMPLE_RATE)
            writer.writeframes(samples.tobytes())
        return Clip(out.getvalue(), "wav", tuple(times) if self.options.words else ())


@dataclass(frozen=True)
class PacedOptions(FakeOptions):
    rate: int = 260
    """The speaking rate estimates take (`Engine.speaking_rate`); the tones keep their pace."""


class PacedEngine(FakeEngine):
    """The fake engine with its speaking rate an option, as a plugin would have its own."""

    name: ClassVar[str] = "paced"
    Options: ClassVar[type[PacedOptions]] = PacedOptions
    options: PacedOptions

    def speaking_rate(self) -> float:
        return self.options.rate


@dataclass(frozen=True)
class VoicedOptions(FakeOptions):
    voice: str = "ar-one"
    """One of `VoicedEngine.VOICES`; its language is the part before the dash."""


class VoicedEngine(FakeEngine):
    """The fake engine with voices, as a plugin with a voice option would have them: each
    voice a pitch of its own, its language the start of its name, and a list of voices it
    has (`unknown_voices`), as a service's list would say."""

    name: ClassVar[str] = "voiced"
    voice_option: ClassVar[str | None] = "voice"
    Options: ClassVar[type[VoicedOptions]] = VoicedOptions
    options: VoicedOptions
    VOICES: ClassVar[tuple[str, ...]] = ("ar-one", "ar-two", "en-three")
    said: ClassVar[list[tuple[str, str]]] = []
    """(voice, text) of every clip asked for in this process."""
    lists: ClassVar[list[tuple[str, ...]]] = []
    """The voices each `unknown_voices` call was asked about."""

    @classmethod
    def check_options(cls, options: FakeOptions) -> None:
        super().check_options(options)
        assert isinstance(options, VoicedOptions)
        if not re.fullmatch(r"[a-z]{2}-[a-z]+", options.voice):
            raise ValueError(f"voice must be a name such as ar-one, got {options.voice!r}")

    def voice_id(self) -> str:
        return f"voiced voice={self.options.voice}"

    def voice_locale(self) -> str | None:
        return self.options.voice.split("-")[0]

    def unknown_voices(self, voices: Collection[str]) -> dict[str, str]:
        VoicedEngine.lists.append(tuple(voices))
        return {v: f"no voice {v!r} here" for v in voices if v not in self.VOICES}

    def synthesize(self, text: str) -> Clip:
        VoicedEngine.said.append((self.options.voice, text))
        return super().synthesize(text)
