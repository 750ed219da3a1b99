"""The online engine: Google Translate's speech through gTTS, the one adapter for gTTS.

The engine plans its own requests: each chapter of the script is packed into
the fewest requests of at most 100 characters, Google's limit (`nashra.engines.gtts.packing`),
so gTTS is told to leave each request alone (no pre-processors, a tokenizer
that returns it whole): one request is exactly one call, and the cache key
names exactly what Google was asked to say. Every call of a build goes through
the rate limit, retries and circuit breaker of `nashra.engines.resilience`.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal

import gtts
import requests
from gtts import gTTS, gTTSError

from nashra.core.errors import EngineError
from nashra.core.model import Clip, Script
from nashra.engines.base import NEWS_READER_RATE, Availability, Engine, Synthesize
from nashra.engines.gtts.packing import pack_requests
from nashra.engines.resilience import check_calling, guarded, retry_after

log = logging.getLogger(__name__)

LANG = "ar"
MAX_CHARS: int = gTTS.GOOGLE_TTS_MAX_CHARS
"""Characters Google takes in one request."""
PACKING_CHOICES = ("fill", "sentence")
OLD_FLAT_KEYS = (
    "tld",
    "timeout",
    "retries",
    "backoff",
    "rate",
    "concurrency",
    "breaker",
    "packing",
)
"""Read from `[speech] gtts_<key>` by earlier releases."""


@dataclass(frozen=True)
class GttsOptions:
    """`[speech.gtts]` in podcast.toml."""

    tld: str = "com"
    """Google host: translate.google.<tld>."""
    timeout: float = 30.0
    """Seconds per request."""
    retries: int = 5
    """Tries per request when Google fails passingly (429, 5xx, no answer)."""
    backoff: float = 1.0
    """Seconds before the first retry, doubled for each further one (with jitter)."""
    rate: float = 5.0
    """Requests a second at most."""
    concurrency: int = 4
    """Requests in flight at once at most."""
    breaker: int = 10
    """Consecutive failures after which Google is not called again in this build."""
    packing: str = "fill"
    """`fill`: each request filled up to Google's 100 characters, across sentences
    (the fewest requests; inside a request Google's own pause separates sentences);
    `sentence`: a request per sentence, so every configured pause is kept."""


PROBE_TEXT = "نشرة"
PROBE_TIMEOUT = 5.0


class OnlineEngineError(EngineError):
    """Google did not turn a chunk into audio; `status` is the HTTP status when there was one.

    A retry layer can tell a passing refusal (429, 5xx, no answer) from one that
    will not change (403, 404).
    """

    def __init__(
        self, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        # No answer at all, too many requests, or a server error: worth another try.
        self.transient = status is None or status == 429 or status >= 500
        self.retry_after = retry_after


def _whole(text: str) -> list[str]:
    return [text]


class GttsEngine(Engine):
    """Arabic speech from Google Translate: natural, but needs the network and Google's consent."""

    name: ClassVar[str] = "gtts"
    label: ClassVar[str] = "Google"
    description: ClassVar[str] = "Google Translate's Arabic voice (online)"
    needs_network: ClassVar[bool] = True
    max_chars: ClassVar[int] = MAX_CHARS
    parallelism: ClassVar[Literal["threads", "processes"]] = "threads"
    auto_priority: ClassVar[int | None] = 100
    flat_keys: ClassVar[dict[str, str]] = {f"gtts_{key}": key for key in OLD_FLAT_KEYS}
    Options: ClassVar[type[GttsOptions]] = GttsOptions
    options: GttsOptions

    def __init__(self, options: GttsOptions | None = None) -> None:
        super().__init__(options)
        self.tld = self.options.tld
        self.timeout = self.options.timeout

    @classmethod
    def check_options(cls, options: GttsOptions) -> None:
        o = options
        if not re.fullmatch(r"[a-z]{2,3}(\.[a-z]{2,3})?", o.tld):
            raise ValueError(f"tld must look like `com` or `com.eg`, got {o.tld!r}")
        check_calling(
            timeout=o.timeout,
            retries=o.retries,
            backoff=o.backoff,
            rate=o.rate,
            concurrency=o.concurrency,
            breaker=o.breaker,
            rate_key="rate",
        )
        if o.packing not in PACKING_CHOICES:
            raise ValueError(
                f"packing must be one of {', '.join(PACKING_CHOICES)}, got {o.packing!r}"
            )

    def plan(self, script: Script, known: Callable[[str], bool] | None = None) -> Script:
        """Every call is a network request: pack the script into full requests,
        unless `packing = "sentence"`; requests `known` to be voiced are reused."""
        across = self.options.packing == "fill"
        return pack_requests(script, self.max_chars, known, across=across)

    def synthesizer(self) -> Synthesize:
        """`synthesize` under one build's rate limit, retries and circuit breaker."""
        o = self.options
        return guarded(
            self.synthesize,
            self.name,
            retries=o.retries,
            backoff=o.backoff,
            rate=o.rate,
            breaker=o.breaker,
        )

    def max_workers(self, jobs: int) -> int:
        return min(jobs, self.options.concurrency)

    @property
    def host(self) -> str:
        return f"https://translate.google.{self.tld}/"

    def speaking_rate(self) -> float:
        """Google's pace cannot be set; taken as a news reader's (not measured here)."""
        return NEWS_READER_RATE

    def voice_locale(self) -> str | None:
        """Google's one Arabic voice."""
        return LANG

    def availability(self) -> Availability:
        # No request here: whether Google answers is decided by trying the first chunk.
        return Availability(True, f"needs Google ({self.host}, online)")

    def probe(self) -> Availability:
        """Ask Google for one word, to tell whether this engine works from here right now."""
        try:
            self._speak(PROBE_TEXT, PROBE_TIMEOUT)
        except EngineError as exc:
            return Availability(False, str(exc))
        return Availability(True, f"Google ({self.host}) answered")

    def voice_id(self) -> str:
        major = gtts.__version__.split(".", 1)[0]
        return f"gtts{major} lang={LANG} tld={self.tld}"

    def synthesize(self, text: str) -> Clip:
        return Clip(self._speak(text, self.timeout), "mp3")

    def _speak(self, text: str, timeout: float) -> bytes:
        if len(text) > self.max_chars:
            raise EngineError(
                f"gTTS was given {len(text)} characters; Google takes at most {self.max_chars}"
            )
        if not any(char.isalnum() for char in text):
            # gTTS would assert on blank text, and send punctuation such as «» to Google.
            raise EngineError(f"nothing for Google to speak in {text!r}")
        audio = io.BytesIO()
        try:
            tts = gTTS(
                text,
                lang=LANG,
                tld=self.tld,
                pre_processor_funcs=[],
                tokenizer_func=_whole,
                timeout=timeout,
            )
            tts.write_to_fp(audio)
        except gTTSError as exc:
            raise self._explain(exc, timeout) from exc
        data = audio.getvalue()
        if not data:
            raise OnlineEngineError(
                f"Google ({self.host}) answered without audio for {text[:40]!r}; "
                "its speech service may have changed (try upgrading gTTS)",
                200,
            )
        return data

    def _explain(self, exc: gTTSError, timeout: float) -> OnlineEngineError:
        response = exc.rsp
        if response is None:
            cause = exc.__context__
            if isinstance(cause, requests.Timeout):
                return OnlineEngineError(
                    f"Google ({self.host}) did not answer within {timeout:g} s; "
                    "the network is slow or down (raise timeout in [speech.gtts], or use espeak)"
                )
            detail = f" ({type(cause).__name__})" if cause is not None else ""
            return OnlineEngineError(
                f"could not reach Google at {self.host}{detail}; are you offline? "
                "Use --engine espeak to build without the network"
            )
        status = int(response.status_code)
        reason = response.reason or ""
        if status == 429:
            advice = "Google is rate-limiting this address; wait a while, or use espeak"
        elif status == 403:
            advice = "Google refused the request; gTTS may need upgrading"
        elif status == 404:
            advice = (
                f"is translate.google.{self.tld} a real Google host? check tld in [speech.gtts]"
            )
        elif status >= 500:
            advice = "Google's service failed; try again later"
        elif status == 200:
            advice = "the answer held no audio; Google's service may have changed"
        else:
            advice = str(exc.msg)
        return OnlineEngineError(
            f"Google answered {status} {reason}: {advice}".strip(),
            status,
            retry_after(response.headers.get("Retry-After")),
        )
