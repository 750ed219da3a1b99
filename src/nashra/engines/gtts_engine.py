"""The online engine: Google Translate's speech through gTTS, the one adapter for gTTS.

Each chunk is already packed to gTTS's 100-character limit, so gTTS is told to
leave it alone (no pre-processors, a tokenizer that returns the chunk whole):
one chunk is exactly one request, and the cache key names exactly what Google
was asked to say.
"""

from __future__ import annotations

import email.utils
import io
import logging
from datetime import UTC, datetime
from typing import ClassVar, Literal

import gtts
import requests
from gtts import gTTS, gTTSError

from nashra.engines.base import Availability, Clip, Engine
from nashra.errors import EngineError
from nashra.settings import Speech

log = logging.getLogger(__name__)

LANG = "ar"
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


def _retry_after(value: str | None) -> float | None:
    """`Retry-After` as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _whole(text: str) -> list[str]:
    return [text]


class GttsEngine(Engine):
    """Arabic speech from Google Translate: natural, but needs the network and Google's consent."""

    name: ClassVar[str] = "gtts"
    needs_network: ClassVar[bool] = True
    max_chars: ClassVar[int] = gTTS.GOOGLE_TTS_MAX_CHARS
    parallelism: ClassVar[Literal["threads", "processes"]] = "threads"

    def __init__(self, speech: Speech) -> None:
        self.tld = speech.gtts_tld
        self.timeout = speech.gtts_timeout

    @property
    def host(self) -> str:
        return f"https://translate.google.{self.tld}/"

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
                    "the network is slow or down (raise speech.gtts_timeout, or use espeak)"
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
            advice = f"is translate.google.{self.tld} a real Google host? check speech.gtts_tld"
        elif status >= 500:
            advice = "Google's service failed; try again later"
        elif status == 200:
            advice = "the answer held no audio; Google's service may have changed"
        else:
            advice = str(exc.msg)
        return OnlineEngineError(
            f"Google answered {status} {reason}: {advice}".strip(),
            status,
            _retry_after(response.headers.get("Retry-After")),
        )
