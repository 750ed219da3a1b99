"""Google Cloud Text-to-Speech's voices, online, through its REST API (`service`).

The engine is given what Azure is given: the script's speech, numbers said in words and the
project's lexicon applied, with no short vowels (Google's voices vowel Arabic themselves).
It plans its own requests, a paragraph each (`nashra.engines.ssml.requests`), within
`max_bytes` bytes of SSML: Google takes 5000 bytes of input a request, and an Arabic letter
is two. A request is sent as `<speak>…</speak>`, its pauses as `<break>`s, and the voice,
`speaking_rate` and `pitch` in the JSON beside it; Chirp 3 HD voices take no SSML and no
pitch, so they are sent the request's plain text. Every request of a build goes through the
rate limit, retries (429 and 5xx, honouring `Retry-After`) and circuit breaker of
`nashra.engines.resilience`; credentials Google refuses stop the build's requests at the
first refusal. With `word_timings`, each word goes with an SSML `<mark>` before it, and
the times Google reports for the marks (`timing`) are the clip's word timings.

The credentials are read from the environment when a request is made (`credentials`),
never from the options: they are written in podcast.toml, kept in the build state and sent
to worker processes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, overload

from nashra.core.errors import EngineError
from nashra.core.model import Clip, Script, Utterance
from nashra.engines import ssml
from nashra.engines.base import NEWS_READER_RATE, AudioFormat, Availability, Engine, Synthesize
from nashra.engines.google_cloud import credentials, service, timing
from nashra.engines.google_cloud.service import GoogleCloudError
from nashra.engines.resilience import check_calling, check_price, guarded

VERSION = 1
"""Part of the voice id: raise it when requests change how Google reads them."""
DEFAULT_VOICE = "ar-XA-Wavenet-B"
VOICE_RE = re.compile(r"[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9]{1,40}(-[A-Za-z0-9]{1,40}){1,3}")
SPEAK_OPEN, SPEAK_CLOSE = "<speak>", "</speak>"
MAX_REQUEST_BYTES = service.MAX_INPUT_BYTES - len(SPEAK_OPEN) - len(SPEAK_CLOSE)
PROBE_TEXT = "نشرة"
PROBE_TIMEOUT = 10.0
_MARK = re.compile(r"<mark\b[^>]*/>|<mark\b[^>]*>.*?</mark>", re.DOTALL)


@dataclass(frozen=True)
class GoogleCloudOptions:
    """`[speech.google-cloud]` in podcast.toml. Credentials are never among them:
    `GOOGLE_CLOUD_API_KEY` or `GOOGLE_APPLICATION_CREDENTIALS`."""

    voice: str = DEFAULT_VOICE
    """A Google voice's name (`nashra voices list --engine google-cloud`)."""
    speaking_rate: float = 1.0
    """Speaking rate: 1 the voice's own, 0.25 to 4 times it (Chirp 3 HD: 0.25 to 2)."""
    pitch: float = 0.0
    """Semitones from the voice's own pitch, -20 to 20 (not for Chirp 3 HD voices)."""
    max_bytes: int = 3000
    """Bytes of SSML in one request at most (a paragraph is never more than one)."""
    price_per_million: float | None = None
    """What Google charges you per million characters, for the cost line; None: not said."""
    timeout: float = 60.0
    """Seconds per request."""
    retries: int = 5
    """Tries per request when Google fails passingly (429, 5xx, no answer)."""
    backoff: float = 1.0
    """Seconds before the first retry, doubled for each further one (with jitter)."""
    request_rate: float = 5.0
    """Requests a second at most (Google's default quota: 1000 a minute, Chirp 3 HD 200)."""
    concurrency: int = 4
    """Requests in flight at once at most."""
    breaker: int = 5
    """Consecutive failures after which Google is not called again in this build."""
    word_timings: bool = True
    """Ask Google when each word is said (SSML marks, through its v1beta1 API), for the
    transcripts' word timings; Chirp voices take no SSML, so they report none."""


def takes_ssml(voice: str) -> bool:
    """Whether the voice reads SSML: Chirp voices (Chirp 3 HD) take plain text only."""
    return "-Chirp" not in voice


class GoogleCloudEngine(Engine):
    """Google's neural voices: natural, online, paid by the character, with credentials."""

    name: ClassVar[str] = "google-cloud"
    label: ClassVar[str] = "Google Cloud"
    description: ClassVar[str] = "Google Cloud Text-to-Speech's voices (online, paid, credentials)"
    needs_network: ClassVar[bool] = True
    parallelism: ClassVar[Literal["threads", "processes"]] = "threads"
    auto_priority: ClassVar[int | None] = None
    """Never chosen by `auto`: it costs money, so a project chooses it by name."""
    paid: ClassVar[bool] = True
    voice_option: ClassVar[str | None] = "voice"
    refused_keys: ClassVar[dict[str, str]] = {
        key: (
            "credentials are never written in podcast.toml: set the environment variable "
            f"{credentials.KEY_ENV} (an API key) or {credentials.ADC_ENV} (a service "
            "account's key file)"
        )
        for key in (
            "key",
            "api_key",
            "google_cloud_api_key",
            "credentials",
            "application_credentials",
            "google_application_credentials",
            "service_account",
            "private_key",
            "token",
        )
    }
    Options: ClassVar[type[GoogleCloudOptions]] = GoogleCloudOptions
    options: GoogleCloudOptions

    @classmethod
    def check_options(cls, options: GoogleCloudOptions) -> None:
        o = options
        if not VOICE_RE.fullmatch(o.voice):
            raise ValueError(
                f"voice must be a Google voice's name such as {DEFAULT_VOICE}, got {o.voice!r}"
            )
        top = 4.0 if takes_ssml(o.voice) else 2.0
        if not 0.25 <= o.speaking_rate <= top:
            raise ValueError(f"speaking_rate must be between 0.25 and {top:g} for this voice")
        if not -20.0 <= o.pitch <= 20.0:
            raise ValueError("pitch must be between -20 and 20 semitones")
        if o.pitch and not takes_ssml(o.voice):
            raise ValueError("pitch must be 0 for a Chirp voice: Google does not change it")
        if not 200 <= o.max_bytes <= MAX_REQUEST_BYTES:
            raise ValueError(f"max_bytes must be between 200 and {MAX_REQUEST_BYTES}")
        check_price(o.price_per_million)
        check_calling(
            timeout=o.timeout,
            retries=o.retries,
            backoff=o.backoff,
            rate=o.request_rate,
            concurrency=o.concurrency,
            breaker=o.breaker,
        )

    @property
    def format(self) -> AudioFormat:
        return "mp3"

    def voice_id(self) -> str:
        o = self.options
        return (
            f"google-cloud{VERSION} voice={o.voice} rate={o.speaking_rate:g} pitch={o.pitch:g}"
            + (" words" if self.marks_words() else "")
        )

    def marks_words(self) -> bool:
        """Whether requests carry a mark before each word (`timing`)."""
        return self.options.word_timings and takes_ssml(self.options.voice)

    def plan(self, script: Script, known: Callable[[str], bool] | None = None) -> Script:
        """A request per paragraph (or per `max_bytes`), its pauses inside, as SSML."""
        size = marked_bytes if self.marks_words() else ssml.request_bytes
        return ssml.requests(script, self.options.max_bytes, size)

    def price_per_million(self) -> float | None:
        return self.options.price_per_million

    def billed_characters(self, request: str) -> int:
        """The characters Google bills for `request` as it is sent: every character of the
        input, spaces and SSML tags included (`<speak>` too), but for `<mark>` tags."""
        return len(_MARK.sub("", self.input(request)))

    def input(self, request: str) -> str:
        """What Google is sent as the input for `request`: SSML, or plain text for Chirp."""
        if takes_ssml(self.options.voice):
            return f"{SPEAK_OPEN}{request}{SPEAK_CLOSE}"
        return ssml.plain(request)

    def synthesizer(self) -> Synthesize:
        """`synthesize` under one build's rate limit, retries and circuit breaker; after
        Google refuses the credentials, every later request fails at once, saying why."""
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
        """A news reader's pace times `speaking_rate` (the voices' own pace is not measured)."""
        return NEWS_READER_RATE * self.options.speaking_rate

    def max_workers(self, jobs: int) -> int:
        return min(jobs, self.options.concurrency)

    def voice_locale(self) -> str | None:
        """The language a Google voice's name starts with (`ar-XA-Wavenet-B`: ar-XA)."""
        return ssml.voice_locale(self.options.voice)

    def unknown_voices(self, voices: Collection[str]) -> dict[str, str]:
        """The voices Google does not list: one request per language the names start with
        (`voices?languageCode=ar-XA`), usually one."""
        listed: set[str] = set()
        for code in sorted({ssml.voice_locale(voice) for voice in voices}):
            listed |= {found.name for found in service.voices(code, PROBE_TIMEOUT)}
        return {
            voice: f"Google Cloud has no voice {voice!r} "
            "(`nashra voices list --engine google-cloud`)"
            for voice in voices
            if voice not in listed
        }

    def availability(self) -> Availability:
        """Whether credentials are set (no request is made)."""
        try:
            which = credentials.kind()
            where = service.base()
        except EngineError as exc:
            return Availability(False, str(exc))
        using = credentials.KEY_ENV if which == "key" else credentials.ADC_ENV
        return Availability(
            True, f"needs Google Cloud ({where}, online, {using}), voice {self.options.voice}"
        )

    def probe(self) -> Availability:
        """Ask Google for one word with the project's voice."""
        try:
            self._speak(ssml.escaped(PROBE_TEXT), PROBE_TIMEOUT)
        except EngineError as exc:
            return Availability(False, str(exc))
        return Availability(True, f"Google Cloud answered with voice {self.options.voice}")

    def synthesize(self, text: str) -> Clip:
        if not self.marks_words():
            return Clip(self._speak(text, self.options.timeout), "mp3")
        marked, words = ssml.with_marks(text)
        audio, points = self._speak(text, self.options.timeout, marked)
        return Clip(audio, "mp3", timing.word_times(words, points))

    @overload
    def _speak(self, request: str, timeout: float) -> bytes: ...

    @overload
    def _speak(
        self, request: str, timeout: float, marked: str
    ) -> tuple[bytes, list[tuple[str, float]]]: ...

    def _speak(
        self, request: str, timeout: float, marked: str | None = None
    ) -> bytes | tuple[bytes, list[tuple[str, float]]]:
        """Google's MP3 for `request`; with `marked` (the request with its words' marks)
        sent instead, the marks' timepoints too."""
        o = self.options
        try:
            ssml.checked(request)
        except ValueError as exc:
            raise EngineError(f"not a request the google-cloud engine planned: it {exc}") from None
        said = self.input(marked or request)
        size = len(said.encode("utf-8"))
        if size > service.MAX_INPUT_BYTES:
            raise EngineError(
                f"a request of {size} bytes is more than the {service.MAX_INPUT_BYTES} Google "
                "takes: lower max_bytes in [speech.google-cloud] (a sentence this long is cut "
                "nowhere)"
            )
        audio: dict[str, Any] = {"audioEncoding": "MP3", "speakingRate": o.speaking_rate}
        if takes_ssml(o.voice):
            audio["pitch"] = o.pitch
        body = {
            "input": {"ssml" if takes_ssml(o.voice) else "text": said},
            "voice": {"languageCode": ssml.voice_locale(o.voice), "name": o.voice},
            "audioConfig": audio,
        }
        try:
            return (
                service.speak(body, timeout)
                if marked is None
                else service.speak_timed(body, timeout)
            )
        except GoogleCloudError as exc:
            if exc.status != 400 or exc.refused:
                raise
            raise GoogleCloudError(
                f"{exc}; is [speech.google-cloud] voice = {o.voice!r} one of Google's voices "
                "(`nashra voices list --engine google-cloud`)?",
                400,
            ) from None


def marked_bytes(run: Sequence[Utterance]) -> int:
    """UTF-8 bytes of the request a run makes with its words' marks (`ssml.with_marks`)."""
    return len(ssml.with_marks(ssml.request(run).speech)[0].encode("utf-8"))
