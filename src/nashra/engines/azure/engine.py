"""Azure AI Speech's neural voices, online, through its REST API (`service`).

The engine is given what Google is given: the script's speech, numbers said in
words and the project's lexicon applied, with no short vowels (Azure's voices
vowel Arabic themselves). It plans its own requests, a paragraph each
(`nashra.engines.ssml.requests`), and each request is an SSML document naming the voice, its
style and its rate (`ssml.document`). Every request of a build goes through the
rate limit, retries (429 and 5xx, honouring `Retry-After`) and circuit breaker
of `nashra.engines.resilience`; a key Azure refuses (401, 403) stops the build's
requests at the first refusal.

The key is read from the environment when a request is made, never from the
options: they are written in podcast.toml, kept in the build state and sent to
worker processes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import ClassVar, Literal

from nashra.core.errors import EngineError
from nashra.core.model import Clip, Script
from nashra.engines import ssml as requests_ssml
from nashra.engines.azure import service, ssml
from nashra.engines.azure.service import KEY_ENV, AzureError
from nashra.engines.base import (
    NEWS_READER_RATE,
    AudioFormat,
    Availability,
    Engine,
    Synthesize,
)
from nashra.engines.resilience import check_calling, check_price, guarded

DEFAULT_VOICE = "ar-EG-SalmaNeural"
VOICE_RE = re.compile(r"[a-z]{2,3}-[A-Za-z0-9]{2,8}(-[A-Za-z0-9:]{1,60}){1,3}")
STYLE_RE = re.compile(r"[a-z][a-z0-9-]{0,40}")
FORMAT_RE = re.compile(
    r"audio-(16|24|48)khz-\d{2,3}kbitrate-mono-mp3|riff-(16|24|48)khz-16bit-mono-pcm"
)
MAX_REQUEST_CHARS = 5000
"""The most `max_chars` may be: five minutes of speech, half of what Azure takes."""
PROBE_TEXT = "نشرة"
PROBE_TIMEOUT = 10.0


@dataclass(frozen=True)
class AzureOptions:
    """`[speech.azure]` in podcast.toml. The key is never one of them: `AZURE_SPEECH_KEY`."""

    voice: str = DEFAULT_VOICE
    """An Azure voice's short name (`nashra voices list --engine azure`)."""
    region: str = ""
    """The Speech resource's region (westeurope); empty: `AZURE_SPEECH_REGION`."""
    style: str = ""
    """A speaking style of the voice (`newscast`), for voices that have styles."""
    rate: float = 1.0
    """Speaking rate: 1 the voice's own, 0.5 to 2 times it."""
    output_format: str = "audio-24khz-96kbitrate-mono-mp3"
    """What Azure sends back (`X-Microsoft-OutputFormat`): an MP3 or a 16-bit WAV format."""
    max_chars: int = 2000
    """Characters of speech in one request at most (a paragraph is never more than one)."""
    timeout: float = 60.0
    """Seconds per request."""
    retries: int = 5
    """Tries per request when Azure fails passingly (429, 5xx, no answer)."""
    backoff: float = 1.0
    """Seconds before the first retry, doubled for each further one (with jitter)."""
    request_rate: float = 0.3
    """Requests a second at most: a free (F0) resource takes 20 a minute."""
    concurrency: int = 2
    """Requests in flight at once at most."""
    breaker: int = 5
    """Consecutive failures after which Azure is not called again in this build."""
    price_per_million: float | None = None
    """What a million characters cost you, in your currency (Azure's price for your
    voice and tier): a build then says what it will cost. Unset: no price is guessed."""


class AzureEngine(Engine):
    """Microsoft's neural voices: natural, online, paid by the character, with a key."""

    name: ClassVar[str] = "azure"
    label: ClassVar[str] = "Azure"
    description: ClassVar[str] = "Azure AI Speech's neural voices (online, needs a key)"
    needs_network: ClassVar[bool] = True
    parallelism: ClassVar[Literal["threads", "processes"]] = "threads"
    auto_priority: ClassVar[int | None] = None
    """Never chosen by `auto`: it costs money, so a project chooses it by name."""
    paid: ClassVar[bool] = True
    voice_option: ClassVar[str | None] = "voice"
    refused_keys: ClassVar[dict[str, str]] = {
        key: f"the key is never written in podcast.toml: set the environment variable {KEY_ENV}"
        for key in ("key", "api_key", "subscription_key", "speech_key", "azure_speech_key")
    }
    Options: ClassVar[type[AzureOptions]] = AzureOptions
    options: AzureOptions

    @classmethod
    def check_options(cls, options: AzureOptions) -> None:
        o = options
        if not VOICE_RE.fullmatch(o.voice):
            raise ValueError(
                f"voice must be an Azure voice's short name such as {DEFAULT_VOICE}, "
                f"got {o.voice!r}"
            )
        if o.region and not service.REGION_RE.fullmatch(o.region):
            raise ValueError(f"region must be an Azure region such as westeurope, got {o.region!r}")
        if o.style and not STYLE_RE.fullmatch(o.style):
            raise ValueError(f"style must be a style's name such as newscast, got {o.style!r}")
        if not 0.5 <= o.rate <= 2.0:
            raise ValueError("rate must be between 0.5 and 2 (1: the voice's own pace)")
        if not FORMAT_RE.fullmatch(o.output_format):
            raise ValueError(
                "output_format must be an MP3 format such as audio-24khz-96kbitrate-mono-mp3 "
                f"or a WAV one such as riff-24khz-16bit-mono-pcm, got {o.output_format!r}"
            )
        if not 100 <= o.max_chars <= MAX_REQUEST_CHARS:
            raise ValueError(f"max_chars must be between 100 and {MAX_REQUEST_CHARS}")
        check_calling(
            timeout=o.timeout,
            retries=o.retries,
            backoff=o.backoff,
            rate=o.request_rate,
            concurrency=o.concurrency,
            breaker=o.breaker,
        )
        check_price(o.price_per_million)

    @property
    def format(self) -> AudioFormat:
        return "mp3" if self.options.output_format.endswith("mp3") else "wav"

    def voice_id(self) -> str:
        o = self.options
        return (
            f"azure{ssml.VERSION} voice={o.voice} style={o.style or '-'} rate={o.rate:g} "
            f"format={o.output_format}"
        )

    def plan(self, script: Script, known: Callable[[str], bool] | None = None) -> Script:
        """A request per paragraph (or per `max_chars`), its pauses inside, as SSML."""
        return requests_ssml.requests(script, self.options.max_chars)

    def synthesizer(self) -> Synthesize:
        """`synthesize` under one build's rate limit, retries and circuit breaker; after
        Azure refuses the key, every later request fails at once with the same reason."""
        o = self.options
        return guarded(
            self.synthesize,
            self.label,
            retries=o.retries,
            backoff=o.backoff,
            rate=o.request_rate,
            breaker=o.breaker,
        )

    def price_per_million(self) -> float | None:
        price = self.options.price_per_million
        return None if price is None else float(price)

    def billed_characters(self, request: str) -> int:
        """What Azure bills for `request`: every character inside the document's `<voice>`
        (the text, its breaks, and the style and rate around it), as its pricing note
        counts them; `<speak>` and `<voice>` are not billed. Escaped characters (`&amp;`)
        are counted as sent: an upper bound by a few characters."""
        o = self.options
        return len(ssml.inside_voice(request, style=o.style, rate=o.rate))

    def speaking_rate(self) -> float:
        """A news reader's pace times `rate` (the voices' own pace is not measured here)."""
        return NEWS_READER_RATE * self.options.rate

    def max_workers(self, jobs: int) -> int:
        return min(jobs, self.options.concurrency)

    def voice_locale(self) -> str | None:
        """The locale an Azure voice's name starts with (`ar-EG-SalmaNeural`: ar-EG)."""
        return requests_ssml.voice_locale(self.options.voice)

    def unknown_voices(self, voices: Collection[str]) -> dict[str, str]:
        """The voices Azure's list for the region lacks (one request: `voices/list`)."""
        where = service.service(self.options.region)
        listed = {str(v.get("ShortName", "")) for v in service.voices(where, PROBE_TIMEOUT)}
        return {
            voice: f"Azure has no voice {voice!r} in {where.where} "
            "(`nashra voices list --engine azure`)"
            for voice in voices
            if voice not in listed
        }

    def availability(self) -> Availability:
        """Whether a key and a region are set (the key named first: it is what most users
        lack); no request is made."""
        try:
            service.key()
            where = service.service(self.options.region)
        except EngineError as exc:
            return Availability(False, str(exc))
        return Availability(
            True, f"needs Azure ({where.where}, online), voice {self.options.voice}"
        )

    def probe(self) -> Availability:
        """Ask Azure for one word with the project's voice."""
        try:
            self._speak(requests_ssml.escaped(PROBE_TEXT), PROBE_TIMEOUT)
        except EngineError as exc:
            return Availability(False, str(exc))
        return Availability(True, f"Azure answered with voice {self.options.voice}")

    def synthesize(self, text: str) -> Clip:
        return Clip(self._speak(text, self.options.timeout), self.format)

    def _speak(self, request: str, timeout: float) -> bytes:
        o = self.options
        try:
            requests_ssml.checked(request)
        except ValueError as exc:
            raise EngineError(f"not a request the azure engine planned: it {exc}") from None
        service.key()  # the missing key said before a missing region, as `availability` does
        where = service.service(o.region)
        document = ssml.document(request, voice=o.voice, style=o.style, rate=o.rate)
        try:
            return service.speak(where, document, o.output_format, timeout)
        except AzureError as exc:
            if exc.status != 400:
                raise
            styled = f", and style = {o.style!r} one of its styles" if o.style else ""
            raise AzureError(
                f"{exc}; is [speech.azure] voice = {o.voice!r} one of Azure's voices in "
                f"{where.where} (`nashra voices list --engine azure`){styled}?",
                400,
            ) from None
