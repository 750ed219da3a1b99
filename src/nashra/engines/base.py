"""The one small interface every speech engine implements, built-in or plugin.

An engine is a class with a few capability attributes, its own options (a
frozen dataclass whose fields are the keys of its table `[speech.<name>]` in
`podcast.toml`), and one abstract method, `synthesize`. It registers through
the entry-point group `nashra.engines` (see `nashra.engines`); nothing outside
an engine names a particular engine.
"""

from __future__ import annotations

import dataclasses
import io
import wave
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from nashra.core.model import AudioFormat, Clip, Script, voice_name_problem

__all__ = [
    "NEWS_READER_RATE",
    "AudioFormat",
    "Availability",
    "Clip",
    "Engine",
    "NoOptions",
    "Synthesize",
    "label",
    "wav_clip",
    "with_voice",
]

Synthesize = Callable[[str], Clip]

NEWS_READER_RATE = 260
"""An Arabic news reader's pace, about 140 words a minute, as `Engine.speaking_rate` counts."""


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str = ""
    """Why the engine cannot run here (empty when it can), or what it will use when it can."""
    setting: str = ""
    """The key of the engine's `[speech.<name>]` table whose value is why it cannot run
    (a voice it does not have); empty when the engine itself is missing or broken."""

    def problem(self, engine: str) -> str:
        """Why `engine` cannot run, naming the key to change when a setting is the cause."""
        return f"[speech.{engine}] {self.setting}: {self.reason}" if self.setting else self.reason


@dataclass(frozen=True)
class NoOptions:
    """The options of an engine that has none."""


class Engine(ABC):
    """Turns a chunk of prepared Arabic text into audio.

    Subclasses set the class attributes and implement `synthesize` and
    `voice_id`. `voice_id` names every setting that changes the sound, so the
    clip cache never hands out a clip made with other settings. An engine is
    built from its options alone, which are plain and picklable, so worker
    processes (and other machines) can build the same engine.
    """

    name: ClassVar[str]
    """The name users write in `[speech] engine` and `--engine`."""
    label: ClassVar[str] = ""
    """What messages call the engine ("Google", "espeak-ng"); its name when empty."""
    description: ClassVar[str] = ""
    """One line for `nashra engines`."""
    needs_network: ClassVar[bool] = False
    parallelism: ClassVar[Literal["threads", "processes"]] = "threads"
    """How independent chunks may run at once: threads for I/O-bound engines,
    processes for engines whose library holds global state or the GIL."""
    auto_priority: ClassVar[int | None] = None
    """Where the engine stands in `engine = "auto"`: available engines are tried
    from the highest number down (a network engine is tried with one real
    request first); None keeps the engine out of `auto`."""
    Options: ClassVar[type[Any]] = NoOptions
    """A frozen dataclass whose fields, with their defaults, are the keys of
    `[speech.<name>]`. Types are checked and unknown keys refused for the engine;
    `check_options` checks the values."""
    refused_keys: ClassVar[dict[str, str]] = {}
    """Keys `[speech.<name>]` refuses with a message of their own, whatever their value
    (never shown): a secret that belongs in the environment, not in podcast.toml."""
    flat_keys: ClassVar[dict[str, str]] = {}
    """Keys of `[speech]` itself that earlier releases read for this engine → the key
    of its table now; still read, with a warning."""
    paid: ClassVar[bool] = False
    """Whether the service bills what it is sent (by the character): a build says
    beforehand what it will send (`billed_characters`) and what that costs
    (`price_per_million`), and `--max-characters` can refuse it."""

    voice_option: ClassVar[str | None] = None
    """The key of `Options` that names the voice (`voice`): an article's front matter
    `voice:` replaces it for that article (`with_voice`). None for an engine with one
    voice, which an article cannot change."""

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else self.Options()

    @classmethod
    def check_options(cls, options: Any) -> None:
        """Refuse option values this engine cannot use: raise `ValueError` whose
        message starts with the key (`"rate must be …"`); the settings loader
        names the table and the file."""
        return None

    @abstractmethod
    def synthesize(self, text: str) -> Clip:
        """Speak `text` (one request from `plan`); raise `EngineError` on failure."""

    @abstractmethod
    def voice_id(self) -> str:
        """A stable string naming the voice and every setting that changes the audio."""

    def prepare(self, text: str) -> str:
        """What this engine is really given for `text` (the script's speech).

        Most engines take the script's text as it is; one that needs more
        preparation (espeak-ng needs short vowels) does it here, and
        `synthesize` applies it. `nashra plan --speech` shows the result.
        """
        return text

    def phonemes(self, text: str) -> str | None:
        """The phonemes the engine says for `text` (an utterance as `prepare_script`
        gives it), when it can tell (espeak-ng's IPA); None otherwise. For editors
        and tests to read."""
        return None

    def prepare_script(self, script: Script) -> Script:
        """What the engine makes of each utterance of `script`, one for one, before
        `plan` joins or cuts them into requests: `prepare` for each by default.
        `nashra plan --speech` shows it chunk by chunk."""
        return Script(
            utterances=tuple(
                dataclasses.replace(u, speech=self.prepare(u.speech)) for u in script.utterances
            ),
            chapters=script.chapters,
        )

    def plan(self, script: Script, known: Callable[[str], bool] | None = None) -> Script:
        """What the engine is asked to say for `script`: one request per utterance.

        The default asks for each utterance of the script (a sentence, or a
        clause of a sentence cut at its commas). An engine that pays per request
        (Google) packs the script into fewer, fuller requests; `known(text)`
        tells which requests are already voiced, so the packing can reuse them.
        espeak-ng joins a sentence's clauses, the comma pause inside.
        """
        return script

    def price_per_million(self) -> float | None:
        """What a million billed characters cost, in the user's own currency: a paid
        engine's `[speech.<name>] price_per_million`; None when it is not set (no
        price is ever guessed) or the engine is free."""
        return None

    def billed_characters(self, request: str) -> int:
        """The characters the service bills for one request of `plan` as the engine
        sends it: its length by default; a paid engine that wraps or marks up its
        requests counts what its service counts."""
        return len(request)

    def synthesizer(self) -> Synthesize:
        """The function one build calls for each request: `synthesize` itself, or
        wrapped in the engine's rate limits and retries."""
        return self.synthesize

    def max_workers(self, jobs: int) -> int:
        """Requests in flight at once for a build run with `jobs` workers."""
        return jobs

    def worker_setup(self, workers: int) -> None:
        """Called once in each worker process before it synthesizes (e.g. to
        size a library's thread pool so that workers × threads ≤ cores)."""
        return None

    def speaking_rate(self) -> float:
        """How fast the engine speaks with its options, for estimates of an episode's
        length before it is voiced (progress totals, the long-episode warning, `nashra plan`).

        Counted in nominal words a minute as espeak-ng's own `rate` setting counts
        them, the unit `nashra.stages.estimate` is calibrated in: twice the rate,
        half the time. The default is a news reader's pace."""
        return NEWS_READER_RATE

    def voice_locale(self) -> str | None:
        """The language of the voice as a BCP-47 tag (`ar`, `ar-EG`, `en-US`), from what
        the engine knows without a request; None when it cannot tell. `nashra check`
        warns about a voice that is not Arabic."""
        return None

    def unknown_voices(self, voices: Collection[str]) -> dict[str, str]:
        """Of `voices` (values of the voice option), those this engine does not have,
        each with why, found before anything is synthesized: locally, or through the
        service's list of voices, asked once. `EngineError` when it cannot tell (the
        list is out of reach). An engine with one voice has no unknown voice."""
        return {}

    def availability(self) -> Availability:
        """Whether this engine can run here, and why not when it cannot."""
        return Availability(True)

    def probe(self) -> Availability:
        """A real, small request (for `nashra engines --probe`); the same as
        `availability` for engines that need no network."""
        return self.availability()


def label(engine: Engine | type[Engine]) -> str:
    """What messages call `engine`: its label, or its name when it has none."""
    return engine.label or engine.name


def with_voice(engine: Engine, voice: str) -> Engine:
    """`engine` speaking with `voice` in place of its own (an article's front matter
    `voice:`), its options checked as the settings loader checks them: `ValueError`
    saying why when the engine takes no such voice, or has one voice only."""
    key = engine.voice_option
    if key is None:
        raise ValueError(f"{label(engine)} has one voice only: it cannot read with {voice!r}")
    if problem := voice_name_problem(voice):
        raise ValueError(f"voice {problem}")
    if getattr(engine.options, key) == voice:
        return engine
    options = dataclasses.replace(engine.options, **{key: voice})
    type(engine).check_options(options)
    return type(engine)(options)


def wav_clip(pcm: bytes, sample_rate: int) -> Clip:
    """A clip of 16-bit little-endian mono PCM, as a WAV file: what offline engines make."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(pcm)
    return Clip(out.getvalue(), "wav")
