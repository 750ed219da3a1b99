"""Google Cloud Text-to-Speech's REST API through `requests`: the one adapter for it.

`POST {base}/v1/text:synthesize` with the input (SSML, or plain text for voices that take
none), the voice and the audio settings as JSON; the answer's `audioContent` is base64 MP3.
`v1beta1` of the same method also reports when each `<mark>` of the SSML is reached.
`GET {base}/v1/voices?languageCode=…` lists the voices. The base is Google's, or
`GOOGLE_CLOUD_TTS_ENDPOINT` (a regional endpoint, a proxy, a test's local server), which
must be https:// (http:// only to this machine): the credentials go in its headers.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from typing import Any

import requests

from nashra import __version__
from nashra.core.errors import EngineError
from nashra.engines.google_cloud import credentials
from nashra.engines.resilience import checked_endpoint, retry_after

ENDPOINT_ENV = "GOOGLE_CLOUD_TTS_ENDPOINT"
DEFAULT_BASE = "https://texttospeech.googleapis.com"
SPEAK_PATH = "/v1/text:synthesize"
TIMED_PATH = "/v1beta1/text:synthesize"
"""The same method where it reports when each `<mark>` of the SSML is reached."""
VOICES_PATH = "/v1/voices"
MAX_INPUT_BYTES = 5000
"""What Google takes in one request's input, SSML markup included (its documented limit)."""
USER_AGENT = f"nashra/{__version__}"


class GoogleCloudError(EngineError):
    """Google did not turn a request into audio; `status` is the HTTP status when it answered.

    429, 408 and 5xx, or no answer at all, may pass: `transient`. 401 and 403, and a key
    Google calls invalid, are `refused`: no retry changes them."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        retry_after: float | None = None,
        refused: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.transient = status is None or status in (408, 429) or status >= 500
        self.retry_after = retry_after
        self.refused = refused or status in (401, 403)


def base() -> str:
    """Where requests go: `GOOGLE_CLOUD_TTS_ENDPOINT`, or Google's own address."""
    endpoint = os.environ.get(ENDPOINT_ENV, "").strip()
    if not endpoint:
        return DEFAULT_BASE
    return checked_endpoint(endpoint, ENDPOINT_ENV)


def speak(body: dict[str, Any], timeout: float) -> bytes:
    """The MP3 Google makes for the request `body`; `GoogleCloudError` when it does not."""
    return _synthesize(body, timeout, SPEAK_PATH)[0]


def speak_timed(body: dict[str, Any], timeout: float) -> tuple[bytes, list[tuple[str, float]]]:
    """`speak`, and when each `<mark>` of its SSML is reached: (name, seconds), as Google
    lists them. The list is Google's answer, unchecked but for its shape."""
    body = {**body, "enableTimePointing": ["SSML_MARK"]}
    audio, answer = _synthesize(body, timeout, TIMED_PATH)
    listed = answer.get("timepoints", [])
    points = [
        (p["markName"], float(p.get("timeSeconds", 0.0)))
        for p in (listed if isinstance(listed, list) else [])
        if isinstance(p, dict)
        and isinstance(p.get("markName"), str)
        and isinstance(p.get("timeSeconds", 0.0), int | float)
        and not isinstance(p.get("timeSeconds"), bool)
    ]
    return audio, points


def _synthesize(body: dict[str, Any], timeout: float, path: str) -> tuple[bytes, dict[str, Any]]:
    where = base()
    sent = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", **_auth()}
    response = _call("POST", where + path, headers, timeout, data=sent)
    if response.status_code != 200:
        raise _refusal(response, where)
    answer: dict[str, Any] = {}
    try:
        answer = json.loads(response.content)
        audio = base64.b64decode(answer["audioContent"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error):
        audio = b""
    if not audio or not isinstance(answer, dict):
        raise GoogleCloudError(f"Google Cloud ({where}) answered without audio", 200)
    return audio, answer


@dataclass(frozen=True)
class Voice:
    """One of Google's voices, as `nashra voices list --engine google-cloud` shows it."""

    name: str
    language_codes: tuple[str, ...]
    gender: str
    sample_rate: int


def voices(language: str = "ar-XA", timeout: float = 15.0) -> list[Voice]:
    """Google's voices for `language`, as its `voices` method lists them."""
    where = base()
    url = f"{where}{VOICES_PATH}?languageCode={language}"
    response = _call("GET", url, _auth(), timeout)
    if response.status_code != 200:
        raise _refusal(response, where)
    try:
        listed = json.loads(response.content).get("voices", [])
    except (ValueError, AttributeError):
        listed = None
    if not isinstance(listed, list):
        raise GoogleCloudError(f"Google Cloud ({where}) answered its voice list with no list")
    found = []
    for entry in listed:
        if not isinstance(entry, dict):
            continue
        codes = entry.get("languageCodes") or []
        rate = entry.get("naturalSampleRateHertz")
        found.append(
            Voice(
                name=str(entry.get("name", "")),
                language_codes=tuple(str(c) for c in codes) if isinstance(codes, list) else (),
                gender=str(entry.get("ssmlGender", "")),
                sample_rate=rate if isinstance(rate, int) else 0,
            )
        )
    return sorted(found, key=lambda v: v.name)


def _auth() -> dict[str, str]:
    return {"User-Agent": USER_AGENT, **credentials.headers()}


def _call(
    method: str, url: str, headers: dict[str, str], timeout: float, data: bytes | None = None
) -> requests.Response:
    where = base()
    try:
        return requests.request(method, url, headers=headers, data=data, timeout=timeout)
    except requests.Timeout:
        raise GoogleCloudError(
            f"Google Cloud ({where}) did not answer within {timeout:g} s; the network is slow "
            "or down (raise timeout in [speech.google-cloud])"
        ) from None
    except requests.RequestException as exc:
        # Said by its kind alone: the exception of a request knows the request.
        raise GoogleCloudError(
            f"could not reach Google Cloud at {where} ({type(exc).__name__}); are you "
            "offline? Use --engine espeak to build without the network"
        ) from None


def _detail(response: requests.Response) -> tuple[str, str]:
    """Google's own message and reason for a refusal, the credentials cut out."""
    try:
        error = json.loads(response.content).get("error", {})
        message = str(error.get("message", ""))
        reasons = [
            str(d.get("reason", "")) for d in error.get("details", []) if isinstance(d, dict)
        ]
    except (ValueError, AttributeError, TypeError):
        message, reasons = response.text, []
    for secret in credentials.secrets():
        message = message.replace(secret, "…")
    return " ".join(message.split())[:200], " ".join(reasons)


def _refusal(response: requests.Response, where: str) -> GoogleCloudError:
    status = int(response.status_code)
    message, reasons = _detail(response)
    said = f"Google Cloud ({where}) answered {status} {response.reason or ''}".rstrip()
    quoted = f" ({message})" if message else ""
    bad_key = "API_KEY_INVALID" in reasons or "API key not valid" in message
    if bad_key or status == 401:
        advice = (
            f"the credentials were refused: check {credentials.KEY_ENV} or "
            f"{credentials.ADC_ENV}{quoted}"
        )
    elif status == 403:
        advice = (
            "the credentials may not use Text-to-Speech: is the Cloud Text-to-Speech API "
            "enabled for the key's project, with billing, and is the key allowed to call "
            f"it?{quoted}"
        )
    elif status == 400:
        advice = "the request was refused" + quoted
    elif status == 404:
        advice = f"no Text-to-Speech service at {where}"
    elif status == 429:
        advice = "too many requests: lower request_rate in [speech.google-cloud]"
    elif status >= 500:
        advice = "Google's service failed; try again later"
    else:
        advice = "an answer nashra does not expect"
    return GoogleCloudError(
        f"{said}: {advice}",
        status,
        retry_after(response.headers.get("Retry-After")),
        refused=bad_key,
    )
