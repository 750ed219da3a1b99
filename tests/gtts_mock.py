"""Stand in for Google's speech endpoint in tests, at the HTTP level, with `responses`.

Usage::

    @responses.activate
    def test_something():
        mock_google(responses.mock, tiny_mp3())
        ...
        texts = [decode_request(call.request.body)[0] for call in responses.calls]

Any URL not registered makes `responses` raise ConnectionError, so a test can
never reach the real network.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from pathlib import Path

import responses

BATCHEXECUTE = re.compile(
    r"https://translate\.google\.[a-z.]+/_/TranslateWebserverUi/data/batchexecute"
)
TINY_MP3 = Path(__file__).parent / "data" / "tiny.mp3"
"""0.6 s of espeak-ng saying "نشرة", MPEG-2 Layer III, 24 kHz mono 32 kbps (2.4 KB)."""


def tiny_mp3() -> bytes:
    return TINY_MP3.read_bytes()


def batchexecute_body(mp3: bytes) -> str:
    """A batchexecute answer carrying `mp3`, shaped like Google's (the `jQ1olc` envelope)."""
    b64 = base64.b64encode(mp3).decode("ascii")
    envelope = '[["wrb.fr","jQ1olc","[\\"' + b64 + '\\"]",null,null,null,"generic"]]'
    return ")]}'\n\n123\n" + envelope + "\n"


def mock_google(
    rsps: responses.RequestsMock, mp3: bytes, *, host: str | re.Pattern[str] = BATCHEXECUTE
) -> None:
    """Answer every speech request (any tld, or only `host`) with `mp3`."""
    rsps.add(responses.POST, host, body=batchexecute_body(mp3))


def decode_request(body: str | bytes | None) -> tuple[str, str, bool]:
    """The (text, lang, slow) gTTS asked Google to speak in one request body."""
    if body is None:
        raise ValueError("request has no body")
    if isinstance(body, bytes):
        body = body.decode("ascii")
    rpc = json.loads(urllib.parse.parse_qs(body)["f.req"][0])
    text, lang, slow = json.loads(rpc[0][0][1])[:3]
    return text, lang, bool(slow)


def spoken_texts(rsps: responses.RequestsMock) -> list[str]:
    """Every text sent to Google so far, in order, one per request."""
    return [decode_request(call.request.body)[0] for call in rsps.calls]


def sent_timeouts(rsps: responses.RequestsMock) -> list[object]:
    """The `timeout` each request was sent with (responses keeps the send() arguments)."""
    return [getattr(call.request, "req_kwargs", {}).get("timeout") for call in rsps.calls]
