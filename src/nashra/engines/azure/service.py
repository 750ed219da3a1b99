"""Azure AI Speech's REST API through `requests`: the one adapter for it.

Where the service is and the key it takes come from the environment alone:
`AZURE_SPEECH_KEY` (never podcast.toml, which is shared and published with a
project), `AZURE_SPEECH_REGION` when `[speech.azure] region` is not set, and
`AZURE_SPEECH_ENDPOINT`, a base URL in place of the region's (a sovereign
cloud, a proxy, a test's local server). The key goes only into the request's
header: no message, log line or exception here ever holds it, and it is sent
only over HTTPS, or to this machine.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

import requests

from nashra import __version__
from nashra.core.errors import EngineError, EngineUnavailable
from nashra.engines.resilience import checked_endpoint, retry_after

KEY_ENV = "AZURE_SPEECH_KEY"
REGION_ENV = "AZURE_SPEECH_REGION"
ENDPOINT_ENV = "AZURE_SPEECH_ENDPOINT"
SPEAK_PATH = "/cognitiveservices/v1"
VOICES_PATH = "/cognitiveservices/voices/list"
USER_AGENT = f"nashra/{__version__}"
REGION_RE = re.compile(r"[a-z][a-z0-9]{1,39}")
_KEY_RE = re.compile(r"[\x21-\x7e]{8,200}")
"""What a key may be: printable ASCII without spaces, which a header can carry as it is."""


class AzureError(EngineError):
    """Azure did not turn a request into audio; `status` is the HTTP status when it answered.

    429, 408 and 5xx, or no answer at all, may pass: `transient`. 401 and 403 say the key
    or the region is wrong, which no retry changes: `refused`."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        passing = status is None or status in (408, 429) or status >= 500
        self.transient = passing
        self.retry_after = retry_after
        self.refused = status in (401, 403)


@dataclass(frozen=True)
class Service:
    """Where requests go, and what messages call it; the key is read when a request is made."""

    base: str
    """`https://<region>.tts.speech.microsoft.com`, or `AZURE_SPEECH_ENDPOINT`."""
    region: str

    @property
    def where(self) -> str:
        return f"region {self.region}" if self.region else self.base


def service(region_setting: str) -> Service:
    """The service the environment and `[speech.azure] region` name; `EngineUnavailable`
    saying which variable or key to set when they do not."""
    region = region_setting or os.environ.get(REGION_ENV, "").strip()
    endpoint = os.environ.get(ENDPOINT_ENV, "").strip()
    if endpoint:
        return Service(checked_endpoint(endpoint, ENDPOINT_ENV), region)
    if not region:
        raise EngineUnavailable(
            f"no Azure region: set [speech.azure] region, or the environment variable "
            f"{REGION_ENV}, to your Speech resource's region (such as westeurope)"
        )
    if not REGION_RE.fullmatch(region):
        raise EngineUnavailable(
            f"{REGION_ENV} must be an Azure region's name such as westeurope, got {region!r}"
        )
    return Service(f"https://{region}.tts.speech.microsoft.com", region)


def key() -> str:
    """The key from `AZURE_SPEECH_KEY`; `EngineUnavailable` (which never shows it) when it
    is missing or could not be a key."""
    value = os.environ.get(KEY_ENV, "").strip()
    if not value:
        raise EngineUnavailable(
            f"no Azure key: set the environment variable {KEY_ENV} to a key of your Speech "
            "resource (never write it in podcast.toml)"
        )
    if not _KEY_RE.fullmatch(value):
        raise EngineUnavailable(
            f"{KEY_ENV} does not hold a key: it has spaces, line breaks or other characters "
            "no key has (it is not shown here)"
        )
    return value


def speak(where: Service, ssml: str, output_format: str, timeout: float) -> bytes:
    """The audio Azure makes for the SSML document `ssml`; `AzureError` when it does not."""
    secret = key()
    headers = {
        "Ocp-Apim-Subscription-Key": secret,
        "Content-Type": "application/ssml+xml",
        "X-Microsoft-OutputFormat": output_format,
        "User-Agent": USER_AGENT,
    }
    response = _call("POST", where, SPEAK_PATH, headers, timeout, data=ssml.encode("utf-8"))
    if response.status_code != 200:
        raise _refusal(response, where, secret)
    if not response.content:
        raise AzureError(f"Azure ({where.where}) answered without audio", 200)
    return response.content


@dataclass(frozen=True)
class Voice:
    """One of Azure's voices, as `nashra voices list --engine azure` shows it."""

    name: str
    locale: str
    gender: str
    styles: tuple[str, ...]


def arabic_voices(region_setting: str, timeout: float = 15.0) -> list[Voice]:
    """The Arabic voices of the region `[speech.azure] region` (or the environment) names."""
    found = []
    for entry in voices(service(region_setting), timeout):
        locale = str(entry.get("Locale", ""))
        if not locale.startswith("ar-"):
            continue
        styles = entry.get("StyleList") or []
        found.append(
            Voice(
                name=str(entry.get("ShortName", "")),
                locale=locale,
                gender=str(entry.get("Gender", "")),
                styles=tuple(str(s) for s in styles) if isinstance(styles, list) else (),
            )
        )
    return sorted(found, key=lambda v: (v.locale, v.name))


def voices(where: Service, timeout: float) -> list[dict[str, Any]]:
    """Azure's voices in the service's region, as its `voices/list` describes them."""
    secret = key()
    headers = {"Ocp-Apim-Subscription-Key": secret, "User-Agent": USER_AGENT}
    response = _call("GET", where, VOICES_PATH, headers, timeout)
    if response.status_code != 200:
        raise _refusal(response, where, secret)
    try:
        listed = json.loads(response.content)
    except ValueError:
        listed = None
    if not isinstance(listed, list):
        raise AzureError(f"Azure ({where.where}) answered its voice list with no list", 200)
    return [voice for voice in listed if isinstance(voice, dict)]


def _call(
    method: str,
    where: Service,
    path: str,
    headers: dict[str, str],
    timeout: float,
    data: bytes | None = None,
) -> requests.Response:
    try:
        return requests.request(
            method, where.base + path, headers=headers, data=data, timeout=timeout
        )
    except requests.Timeout:
        raise AzureError(
            f"Azure ({where.where}) did not answer within {timeout:g} s; the network is slow "
            "or down (raise timeout in [speech.azure])"
        ) from None
    except requests.RequestException as exc:
        # Said by its kind alone: the exception of a request knows the request.
        raise AzureError(
            f"could not reach Azure at {where.base} ({type(exc).__name__}); are you "
            "offline, or is the region right? Use --engine espeak to build without the network"
        ) from None


def _refusal(response: requests.Response, where: Service, secret: str) -> AzureError:
    status = int(response.status_code)
    said = f"Azure ({where.where}) answered {status} {response.reason or ''}".rstrip()
    if status == 401:
        advice = (
            f"the key in {KEY_ENV} is not a key of a Speech resource in {where.where} "
            f"(a key works only in its resource's region: check {REGION_ENV} or "
            "[speech.azure] region)"
        )
    elif status == 403:
        advice = (
            f"the key in {KEY_ENV} may not use speech here (a free resource over its "
            "quota, or one that is disabled)"
        )
    elif status == 404:
        advice = f"no speech service at {where.base}: is the region right?"
    elif status == 400:
        detail = response.text[:200].replace(secret, "…").strip()
        advice = "the request was refused" + (f" ({detail})" if detail else "")
    elif status == 429:
        advice = "too many requests: lower request_rate in [speech.azure]"
    elif status >= 500:
        advice = "Azure's service failed; try again later"
    else:
        advice = "an answer nashra does not expect"
    return AzureError(f"{said}: {advice}", status, retry_after(response.headers.get("Retry-After")))
