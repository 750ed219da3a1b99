"""Piper neural voices: the one adapter for `piper-tts` (an optional extra: `nashra[piper]`).

A Piper voice is a VITS model (`.onnx`) run by onnxruntime on the CPU, with a
config (`.onnx.json`) naming its language, sample rate and the phoneme map its
model was trained on. Piper phonemizes with its own bundled espeak-ng, so an
Arabic voice is given the same diacritized text as the espeak engine
(`prepare_script` is `espeak.spelling.prepare_script`: short vowels, and the
spelling fixes that make espeak-ng read vowelled Arabic right) and Piper's own
diacritizer is switched off. Its requests are the script's utterances: a
sentence cut at its commas is said a clause at a time, the comma pause between.

A phoneme missing from the voice's map is silently dropped by Piper; the
engine finds the words that hold such phonemes and warns about each one once.

`piper` is imported only when a voice is loaded, so nashra works without the extra.
Each process loads a voice once and keeps it; in a pool of worker processes
`worker_setup` first limits onnxruntime's threads so workers x threads <= cores.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar, Literal

from nashra.core.errors import EngineError, EngineUnavailable
from nashra.core.model import Script
from nashra.engines.base import NEWS_READER_RATE, Availability, Clip, Engine, wav_clip
from nashra.engines.espeak import spelling as espeak_spelling
from nashra.engines.piper import alignment, voices
from nashra.engines.piper.phonemes import (
    _WORD_RE,
    DroppedWord,
    dropped_words,
    missing_phonemes,
)
from nashra.text import diacritize

log = logging.getLogger(__name__)

_ARABIC_ESPEAK_VOICES = frozenset({"ar"})


@dataclass(frozen=True)
class PiperOptions:
    """The `[speech.piper]` table of podcast.toml. None means "the voice's own setting"."""

    voice: str = "ar_JO-kareem-medium"
    """An installed voice's name (`nashra voices list`) or the path of an `.onnx` file."""
    speaker: int | None = None
    """Speaker number, for voices with several speakers."""
    length_scale: float | None = None
    """Pace: above 1 slower, below 1 faster."""
    noise_scale: float | None = None
    """Variation in the voice's sound."""
    noise_w: float | None = None
    """Variation in phoneme length."""
    sentence_silence: float = 0.0
    """Seconds of silence after each sentence inside a chunk."""
    word_timings: bool = True
    """Report when each word is said, from the model's phoneme durations (needs the
    onnx package, in the piper extra); the audio is the same either way."""


def piper_version() -> str | None:
    try:
        return metadata.version("piper-tts")
    except metadata.PackageNotFoundError:
        return None


# ------------------------------------------------------------------------- per process

_LOCK = threading.Lock()
_threads: int | None = None
"""onnxruntime threads per voice session in this process; None leaves onnxruntime's default."""
_loaded: dict[tuple[Path, int | None, bool], Any] = {}
_digests: dict[tuple[Path, int, int], str] = {}


def _forget_after_fork() -> None:
    # A forked worker has none of its parent's onnxruntime threads, so a session loaded
    # by the parent would wait for them forever; and a lock held by another thread at
    # the fork would stay held. The worker loads its own voice.
    global _LOCK
    _LOCK = threading.Lock()
    _loaded.clear()


os.register_at_fork(after_in_child=_forget_after_fork)


def threads_for(workers: int, cores: int | None = None) -> int:
    """onnxruntime threads per worker so that workers x threads <= cores (at least one)."""
    cores = cores or os.cpu_count() or 1
    return max(1, cores // max(1, workers))


def _load(model: Path, config: Path, timed: str | None = None) -> Any:
    """The process's PiperVoice for `model`, loaded once, with Piper's diacritizer off;
    given the model's SHA-256 as `timed`, with its phoneme durations (`alignment`)."""
    key = (model, _threads, timed is not None)
    with _LOCK:
        voice = _loaded.get(key)
        if voice is not None:
            return voice
        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig
        except ImportError as exc:
            raise EngineUnavailable(
                "piper-tts is not installed; install it with pip install 'nashra[piper]'"
            ) from exc
        options = onnxruntime.SessionOptions()
        if _threads is not None:
            options.intra_op_num_threads = _threads
            options.inter_op_num_threads = 1
        source = (alignment.timed_model(model, timed) if timed else None) or str(model)
        try:
            session = onnxruntime.InferenceSession(
                source, sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own unrelated exception types
            raise EngineError(f"{model}: onnxruntime cannot load this voice model ({exc})") from exc
        voice = PiperVoice(
            session=session, config=PiperConfig.from_dict(voices.read_config(config))
        )
        voice.use_tashkeel = False  # nashra diacritizes (and fixes the spelling) itself
        _loaded[key] = voice
        log.debug("piper voice %s loaded (threads: %s)", model.name, _threads or "default")
        return voice


_espeak: Any = None


def _phonemizer() -> Any:
    """Piper's espeak-ng phonemizer, started once per process. Hold `_LOCK`."""
    global _espeak
    if _espeak is None:
        try:
            from piper.phonemize_espeak import EspeakPhonemizer
        except ImportError as exc:
            raise EngineUnavailable(
                "piper-tts is not installed; install it with pip install 'nashra[piper]'"
            ) from exc
        _espeak = EspeakPhonemizer()
    return _espeak


def file_digest(path: Path) -> str:
    """The SHA-256 of a voice file, computed once per process for each size and mtime."""
    stat = path.stat()
    key = (path, stat.st_size, stat.st_mtime_ns)
    with _LOCK:
        digest = _digests.get(key)
    if digest is None:
        digest = voices.sha256_file(path)
        with _LOCK:
            _digests[key] = digest
    return digest


# ------------------------------------------------------------------------- the engine


class PiperEngine(Engine):
    """Natural offline speech from a Piper neural voice (downloaded once by the user)."""

    name: ClassVar[str] = "piper"
    label: ClassVar[str] = "Piper"
    description: ClassVar[str] = (
        "a Piper neural voice (offline; install one with `nashra voices add`)"
    )
    needs_network: ClassVar[bool] = False
    max_chars: ClassVar[int] = 1000
    """Longest text taken in one call, vowelled as `plan` gives it; scripts cut sentences
    far shorter, and long ones reach the model in pieces (`split_phonemes`)."""
    parallelism: ClassVar[Literal["threads", "processes"]] = "processes"
    auto_priority: ClassVar[int | None] = None
    voice_option: ClassVar[str | None] = "voice"
    Options: ClassVar[type[PiperOptions]] = PiperOptions
    options: PiperOptions

    def __init__(self, options: PiperOptions | None = None) -> None:
        # Plain options only, so the engine pickles into worker processes; the voice is
        # resolved and loaded there on first use.
        super().__init__(options)
        self._voice_files: voices.InstalledVoice | None = None
        self._warned: set[str] = set()

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self.options, "_voice_files": self._voice_files, "_warned": set()}

    # -- settings

    @classmethod
    def check_options(cls, options: PiperOptions) -> None:
        if not options.voice.strip():
            raise ValueError(
                "voice must name an installed voice (`nashra voices list`) or an .onnx file"
            )
        if options.speaker is not None and options.speaker < 0:
            raise ValueError(f"speaker must be a speaker number (0 or more), not {options.speaker}")
        for key in ("length_scale", "noise_scale", "noise_w"):
            value = getattr(options, key)
            if value is not None and not 0 <= value <= 10:
                raise ValueError(f"{key} must be between 0 and 10 (the voice's own is about 1)")
        if options.length_scale is not None and options.length_scale <= 0:
            raise ValueError("length_scale must be above 0 (1 is the voice's own pace)")
        if not 0 <= options.sentence_silence <= 10:
            raise ValueError("sentence_silence must be between 0 and 10 seconds")
        try:
            found = voices.find_voice(options.voice)
        except voices.VoiceError:
            # Not installed (yet): a problem only when Piper is used, which its
            # availability says; a project voicing with another engine still runs.
            return
        speakers = int(voices.read_config(found.config).get("num_speakers", 1))
        if options.speaker is not None and options.speaker >= speakers:
            raise ValueError(
                f"speaker: voice {found.name} has {speakers} speaker(s), numbered from 0"
            )

    # -- the voice

    def voice_files(self) -> voices.InstalledVoice:
        if self._voice_files is None:
            try:
                self._voice_files = voices.find_voice(self.options.voice)
            except voices.VoiceError as exc:
                raise EngineUnavailable(f"Piper: {exc}") from exc
        return self._voice_files

    def config(self) -> dict[str, Any]:
        return voices.read_config(self.voice_files().config)

    def is_arabic(self) -> bool:
        """Whether the voice phonemizes as Arabic; a voice not installed yet counts as
        Arabic (nashra's default and catalogue voices are), so `nashra plan --speech`
        can still show what it would be given."""
        try:
            config = self.config()
        except (EngineUnavailable, voices.VoiceError):
            return True
        espeak = config.get("espeak", {})
        return isinstance(espeak, dict) and espeak.get("voice") in _ARABIC_ESPEAK_VOICES

    def voice_locale(self) -> str | None:
        """The language its config names (`language.code`, `en_US` as `en-US`; else the
        espeak-ng voice it phonemizes with); None while the voice is not installed."""
        try:
            language = voices.find_voice(self.options.voice).language
        except voices.VoiceError:
            return None
        return None if language == "?" else language.replace("_", "-")

    def unknown_voices(self, names: Collection[str]) -> dict[str, str]:
        """The voices not installed in the voice folder (or not readable)."""
        unknown: dict[str, str] = {}
        for name in names:
            try:
                voices.find_voice(name)
            except voices.VoiceError as exc:
                unknown[name] = str(exc)
        return unknown

    def _voice(self) -> Any:
        files = self.voice_files()
        timed = file_digest(files.model) if self.asks_words() else None
        return _load(files.model, files.config, timed)

    def asks_words(self) -> bool:
        """Whether clips are made with word timings: asked for, and onnx installed (else
        said once, where the build computes the voice id, before any worker starts)."""
        if self.options.word_timings and not alignment.can_align():
            alignment.warn_once(alignment.NO_ONNX)
            return False
        return self.options.word_timings

    # -- the contract

    def speaking_rate(self) -> float:
        """A news reader's pace at the voice's own length scale (taken as 1: not
        measured here), faster as `length_scale` shortens each phoneme."""
        return NEWS_READER_RATE / (self.options.length_scale or 1.0)

    def availability(self) -> Availability:
        version = piper_version()
        if version is None:
            return Availability(False, "piper-tts is not installed (pip install 'nashra[piper]')")
        try:
            files = voices.find_voice(self.options.voice)
        except voices.VoiceError as exc:
            return Availability(False, str(exc), setting="voice")
        return Availability(
            True,
            f"piper-tts {version}, voice {files.name} ({files.language}, {files.quality},"
            f" {files.sample_rate} Hz)",
        )

    def voice_id(self) -> str:
        files = self.voice_files()
        options = self.options
        parts = [
            f"piper-tts {piper_version() or 'missing'}",
            f"voice={files.name}",
            f"model={file_digest(files.model)}",
            f"config={file_digest(files.config)}",
            f"speaker={options.speaker}",
            f"length_scale={options.length_scale}",
            f"noise_scale={options.noise_scale}",
            f"noise_w={options.noise_w}",
            f"sentence_silence={options.sentence_silence}",
        ]
        if self.asks_words():
            # The same audio, but clips cached without words are made again with them.
            parts.append("words")
        if self.is_arabic():
            parts.append(f"diacritizer={diacritize.version()} spelling={espeak_spelling.VERSION}")
        return " ".join(parts)

    def prepare(self, text: str) -> str:
        """For an Arabic voice, what espeak-ng is given: short vowels added, respelled
        where espeak-ng misreads vowelled text (Piper phonemizes with espeak-ng); else as is."""
        if self.is_arabic():
            return espeak_spelling.for_espeak(diacritize.diacritize(text))
        return text

    def prepare_script(self, script: Script) -> Script:
        """For an Arabic voice, the script prepared exactly as for espeak-ng (the chunks
        of a sentence diacritized together); else the script as it is."""
        if self.is_arabic():
            return espeak_spelling.prepare_script(script)
        return script

    def plan(self, script: Script, known: Callable[[str], bool] | None = None) -> Script:
        """The prepared script, a request per utterance (`prepare_script`)."""
        return self.prepare_script(script)

    def phonemes(self, text: str) -> str | None:
        """Piper's phonemes for `text` (as `plan` gives it), a line per sentence; None
        while the voice is not installed (its config names the phonemizer's language)."""
        try:
            sentences = self.phonemize(text)
        except (EngineUnavailable, voices.VoiceError):
            return None
        return "\n".join("".join(sentence) for sentence in sentences)

    def worker_setup(self, workers: int) -> None:
        """Give each worker's onnxruntime session its share of the cores."""
        global _threads
        _threads = threads_for(workers)

    def synthesize(self, text: str) -> Clip:
        if len(text) > self.max_chars:
            raise EngineError(
                f"Piper was given {len(text)} characters; chunks hold at most {self.max_chars}"
            )
        prepared = text  # `plan` prepared it
        voice = self._voice()
        from piper.config import SynthesisConfig

        options = self.options
        syn = SynthesisConfig(
            speaker_id=options.speaker,
            length_scale=options.length_scale,
            noise_scale=options.noise_scale,
            noise_w_scale=options.noise_w,
        )
        rate = int(voice.config.sample_rate)
        silence = b"\0\0" * round(options.sentence_silence * rate)
        timed = len(voice.session.get_outputs()) > 1
        sentences: list[bytes] = []
        heard: list[str] = []
        spans: list[alignment.Span] | None = []
        at = 0  # samples so far
        try:
            for sentence in self.phonemize(prepared):
                heard.extend(sentence)
                at += len(silence) // 2 if sentences else 0
                pieces, said = alignment.say(voice, sentence, syn, timed, at)
                spans = None if spans is None or said is None else spans + said
                sentences.append(b"".join(_int16(samples) for samples in pieces))
                at += sum(len(samples) for samples in pieces)
        except Exception as exc:  # piper and onnxruntime raise many unrelated types
            raise EngineError(f"Piper failed on {text[:40]!r}: {exc}") from exc
        # No silence after the last sentence: nashra adds its own pauses between clips.
        pcm = silence.join(sentences)
        if not pcm.strip(b"\0"):
            raise EngineError(
                f"Piper made no speech for {text[:40]!r}; is there anything to pronounce in it?"
            )
        if missing_phonemes(heard, voice.config.phoneme_id_map):
            self._warn_dropped(prepared)
        clip = wav_clip(pcm, rate)
        if not spans:
            return clip
        return Clip(
            clip.data, clip.format, alignment.word_times(prepared, spans, rate, self.phonemize)
        )

    # -- the phoneme check

    def phonemize(self, text: str) -> list[list[str]]:
        """Piper's phonemes for `text` (already prepared), one list per sentence, from
        Piper's own espeak-ng, without loading the voice's model."""
        config = self.config()
        espeak = config.get("espeak", {})
        language = espeak.get("voice") if isinstance(espeak, dict) else None
        if config.get("phoneme_type", "espeak") != "espeak" or not isinstance(language, str):
            return list(self._voice().phonemize(text))
        clusters = config.get("vowel_clusters")
        merged = {tuple(c) for c in clusters} if clusters else None
        with _LOCK:
            return list(_phonemizer().phonemize(language, text, vowel_clusters=merged))

    def dropped_words(self, texts: Iterable[str]) -> list[DroppedWord]:
        """The words of `texts` (as the script has them) whose phonemes the voice lacks."""
        id_map = self.config()["phoneme_id_map"]
        words = (word for text in texts for word in _WORD_RE.findall(self.prepare(text)))
        return dropped_words(words, self.phonemize, id_map)

    def _warn_dropped(self, prepared: str) -> None:
        id_map = self.config()["phoneme_id_map"]
        for dropped in dropped_words(_WORD_RE.findall(prepared), self.phonemize, id_map):
            if dropped.word not in self._warned:
                self._warned.add(dropped.word)
                log.warning(
                    "Piper voice %s has no phoneme %s: it skips those sounds in %r",
                    self.voice_files().name,
                    " ".join(dropped.phonemes),
                    dropped.word,
                )


def _int16(audio: Any) -> bytes:
    """Piper's float samples as 16-bit little-endian PCM, peak-normalized as Piper does."""
    import numpy

    peak = float(numpy.max(numpy.abs(audio))) if audio.size else 0.0
    if peak > 1e-8:
        audio = audio / peak
    return bytes(numpy.clip(audio * 32767.0, -32767.0, 32767.0).astype("<i2").tobytes())
