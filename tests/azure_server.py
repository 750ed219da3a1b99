"""A stand-in for Azure AI Speech's REST API: a real HTTP server on 127.0.0.1 in a thread.

`serving` starts it and points the engine at it through `AZURE_SPEECH_ENDPOINT`
(the variable nashra reads for sovereign clouds and tests), with a key and a region in the
environment as a user would set them. The server records every request and answers each
POST with the next queued answer, or with a small real MP3.
"""

from __future__ import annotations

import contextlib
import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.gtts_mock import tiny_mp3

KEY = "k3y-SECRET-7f9c2e4b1a0d8e6f3c5b"
"""The key the tests set in AZURE_SPEECH_KEY: it must never be seen anywhere else."""
SSML = "{http://www.w3.org/2001/10/synthesis}"
VOICES = [
    {"ShortName": "ar-EG-SalmaNeural", "Locale": "ar-EG", "Gender": "Female"},
    {"ShortName": "ar-SA-HamedNeural", "Locale": "ar-SA", "Gender": "Male"},
    {
        "ShortName": "en-US-AriaNeural",
        "Locale": "en-US",
        "Gender": "Female",
        "StyleList": ["newscast", "chat"],
    },
]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def ssml(self) -> ET.Element:
        """The request's SSML, parsed (so it is well-formed XML)."""
        return ET.fromstring(self.body)

    def text(self) -> str:
        """All the text the request asks to be said."""
        return "".join(self.ssml().itertext())


@dataclass
class FakeAzure:
    url: str = ""
    answers: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    """What the next POSTs get, in order; then 200 with a real MP3."""
    requests: list[Seen] = field(default_factory=list)
    voices_status: int = 200
    """What the voice list answers: 200 with `VOICES`, or this."""
    delays: list[float] = field(default_factory=list)
    """Seconds the next synthesis requests wait, in order, before they are answered (a
    slow service); the wait ends at once when the server stops, so that no thread
    outlives a test."""
    stopping: threading.Event = field(default_factory=threading.Event)

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.answers.append((status, {k.replace("_", "-"): v for k, v in headers.items()}, body))

    @property
    def posts(self) -> list[Seen]:
        return [seen for seen in self.requests if seen.method == "POST"]


def _handler(fake: FakeAzure) -> type[BaseHTTPRequestHandler]:
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

        def do_POST(self) -> None:
            self._record("POST")
            with lock:
                delay = fake.delays.pop(0) if fake.delays else 0.0
            if delay and fake.stopping.wait(delay):
                return  # the test is over: the client gave up long ago
            with lock:
                queued = fake.answers.pop(0) if fake.answers else None
            if queued is None:
                self._send(200, {"Content-Type": "audio/mpeg"}, tiny_mp3())
            else:
                self._send(*queued)

        def do_GET(self) -> None:
            self._record("GET")
            if self.path != "/cognitiveservices/voices/list":
                self._send(404, {}, b"")
                return
            if fake.voices_status != 200:
                self._send(fake.voices_status, {}, b"")
                return
            body = json.dumps(VOICES).encode()
            self._send(200, {"Content-Type": "application/json"}, body)

    return Handler


@contextlib.contextmanager
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    """The fake service running, with the environment pointing the engine at it."""
    fake = FakeAzure()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("AZURE_SPEECH_ENDPOINT", fake.url)
    monkeypatch.setenv("AZURE_SPEECH_KEY", KEY)
    monkeypatch.setenv("AZURE_SPEECH_REGION", "westeurope")
    try:
        yield fake
    finally:
        fake.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()
