"""Edge's read-aloud service through edge-tts: the one adapter for edge-tts and aiohttp.

The service is the one the Edge browser reads pages aloud with: a WebSocket at
`speech.platform.bing.com`, free and without a key, but unofficial (Microsoft documents no
terms, rate or lifetime for it). edge-tts speaks its protocol: a `speech.config` and an SSML
message in; `turn.start`, MP3 audio frames, `audio.metadata` word boundaries (offsets in
100-nanosecond ticks) and `turn.end` out. Its address is a constant of edge-tts and its TLS
context trusts certifi's authorities alone, so the one door to another server is the public
`connector` argument: `NASHRA_EDGE_SOCKET` names a Unix socket that every request (speech
and voice list) is sent to instead, over a plain connection (aiohttp's `UnixConnector`
speaks no TLS whatever the address says). It is for tests and local relays; it is an
environment variable, not a setting, because it changes where requests go, not how they
sound.

Nothing from the service is trusted: word timings that are not finite, non-negative numbers
with a word are dropped, and a voice list that is not a list of voices is an error.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import re
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from xml.sax.saxutils import escape

import aiohttp
import edge_tts
from edge_tts import exceptions as edge_errors

from nashra.core.errors import EngineError, EngineUnavailable
from nashra.core.model import WordTime
from nashra.engines.edge.limits import MAX_REQUEST_BYTES, VOICE_RE
from nashra.engines.resilience import retry_after

log = logging.getLogger(__name__)

SOCKET_ENV = "NASHRA_EDGE_SOCKET"
HOST = "speech.platform.bing.com"
TICKS_PER_SECOND = 10_000_000
MAX_AUDIO_BYTES = 16_000_000
"""The most audio one request may bring: 45 minutes at 48 kbit/s, where a full request is
about two and a half minutes (five at the slowest `rate`); a stream that goes on is refused."""
LONGEST_WORD = 200
"""Characters of a reported word beyond which it is not a word (dropped)."""

T = TypeVar("T")


class EdgeError(EngineError):
    """Edge did not turn a request into audio; `status` is the HTTP status of a refused
    handshake. 429, 408, 5xx and no answer may pass (`transient`), and so may an answer
    without audio (`no_audio`), which Edge gives now and then for a voice it has, and always
    for one it lacks; `refused` is set for a voice the service does not list, which no retry
    or later request changes."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        *,
        transient: bool | None = None,
        retry_after: float | None = None,
        refused: bool = False,
        no_audio: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.no_audio = no_audio
        passing = status is None or status in (408, 429) or status >= 500
        self.transient = passing if transient is None else transient
        self.retry_after = retry_after
        self.refused = refused


def socket_path() -> str | None:
    """The Unix socket `NASHRA_EDGE_SOCKET` names, or None for Edge's own service;
    `EngineUnavailable` when it is not an absolute path."""
    value = os.environ.get(SOCKET_ENV, "").strip()
    if not value:
        return None
    if not os.path.isabs(value) or "\x00" in value:
        raise EngineUnavailable(
            f"{SOCKET_ENV} must be the absolute path of a Unix socket, got {value!r}"
        )
    return value


def where() -> str:
    """What messages call the service the requests go to."""
    path = socket_path()
    return f"the local socket {path} ({SOCKET_ENV})" if path else f"Edge's service ({HOST})"


@dataclass(frozen=True)
class Spoken:
    audio: bytes
    words: tuple[WordTime, ...]


def escaped_bytes(text: str) -> int:
    """The UTF-8 bytes edge-tts sends for `text` (escaped), which its cut counts."""
    return len(escape(text).encode("utf-8"))


def speak(text: str, *, voice: str, rate: str, pitch: str, volume: str, timeout: float) -> Spoken:
    """The MP3 and the word timings Edge makes for plain `text`; `EdgeError` when it does not."""
    if escaped_bytes(text) > MAX_REQUEST_BYTES:
        raise EdgeError(
            f"a request of {escaped_bytes(text)} bytes is more than the {MAX_REQUEST_BYTES} "
            "Edge takes in one message",
            transient=False,
        )

    async def run() -> tuple[bytes, list[dict[str, Any]]]:
        communicate = edge_tts.Communicate(
            text,
            voice,
            rate=rate,
            pitch=pitch,
            volume=volume,
            boundary="WordBoundary",
            connector=_connector(),
            connect_timeout=math.ceil(timeout),
            receive_timeout=math.ceil(timeout),
        )
        audio = bytearray()
        boundaries: list[dict[str, Any]] = []
        async with asyncio.timeout(timeout):
            async for chunk in communicate.stream():
                if chunk["type"] == "audio":
                    audio += chunk.get("data", b"")
                    if len(audio) > MAX_AUDIO_BYTES:
                        raise EdgeError(
                            f"{where()} sent more than {MAX_AUDIO_BYTES:,} bytes of audio for "
                            "one request; refused",
                            200,
                            transient=False,
                        )
                elif chunk["type"] == "WordBoundary":
                    boundaries.append(dict(chunk))
        return bytes(audio), boundaries

    audio, boundaries = _call(run, timeout, f"for voice {voice!r}")
    if not audio:
        raise EdgeError(f"{where()} sent no audio", 200, transient=True, no_audio=True)
    return Spoken(audio, words(boundaries))


def words(boundaries: Sequence[dict[str, Any]]) -> tuple[WordTime, ...]:
    """Edge's word boundaries as timings in seconds from the clip's start, in order; a
    boundary that is not a word with finite, non-negative ticks is dropped, as is one that
    starts before the word before it."""
    found: list[WordTime] = []
    for boundary in boundaries:
        offset, duration = _seconds(boundary.get("offset")), _seconds(boundary.get("duration"))
        text = boundary.get("text")
        word = text.strip() if isinstance(text, str) else ""
        if (
            offset is None
            or duration is None
            or not word
            or len(word) > LONGEST_WORD
            or (found and offset < found[-1].start)
        ):
            log.debug("dropped a word boundary Edge sent: %r", boundary)
            continue
        found.append(WordTime(offset, offset + duration, word))
    return tuple(found)


def _seconds(ticks: object) -> float | None:
    """Ticks of 100 ns as seconds, when they are a finite number from 0 to a day."""
    if not isinstance(ticks, int | float) or isinstance(ticks, bool) or not math.isfinite(ticks):
        return None
    return ticks / TICKS_PER_SECOND if 0 <= ticks < 24 * 3600 * TICKS_PER_SECOND else None


@dataclass(frozen=True)
class Voice:
    """One of Edge's voices, as `nashra voices list --engine edge` shows it."""

    name: str
    locale: str
    gender: str
    tags: tuple[str, ...]
    """What Edge says it suits and sounds like (its content categories and personalities):
    its voices have no speaking styles."""


def voice_list(timeout: float) -> list[Voice]:
    """Every voice Edge lists, checked (an entry that is not a voice is left out)."""

    async def run() -> list[Any]:
        async with asyncio.timeout(timeout):
            return list(await edge_tts.list_voices(connector=_connector()))

    listed = _call(run, timeout, "listing its voices")
    found = [voice for entry in listed if (voice := _voice(entry)) is not None]
    if listed and not found:
        raise EdgeError(f"{where()} answered its voice list with no voice in it", 200)
    return found


def arabic_voices(timeout: float = 15.0) -> list[Voice]:
    """Edge's Arabic voices, by locale and name."""
    found = [v for v in voice_list(timeout) if v.locale.startswith("ar-")]
    return sorted(found, key=lambda v: (v.locale, v.name))


def _voice(entry: object) -> Voice | None:
    if not isinstance(entry, dict):
        return None
    name, locale, gender = (entry.get(k) for k in ("ShortName", "Locale", "Gender"))
    if not (isinstance(name, str) and VOICE_RE.fullmatch(name) and isinstance(locale, str)):
        return None
    if not re.fullmatch(r"[a-z]{2,3}-[A-Za-z]{2,12}(-[A-Za-z]{2,12})?", locale):
        return None
    tag = entry.get("VoiceTag")
    tags: list[str] = []
    if isinstance(tag, dict):
        for key in ("ContentCategories", "VoicePersonalities"):
            values = tag.get(key)
            if isinstance(values, list):
                tags += [v for v in values if isinstance(v, str) and re.fullmatch(r"\w{1,40}", v)]
    gender = gender if isinstance(gender, str) and re.fullmatch(r"\w{1,20}", gender) else "?"
    return Voice(name, locale, gender, tuple(tags))


def _connector() -> aiohttp.BaseConnector | None:
    path = socket_path()
    return aiohttp.UnixConnector(path=path) if path else None


def _call(run: Callable[[], Awaitable[T]], timeout: float, doing: str) -> T:
    """`run()` to its end in an event loop of its own, its failures as `EdgeError`."""
    socket_path()  # a bad variable said before anything else
    try:
        return _in_own_loop(run)
    except EdgeError:
        raise
    except aiohttp.ClientResponseError as exc:  # a refused handshake, a refused list
        raise _refusal(exc.status, exc.headers, doing) from None
    except RuntimeError as exc:
        # After a 403 edge-tts sets its clock by the answer's Date and tries once more; with
        # the socket's connector, closed by its first session, that try cannot start, and
        # the 403 is the answer.
        refused = exc.__context__
        if not isinstance(refused, aiohttp.ClientResponseError):
            raise
        raise _refusal(refused.status, refused.headers, doing) from None
    except edge_errors.SkewAdjustmentError:
        raise _refusal(403, None, doing) from None
    except TimeoutError:
        raise EdgeError(
            f"{where()} did not answer within {timeout:g} s ({doing}); the network is slow "
            "or down (raise timeout in [speech.edge])"
        ) from None
    except (aiohttp.ClientError, OSError, edge_errors.WebSocketError) as exc:
        # Said by its kind alone: aiohttp's exceptions name the whole address.
        raise EdgeError(
            f"could not reach {where()} ({doing}: {type(exc).__name__}); are you offline? "
            "Use --engine espeak to build without the network"
        ) from None
    except edge_errors.NoAudioReceived:
        raise EdgeError(
            f"{where()} sent no audio ({doing})", 200, transient=True, no_audio=True
        ) from None
    except (edge_errors.EdgeTTSException, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EdgeError(
            f"{where()} answered with something edge-tts cannot read ({doing}: "
            f"{type(exc).__name__}); the service may have changed: upgrade edge-tts "
            "(pip install -U edge-tts)",
            200,
            transient=False,
        ) from None


def _in_own_loop(run: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await run()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        inside_a_loop = False
    else:
        inside_a_loop = True
    if not inside_a_loop:
        return asyncio.run(main())
    # Called from inside an event loop (an embedding application): a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def _refusal(status: int, headers: Any, doing: str) -> EdgeError:
    said = f"{where()} refused the connection with {status} ({doing})"
    wait = retry_after(headers.get("Retry-After")) if headers is not None else None
    if status == 429:
        advice = "too many requests: lower request_rate in [speech.edge], or wait a while"
    elif status in (401, 403):
        advice = (
            "the service no longer takes this edge-tts's access token (its scheme changes "
            "now and then): upgrade edge-tts (pip install -U edge-tts)"
        )
    elif status >= 500 or status == 408:
        advice = "the service failed; try again later"
    else:
        advice = "an answer nashra does not expect"
    return EdgeError(f"{said}: {advice}", status, retry_after=wait)
