"""A stand-in for Google Cloud Text-to-Speech's REST API (and Google's OAuth token endpoint):
a real HTTP server on 127.0.0.1 in a thread.

`serving` starts it and points the engine at it through `GOOGLE_CLOUD_TTS_ENDPOINT`, with an
API key in `GOOGLE_CLOUD_API_KEY` as a user would set it; `service_account` writes a service
account's JSON key (a fresh RSA key) whose `token_uri` is this server, for Application
Default Credentials. The server records every request and answers each synthesis with the
next queued answer, or with base64 of a small real MP3 (and, asked through v1beta1 with
time pointing, a timepoint for each `<mark>` of the SSML).
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.gtts_mock import tiny_mp3

KEY = "AIzaSy-SECRET-k3y-7f9c2e4b1a0d8e6f3c5b"
"""The key the tests set in GOOGLE_CLOUD_API_KEY: it must never be seen anywhere else."""
TOKEN = "ya29.SECRET-t0ken-5e1f0a9b8c7d"
"""The access token the fake token endpoint hands out: never to be seen anywhere else."""
WORD_SECONDS = 0.25
"""Where the fake says each word is, one after the other: the n-th mark at n times this."""
VOICES: list[dict[str, Any]] = [
    {
        "languageCodes": ["ar-XA"],
        "name": "ar-XA-Wavenet-B",
        "ssmlGender": "MALE",
        "naturalSampleRateHertz": 24000,
    },
    {
        "languageCodes": ["ar-XA"],
        "name": "ar-XA-Chirp3-HD-Achernar",
        "ssmlGender": "FEMALE",
        "naturalSampleRateHertz": 24000,
    },
    {
        "languageCodes": ["en-US"],
        "name": "en-US-Wavenet-D",
        "ssmlGender": "MALE",
        "naturalSampleRateHertz": 24000,
    },
]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def ssml(self) -> ET.Element:
        """The request's SSML, parsed (so it is well-formed XML)."""
        return ET.fromstring(self.json()["input"]["ssml"])

    def text(self) -> str:
        """All the text the request asks to be said."""
        return "".join(self.ssml().itertext())

    def header(self, name: str) -> str | None:
        found = {k.lower(): v for k, v in self.headers.items()}
        return found.get(name.lower())


@dataclass
class FakeGoogle:
    url: str = ""
    answers: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    """What the next synthesis requests get, in order; then 200 with a real MP3."""
    requests: list[Seen] = field(default_factory=list)
    voices_status: int = 200
    """What the voice list answers: 200 with `VOICES` of the language asked for, or this."""
    delays: list[float] = field(default_factory=list)
    """Seconds the next synthesis requests wait, in order, before they are answered (a
    slow service); the wait ends at once when the server stops, so that no thread
    outlives a test."""
    stopping: threading.Event = field(default_factory=threading.Event)

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.answers.append((status, {k.replace("_", "-"): v for k, v in headers.items()}, body))

    @property
    def posts(self) -> list[Seen]:
        return [s for s in self.requests if s.method == "POST" and s.path != "/token"]

    @property
    def tokens(self) -> list[Seen]:
        return [s for s in self.requests if s.path == "/token"]


def _handler(fake: FakeGoogle) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _record(self, method: str) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length) if length else b""
            with lock:
                fake.requests.append(Seen(method, self.path, dict(self.headers.items()), body))

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, value: object) -> None:
            self._send(200, {"Content-Type": "application/json"}, json.dumps(value).encode())

        def do_POST(self) -> None:
            self._record("POST")
            if self.path == "/token":
                self._json({"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"})
                return
            if self.path not in ("/v1/text:synthesize", "/v1beta1/text:synthesize"):
                self._send(404, {}, b"")
                return
            with lock:
                delay = fake.delays.pop(0) if fake.delays else 0.0
            if delay and fake.stopping.wait(delay):
                return  # the test is over: the client gave up long ago
            with lock:
                queued = fake.answers.pop(0) if fake.answers else None
            if queued is not None:
                self._send(*queued)
                return
            answer: dict[str, Any] = {"audioContent": base64.b64encode(tiny_mp3()).decode()}
            if self.path.startswith("/v1beta1/") and fake.requests[-1].json().get(
                "enableTimePointing"
            ) == ["SSML_MARK"]:
                # v1beta1 reports each mark of the SSML: here a word every WORD_SECONDS.
                names = [m.get("name") for m in fake.requests[-1].ssml().iter("mark")]
                answer["timepoints"] = [
                    {"markName": name, "timeSeconds": round(n * WORD_SECONDS, 3)}
                    for n, name in enumerate(names)
                ]
            self._json(answer)

        def do_GET(self) -> None:
            self._record("GET")
            path, _, language = self.path.partition("?languageCode=")
            if path != "/v1/voices":
                self._send(404, {}, b"")
                return
            if fake.voices_status != 200:
                self._send(fake.voices_status, {}, b"")
                return
            self._json({"voices": [v for v in VOICES if language in v["languageCodes"]]})

    return Handler


@contextlib.contextmanager
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """The fake service running, with the environment pointing the engine at it."""
    from nashra.engines.google_cloud import credentials

    fake = FakeGoogle()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("GOOGLE_CLOUD_TTS_ENDPOINT", fake.url)
    monkeypatch.setenv("GOOGLE_CLOUD_API_KEY", KEY)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    credentials.forget()
    try:
        yield fake
    finally:
        fake.stopping.set()
        credentials.forget()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def service_account(folder: Path, token_uri: str) -> tuple[Path, str]:
    """A service account's JSON key file in `folder`, with a new RSA key; and its private key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "nashra-test",
        "private_key_id": "0123456789abcdef",
        "private_key": pem,
        "client_email": "nashra@nashra-test.iam.gserviceaccount.com",
        "client_id": "1234567890",
        "token_uri": token_uri,
    }
    path = folder / "service-account.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path, pem
