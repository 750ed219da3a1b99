"""The one small interface every speech engine implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Literal

from nashra.model import Script

AudioFormat = Literal["wav", "mp3"]


@dataclass(frozen=True)
class Clip:
    """Encoded audio for one chunk of text, exactly as the engine made it."""

    data: bytes
    format: AudioFormat


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str = ""
    """Why the engine cannot run here (empty when it can), or what it will use when it can."""


class Engine(ABC):
    """Turns a chunk of prepared Arabic text into audio.

    Subclasses set the class attributes and implement `synthesize`. `voice_id`
    names every setting that changes the sound, so the clip cache never hands
    out a clip made with other settings.
    """

    name: ClassVar[str]
    needs_network: ClassVar[bool]
    max_chars: ClassVar[int]
    """Longest chunk the engine accepts in one call."""
    parallelism: ClassVar[Literal["threads", "processes"]]
    """How independent chunks may run at once: threads for I/O-bound engines,
    processes for engines whose library holds global state."""

    @abstractmethod
    def synthesize(self, text: str) -> Clip:
        """Speak `text` (at most `max_chars` characters); raise `EngineError` on failure."""

    def prepare(self, text: str) -> str:
        """What this engine is really given for `text` (the script's speech).

        Most engines take the script's text as it is; one that needs more
        preparation (espeak-ng needs short vowels) does it here and in
        `prepare_script`, whose result `synthesize` is given.
        """
        return text

    def prepare_script(self, script: Script) -> Script:
        """`script` with each utterance's speech replaced by what this engine is given.

        `synthesize` is then called with that speech, and the clip cache keys on
        it. An engine whose preparation looks beyond one chunk (espeak-ng's
        diacritizer reads the whole sentence) does it here.
        """
        return script

    @abstractmethod
    def voice_id(self) -> str:
        """A stable string naming the voice and every setting that changes the audio."""

    def availability(self) -> Availability:
        """Whether this engine can run here, and why not when it cannot."""
        return Availability(True)
