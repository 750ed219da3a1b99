"""The offline engine: eSpeak NG, the one adapter for libespeak-ng and the `espeak-ng` program.

The backend is chosen once per process, in this order:

1. the library and data shipped in the `espeakng-loader` wheel (no system packages needed);
2. the system library (Debian's `libespeak-ng1`), e.g. where the wheel has no build;
3. the `espeak-ng` program on PATH.

libespeak-ng keeps its voice, rate and callback in global state and is not
thread-safe, so a process holds one initialised library, every call into it
takes `_LOCK`, and the engine asks for processes rather than threads. Each clip
is spoken by a library loaded afresh, so that it depends on its text alone
(`espeak_fresh`). Requests are SSML, a sentence's comma clauses in one with
the comma pause inside (`clauses`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
import threading
from array import array
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import ClassVar, Literal

from nashra.core.errors import EngineError, EngineUnavailable
from nashra.core.model import Clip, Script, WordTime
from nashra.engines.base import Availability, Engine, wav_clip
from nashra.engines.espeak import clauses, events, program
from nashra.engines.espeak import fresh as espeak_fresh
from nashra.engines.espeak import spelling as espeak_spelling
from nashra.engines.espeak.backend import Backend, find_backend
from nashra.text import diacritize

log = logging.getLogger(__name__)


# Values from espeak-ng's speak_lib.h (API revision 12).
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # without it a missing data folder calls exit() in our process
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_SSML = 0x10
_RATE = 1
_PITCH = 3
_EE_OK = 0
_EE_NOT_FOUND = 2
_PHONEMES_IPA = 0x02
_PHONEME_SEPARATOR = ord("_") << 8  # bits 8-23: the character put between phonemes

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Library:
    """One loaded and initialised libespeak-ng. Call its methods only while holding `_LOCK`."""

    def __init__(self, backend: Backend) -> None:
        try:
            lib = ctypes.CDLL(backend.location)
        except OSError as exc:
            raise EngineUnavailable(f"cannot load {backend.describe()}: {exc}") from exc
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.c_int,
            ctypes.c_int,
        ]
        espeak_fresh.declare(lib)
        self._lib = lib
        self.version = (lib.espeak_Info(None) or b"unknown").decode("ascii", "replace")
        data = backend.data_path.encode() if backend.data_path else None
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, _INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise EngineUnavailable(
                f"{backend.describe()} failed to initialise (data folder: "
                f"{backend.data_path or 'built-in default'}); reinstall espeak-ng or its data"
            )
        self.sample_rate = rate
        espeak_fresh.seed(lib)
        self.fresh = True
        """Nothing said and no settings changed since it was loaded."""
        self.spoke = False
        """Whether `synthesize` has run: it leaves SSML on, which phonemes would read too."""
        self._pieces: list[bytes] = []
        self._marks: list[events.Mark] = []
        # The library calls back through this object; it must live as long as the library does.
        self._callback = _SynthCallback(self._collect)
        lib.espeak_SetSynthCallback(self._callback)
        self._voice: str | None = None
        self._rate: int | None = None
        self._pitch: int | None = None

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, marks: int | None) -> int:
        if wav and count > 0:
            self._pieces.append(ctypes.string_at(wav, count * 2))
        events.read(marks, self._marks)
        return 0  # 0 = go on

    def fresh_for(self, voice: str, rate: int, pitch: int) -> bool:
        """Whether this library is as one just loaded and given these settings would be."""
        settings = ((self._voice, voice), (self._rate, rate), (self._pitch, pitch))
        return self.fresh and all(mine in (None, wanted) for mine, wanted in settings)

    def use_voice(self, voice: str, rate: int, pitch: int = 50) -> None:
        if (self._voice, self._rate, self._pitch) not in ((None, None, None), (voice, rate, pitch)):
            self.fresh = False
        if voice != self._voice:
            result = self._lib.espeak_SetVoiceByName(espeak_fresh.voice_name(voice))
            self.fresh = self.fresh and result == _EE_OK
            if result == _EE_NOT_FOUND:
                raise EngineError(
                    f"espeak-ng has no voice {voice!r}; use `ar`, or a variant such as "
                    "`ar+m3` or `ar+f3` (voice in [speech.espeak] in podcast.toml)"
                )
            if result != _EE_OK:
                raise EngineError(f"espeak-ng could not select voice {voice!r} (error {result})")
            espeak_fresh.remember_voice(self._lib, voice)
            self._voice = voice
            # A new voice resets the rate and pitch to its own defaults.
            self._rate = self._pitch = None
        if rate != self._rate:
            result = self._lib.espeak_SetParameter(_RATE, rate, 0)
            if result != _EE_OK:
                raise EngineError(f"espeak-ng refused rate {rate} (error {result})")
            self._rate = rate
        if pitch != self._pitch:
            result = self._lib.espeak_SetParameter(_PITCH, pitch, 0)
            if result != _EE_OK:
                raise EngineError(f"espeak-ng refused pitch {pitch} (error {result})")
            self._pitch = pitch

    def phonemes(self, text: str) -> str:
        """IPA for `text`: phonemes joined by `_`, words by spaces, clauses by newlines."""
        self.fresh = False
        buffer = ctypes.create_string_buffer(text.encode("utf-8") + b"\0")
        position = ctypes.c_void_p(ctypes.addressof(buffer))
        clauses: list[str] = []
        # Each call reads one clause and moves `position` on; it is NULL at the end.
        while position.value:
            result = self._lib.espeak_TextToPhonemes(
                ctypes.byref(position), _CHARS_UTF8, _PHONEMES_IPA | _PHONEME_SEPARATOR
            )
            clauses.append((result or b"").decode("utf-8", "replace").strip())
        return "\n".join(clause for clause in clauses if clause)

    def synthesize(self, text: str) -> bytes:
        """Native-endian 16-bit mono PCM for `text`, read as SSML."""
        return self.said(text)[0]

    def said(self, text: str) -> tuple[bytes, tuple[WordTime, ...]]:
        """`synthesize`, and when each of the request's words is said (`events`)."""
        encoded = text.encode("utf-8") + b"\0"
        self.fresh = False
        self.spoke = True
        self._pieces, self._marks = [], []
        try:
            flags = _CHARS_UTF8 | _SSML
            result = self._lib.espeak_Synth(
                encoded, len(encoded), 0, _POS_CHARACTER, 0, flags, None, None
            )
            pcm = b"".join(self._pieces)
            marks = self._marks
        finally:
            self._pieces, self._marks = [], []
        if result != _EE_OK:
            raise EngineError(f"espeak-ng failed on {text[:40]!r} (error {result})")
        duration = len(pcm) / 2 / self.sample_rate
        return pcm, events.word_times(text, marks, duration)


_LOCK = threading.Lock()
_backend: Backend | str | None = None
_library: _Library | None = None


def _reset_lock_after_fork() -> None:
    # A fork taken while another thread held the lock would leave the child's copy held forever.
    global _LOCK
    _LOCK = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock_after_fork)


def _current_backend() -> Backend | str:
    global _backend
    if _backend is None:
        _backend = find_backend()
        if isinstance(_backend, Backend):
            log.debug("espeak-ng backend: %s", _backend.describe())
    return _backend


def _require_backend() -> Backend:
    backend = _current_backend()
    if isinstance(backend, str):
        raise EngineUnavailable(f"espeak-ng is not available: {backend}")
    return backend


def _loaded_library(backend: Backend) -> _Library:
    """The process's library, loaded on first use. Hold `_LOCK` when calling this."""
    global _library
    if _library is None:
        _library = _Library(backend)
        log.debug("espeak-ng %s ready at %d Hz", _library.version, _library.sample_rate)
    return _library


def _fresh_library(backend: Backend, voice: str, rate: int, pitch: int) -> _Library:
    """The process's library as just loaded, with these settings: one that has spoken
    or changed its settings is unloaded and loaded again. Hold `_LOCK`."""
    global _library
    if _library is not None and not _library.fresh_for(voice, rate, pitch):
        used, _library = _library, None
        espeak_fresh.unload(used._lib)
    library = _loaded_library(backend)
    library.use_voice(voice, rate, pitch)
    return library


@dataclass(frozen=True)
class EspeakOptions:
    """`[speech.espeak]` in podcast.toml."""

    voice: str = "ar"
    """espeak-ng voice: `ar`, or a variant such as `ar+m3` or `ar+f3`."""
    rate: int = 260
    """espeak-ng's speed setting; 260 reads Arabic news at about 140 words a minute
    (espeak-ng counts short words: 150 read at 81)."""
    pitch: int = 50
    """0 to 100; 50 is the voice's own."""


class EspeakEngine(Engine):
    """Arabic speech from eSpeak NG: robotic but intelligible, fast, and fully offline."""

    name: ClassVar[str] = "espeak"
    label: ClassVar[str] = "espeak-ng"
    description: ClassVar[str] = "eSpeak NG's Arabic voice (offline)"
    needs_network: ClassVar[bool] = False
    max_chars: ClassVar[int] = 3000
    """Longest request taken in one call, markup included: a request holds at most 300
    characters of the script's speech, under 1000 once vowelled, and each `&`, `<` or
    `>` in it is escaped as five."""
    parallelism: ClassVar[Literal["threads", "processes"]] = "processes"
    auto_priority: ClassVar[int | None] = 0
    voice_option: ClassVar[str | None] = "voice"
    flat_keys: ClassVar[dict[str, str]] = {"espeak_voice": "voice", "espeak_rate": "rate"}
    Options: ClassVar[type[EspeakOptions]] = EspeakOptions
    options: EspeakOptions

    def __init__(self, options: EspeakOptions | None = None) -> None:
        # Only plain settings live here, so the engine pickles into worker processes; the
        # library is loaded there on first use.
        super().__init__(options)
        self.voice = self.options.voice
        self.rate = self.options.rate
        self.pitch = self.options.pitch

    @classmethod
    def check_options(cls, options: EspeakOptions) -> None:
        if not options.voice.strip():
            raise ValueError("voice must name an espeak-ng voice, such as `ar`")
        if not 80 <= options.rate <= 450:
            raise ValueError("rate must be between 80 and 450 words per minute")
        if not 0 <= options.pitch <= 100:
            raise ValueError("pitch must be between 0 and 100")

    def speaking_rate(self) -> float:
        return self.options.rate

    def availability(self) -> Availability:
        backend = _current_backend()
        if isinstance(backend, str):
            return Availability(False, backend)
        if backend.kind == "program":
            return Availability(True, f"uses {backend.describe()}")
        try:
            with _LOCK:
                library = _loaded_library(backend)
        except EngineError as exc:
            return Availability(False, str(exc))
        try:
            with _LOCK:
                library.use_voice(self.voice, self.rate, self.pitch)
        except EngineError as exc:
            # espeak-ng runs; what it refuses is the project's voice (rate and pitch
            # are range-checked with the settings).
            return Availability(False, str(exc), setting="voice")
        return Availability(True, f"espeak-ng {library.version}, {backend.describe()}")

    def voice_locale(self) -> str | None:
        """The language the library says the voice speaks (`ar+m3`: ar); with the program
        alone, the language its name starts with."""
        backend = _current_backend()
        if isinstance(backend, str):
            return None
        if backend.kind == "program":
            return espeak_fresh.language_of_name(self.voice)
        try:
            with _LOCK:
                library = _loaded_library(backend)
                library.use_voice(self.voice, self.rate, self.pitch)
                return espeak_fresh.language(library._lib)
        except EngineError:
            return None

    def unknown_voices(self, voices: Collection[str]) -> dict[str, str]:
        """The voices the library cannot select (with the program alone, none is known
        to be missing: the program says so at its first clip)."""
        backend = _require_backend()
        if backend.kind == "program":
            return {}
        unknown: dict[str, str] = {}
        with _LOCK:
            library = _loaded_library(backend)
            for voice in voices:
                try:
                    library.use_voice(voice, self.rate, self.pitch)
                except EngineError as exc:
                    unknown[voice] = str(exc)
        return unknown

    def voice_id(self) -> str:
        backend = _require_backend()
        if backend.kind == "program":
            version = program.version(backend.location)
        else:
            with _LOCK:
                version = _loaded_library(backend).version
        return (
            f"espeak-ng {version} {backend.kind} voice={self.voice} rate={self.rate}"
            + (f" pitch={self.pitch}" if self.pitch != 50 else "")
            + f" diacritizer={diacritize.version()} spelling={espeak_spelling.VERSION}"
            + f" requests={clauses.VERSION}"
        )

    def prepare(self, text: str) -> str:
        """The text with short vowels added (espeak-ng drops them from bare Arabic),
        respelled where espeak-ng misreads vowelled text, with pause forms before pauses."""
        return espeak_spelling.for_espeak(diacritize.diacritize(text))

    def phonemes(self, text: str) -> str | None:
        """How espeak-ng says `text` (already prepared), in IPA."""
        return phonemes(text, self.voice)

    def prepare_script(self, script: Script) -> Script:
        """`prepare` for every utterance, the chunks of a sentence diacritized together."""
        return espeak_spelling.prepare_script(script)

    def plan(self, script: Script, known: Callable[[str], bool] | None = None) -> Script:
        """The prepared script as SSML requests, a sentence's comma clauses joined with
        the comma pause inside (`clauses.joined`): what espeak-ng is given, and what
        its clips are cached by."""
        return clauses.joined(script, self.prepare_script(script), longest=self.max_chars)

    def synthesize(self, text: str) -> Clip:
        if len(text) > self.max_chars:
            raise EngineError(
                f"espeak-ng was given {len(text)} characters; chunks hold at most {self.max_chars}"
            )
        if "\0" in text:
            raise EngineError("text for espeak-ng contains a NUL character")
        backend = _require_backend()
        words: tuple[WordTime, ...] = ()  # the program reports none
        if backend.kind == "program":
            wav, pcm = program.speak(backend.location, text, self.voice, self.rate, self.pitch)
            _require_speech(pcm, text)
        else:
            with _LOCK:
                library = _fresh_library(backend, self.voice, self.rate, self.pitch)
                pcm, words = library.said(text)
                sample_rate = library.sample_rate
            _require_speech(pcm, text)
            wav = wav_clip(_little_endian(pcm), sample_rate).data
        return Clip(wav, "wav", words)


def phonemes(text: str, voice: str = "ar") -> str:
    """How espeak-ng would pronounce `text`, in IPA (phonemes joined by `_`, words by spaces).

    For measuring and reviewing pronunciation; needs the library (not the program).
    """
    backend = _require_backend()
    if backend.kind == "program":
        raise EngineUnavailable("phonemes need libespeak-ng, not only the espeak-ng program")
    global _library
    with _LOCK:
        if _library is not None and _library.spoke:
            # Speaking left SSML on, a global of the library's that phonemes read too.
            used, _library = _library, None
            espeak_fresh.unload(used._lib)
        library = _loaded_library(backend)
        library.use_voice(voice, 175)
        return library.phonemes(text)


def _require_speech(pcm: bytes, text: str) -> None:
    # Text with nothing to pronounce (empty, spaces, punctuation) still yields a few
    # milliseconds of exact zeros; a clip of pure silence is a failure, not speech.
    if not pcm.strip(b"\0"):
        raise EngineError(
            f"espeak-ng made no speech for {text[:40]!r}; is there anything to pronounce in it?"
        )


def _little_endian(pcm: bytes) -> bytes:
    if sys.byteorder == "big":  # WAV is little-endian; the library hands over native samples
        samples = array("h", pcm)
        samples.byteswap()
        return samples.tobytes()
    return pcm
