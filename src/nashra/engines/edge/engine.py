"""Microsoft's neural voices as the Edge browser reads aloud, free and without a key
(`service`, through edge-tts): an unofficial endpoint.

The engine is given what Azure is given: the script's speech, numbers said in words and the
project's lexicon applied, with no short vowels. It plans its requests as Azure does, a
paragraph each (`nashra.engines.ssml.requests`), within `max_bytes` bytes; but edge-tts
takes plain text (it escapes and wraps it in its own SSML, with the voice, `rate`, `pitch`
and `volume`), so a request is sent as its plain text: the pauses inside a paragraph are
the voice's own reading of the punctuation, the pauses between paragraphs nashra's. Each
request is within the 4096 bytes edge-tts sends in one message, so it is never cut again.
The audio is always edge-tts's `audio-24khz-48kbitrate-mono-mp3`.

Every request of a build goes through the rate limit, retries (429 and 5xx, honouring
`Retry-After`, and no answer) and circuit breaker of `nashra.engines.resilience`, as Google's
gTTS path does, and `[speech] fallback` voices what it fails. Before voicing, a build checks
its voices against Edge's voice list (`unknown_voices`, as for every engine): a voice Edge
does not have stops the build as a mistake in podcast.toml (when the list cannot be fetched,
the build says so and the speech requests say why they fail).
Edge's word boundaries are the clip's word timings.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from importlib import metadata
from typing import ClassVar, Literal

from nashra.core.errors import EngineError, EngineUnavailable
from nashra.core.model import Clip, Script
from nashra.engines import ssml
from nashra.engines.base import NEWS_READER_RATE, Availability, Engine, Synthesize
from nashra.engines.edge.limits import MAX_REQUEST_BYTES, VOICE_RE
from nashra.engines.resilience import check_calling, guarded

log = logging.getLogger(__name__)

VERSION = 1
"""Part of the voice id: raise it when requests change how Edge reads them."""
DEFAULT_VOICE = "ar-EG-SalmaNeural"
PROBE_TEXT = "نشرة"
PROBE_TIMEOUT = 10.0
VOICES_TIMEOUT = 15.0
_PERCENT = re.compile(r"[+-]\d{1,3}%")
_HERTZ = re.compile(r"[+-]\d{1,3}Hz")
INSTALL = "pip install 'nashra[edge]'"


@dataclass(frozen=True)
class EdgeOptions:
    """`[speech.edge]` in podcast.toml."""

    voice: str = DEFAULT_VOICE
    """An Edge voice's short name (`nashra voices list --engine edge`)."""
    rate: str = "+0%"
    """Speaking rate against the voice's own: `-50%` (half) to `+100%` (twice)."""
    pitch: str = "+0Hz"
    """Pitch against the voice's own, in hertz: `-50Hz` to `+50Hz`."""
    volume: str = "+0%"
    """Loudness against the voice's own: `-90%` to `+100%`."""
    max_bytes: int = 3000
    """UTF-8 bytes of text in one request at most (a paragraph is never more than one)."""
    timeout: float = 60.0
    """Seconds per request."""
    retries: int = 5
    """Tries per request when Edge fails passingly (429, 5xx, no answer)."""
    backoff: float = 1.0
    """Seconds before the first retry, doubled for each further one (with jitter)."""
    request_rate: float = 2.0
    """Requests a second at most: the service is unofficial, so nashra asks gently."""
    concurrency: int = 2
    """Requests in flight at once at most."""
    breaker: int = 10
    """Consecutive failures after which Edge is not called again in this build."""


def _relative(value: str, pattern: re.Pattern[str], low: int, high: int) -> bool:
    return bool(pattern.fullmatch(value)) and low <= int(value.rstrip("%Hz")) <= high


def edge_tts_version() -> str | None:
    try:
        return metadata.version("edge-tts")
    except metadata.PackageNotFoundError:
        return None


class EdgeEngine(Engine):
    """Microsoft's neural voices through Edge's read-aloud service: natural, online, free,
    unofficial."""

    name: ClassVar[str] = "edge"
    label: ClassVar[str] = "Edge"
    description: ClassVar[str] = (
        "Microsoft's neural voices as Edge reads aloud (online, unofficial)"
    )
    needs_network: ClassVar[bool] = True
    parallelism: ClassVar[Literal["threads", "processes"]] = "threads"
    auto_priority: ClassVar[int | None] = None
    """Never chosen by `auto`: an unofficial endpoint is a project's own choice."""
    voice_option: ClassVar[str | None] = "voice"
    Options: ClassVar[type[EdgeOptions]] = EdgeOptions
    options: EdgeOptions

    @classmethod
    def check_options(cls, options: EdgeOptions) -> None:
        o = options
        if not VOICE_RE.fullmatch(o.voice):
            raise ValueError(
                f"voice must be an Edge voice's short name such as {DEFAULT_VOICE}, got {o.voice!r}"
            )
        if not _relative(o.rate, _PERCENT, -50, 100):
            raise ValueError(f"rate must be a percentage from -50% to +100%, got {o.rate!r}")
        if not _relative(o.pitch, _HERTZ, -50, 50):
            raise ValueError(f"pitch must be hertz from -50Hz to +50Hz, got {o.pitch!r}")
        if not _relative(o.volume, _PERCENT, -90, 100):
            raise ValueError(f"volume must be a percentage from -90% to +100%, got {o.volume!r}")
        if not 200 <= o.max_bytes <= MAX_REQUEST_BYTES:
            raise ValueError(f"max_bytes must be between 200 and {MAX_REQUEST_BYTES}")
        check_calling(
            timeout=o.timeout,
            retries=o.retries,
            backoff=o.backoff,
            rate=o.request_rate,
            concurrency=o.concurrency,
            breaker=o.breaker,
        )

    def voice_id(self) -> str:
        o = self.options
        return f"edge{VERSION} voice={o.voice} rate={o.rate} pitch={o.pitch} volume={o.volume}"

    def voice_locale(self) -> str | None:
        """The locale an Edge voice's name starts with (`ar-EG-SalmaNeural`: ar-EG)."""
        return ssml.voice_locale(self.options.voice)

    def unknown_voices(self, voices: Collection[str]) -> dict[str, str]:
        """The voices Edge's list lacks (one request); `EngineError` when the list cannot
        be fetched or is empty."""
        _require()
        from nashra.engines.edge import service

        names = {v.name for v in service.voice_list(min(self.options.timeout, VOICES_TIMEOUT))}
        if not names:
            raise service.EdgeError("Edge's voice list is empty", transient=False)
        return {
            voice: f"Edge has no voice called {voice!r} "
            "(`nashra voices list --engine edge` lists its Arabic voices)"
            for voice in voices
            if voice not in names
        }

    def plan(self, script: Script, known: Callable[[str], bool] | None = None) -> Script:
        """A request per paragraph (or per `max_bytes`); its pauses are dropped when sent."""
        return ssml.requests(script, self.options.max_bytes, ssml.request_bytes)

    def synthesizer(self) -> Synthesize:
        """`synthesize` under one build's rate limit, retries and circuit breaker."""
        o = self.options
        return guarded(
            self.synthesize,
            self.label,
            retries=o.retries,
            backoff=o.backoff,
            rate=o.request_rate,
            breaker=o.breaker,
        )

    def speaking_rate(self) -> float:
        """A news reader's pace times `rate` (the voices' own pace is not measured here)."""
        return NEWS_READER_RATE * (1 + int(self.options.rate.rstrip("%")) / 100)

    def max_workers(self, jobs: int) -> int:
        return min(jobs, self.options.concurrency)

    def availability(self) -> Availability:
        """Whether edge-tts is installed (no request is made)."""
        version = edge_tts_version()
        if version is None:
            return Availability(False, f"edge-tts is not installed ({INSTALL})")
        from nashra.engines.edge import service

        try:
            where = service.where()
        except EngineError as exc:
            return Availability(False, str(exc))
        return Availability(
            True,
            f"edge-tts {version}; needs {where}, online and unofficial; voice {self.options.voice}",
        )

    def probe(self) -> Availability:
        """Check the voice against Edge's list, then ask for one word with it."""
        voice = self.options.voice
        try:
            missing = self.unknown_voices([voice])
        except EngineError as exc:
            log.info("Edge's voice list: %s; the voice is not checked", exc)
            missing = {}
        if voice in missing:
            return Availability(False, missing[voice], setting="voice")
        try:
            self._speak(ssml.escaped(PROBE_TEXT), PROBE_TIMEOUT)
        except EngineError as exc:
            return Availability(False, str(exc))
        return Availability(True, f"Edge answered with voice {self.options.voice}")

    def synthesize(self, text: str) -> Clip:
        return self._speak(text, self.options.timeout)

    def _speak(self, request: str, timeout: float) -> Clip:
        o = self.options
        try:
            ssml.checked(request)
        except ValueError as exc:
            raise EngineError(f"not a request the edge engine planned: it {exc}") from None
        _require()
        from nashra.engines.edge import service

        try:
            spoken = service.speak(
                ssml.plain(request),
                voice=o.voice,
                rate=o.rate,
                pitch=o.pitch,
                volume=o.volume,
                timeout=timeout,
            )
        except service.EdgeError as exc:
            if not exc.no_audio:
                raise
            raise service.EdgeError(
                f"{exc}; is [speech.edge] voice = {o.voice!r} one of Edge's voices "
                "(`nashra voices list --engine edge`)?",
                200,
                transient=True,
                no_audio=True,
            ) from None
        return Clip(spoken.audio, "mp3", spoken.words)


def _require() -> None:
    """`EngineUnavailable` without edge-tts: the engine's class loads without it, and says
    how to install it."""
    if edge_tts_version() is None:
        raise EngineUnavailable(f"edge-tts is not installed ({INSTALL})")
