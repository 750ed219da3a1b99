"""A stand-in for Edge's read-aloud service: a real aiohttp server on a Unix socket, in a thread.

`serving` starts it and points the engine at it through `NASHRA_EDGE_SOCKET`, the variable
nashra reads for tests and local relays: edge-tts is handed aiohttp's public `UnixConnector`
for that socket, and nothing of edge-tts is patched. The server speaks the service's
protocol as edge-tts 7.3.1 expects it: the WebSocket at
`/consumer/speech/synthesize/readaloud/edge/v1` takes a `speech.config` message and an
`ssml` one, and answers `turn.start`, an `audio.metadata` message per word (offsets and
durations in 100-nanosecond ticks), the MP3 in binary `Path:audio` frames (two bytes of
header length, the headers, the audio) and `turn.end`; `/voices/list` answers the voice list.
Each connection is recorded; each takes the next queued answer, else a normal one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import tempfile
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from tests.gtts_mock import tiny_mp3

BASE = "/consumer/speech/synthesize/readaloud"
TOKEN = "6A5AA1D4EAFF4E9FB37E23D68491D6F4"
SSML = "{http://www.w3.org/2001/10/synthesis}"
FIRST_TICKS, STEP_TICKS, WORD_TICKS = 500_000, 3_000_000, 2_500_000
"""Where the fake says word n is: at FIRST + n × STEP ticks, WORD ticks long."""
VOICES: list[dict[str, Any]] = [
    {
        "Name": "Microsoft Server Speech Text to Speech Voice (ar-EG, SalmaNeural)",
        "ShortName": "ar-EG-SalmaNeural",
        "Gender": "Female",
        "Locale": "ar-EG",
        "SuggestedCodec": "audio-24khz-48kbitrate-mono-mp3",
        "FriendlyName": "Microsoft Salma Online (Natural) - Arabic (Egypt)",
        "Status": "GA",
        "VoiceTag": {"ContentCategories": ["General"], "VoicePersonalities": ["Friendly"]},
    },
    {
        "Name": "Microsoft Server Speech Text to Speech Voice (ar-SA, HamedNeural)",
        "ShortName": "ar-SA-HamedNeural",
        "Gender": "Male",
        "Locale": "ar-SA",
        "Status": "GA",
        "VoiceTag": {"ContentCategories": ["News"], "VoicePersonalities": []},
    },
    {
        "ShortName": "en-US-EmmaMultilingualNeural",
        "Gender": "Female",
        "Locale": "en-US",
        "VoiceTag": {"ContentCategories": ["Conversation"], "VoicePersonalities": ["Cheerful"]},
    },
]
LONG_NAMES = {
    f"Microsoft Server Speech Text to Speech Voice ({v['Locale']}, {v['ShortName'].split('-')[-1]})"
    for v in VOICES
}


@dataclass
class Connection:
    """One WebSocket connection: what edge-tts sent."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    messages: list[str] = field(default_factory=list)

    def message(self, path: str) -> tuple[dict[str, str], str]:
        """The headers and body of the message for `path` (`speech.config`, `ssml`)."""
        for message in self.messages:
            head, _, body = message.partition("\r\n\r\n")
            headers = dict(line.split(":", 1) for line in head.split("\r\n"))
            if headers.get("Path") == path:
                return headers, body
        raise LookupError(path)

    def ssml(self) -> ET.Element:
        return ET.fromstring(self.message("ssml")[1])

    @property
    def voice(self) -> str:
        [voice] = self.ssml().iter(f"{SSML}voice")
        return voice.get("name", "")

    @property
    def prosody(self) -> dict[str, str]:
        [prosody] = self.ssml().iter(f"{SSML}prosody")
        return dict(prosody.attrib)

    @property
    def text(self) -> str:
        return "".join(self.ssml().itertext())


@dataclass
class FakeEdge:
    socket: str = ""
    answers: list[dict[str, Any]] = field(default_factory=list)
    """What the next connections get, in order: {"status": 429, "headers": {...}} refuses
    the handshake; {"hang": True} answers nothing; {"audio": False} ends the turn without
    audio; {"metadata": [...]} sends these word boundaries instead of the normal ones;
    {"audio_bytes": n} sends n bytes of audio, a megabyte a frame."""
    connections: list[Connection] = field(default_factory=list)
    voice_lists: int = 0
    voices: list[Any] = field(default_factory=lambda: list(VOICES))
    voices_status: int = 200
    stopping: asyncio.Event | None = None

    def answer(self, **answer: Any) -> None:
        self.answers.append(answer)


def expected_words(text: str) -> list[tuple[float, float, str]]:
    """The (start, end, word) the fake reports for `text`, in seconds."""
    return [
        ((FIRST_TICKS + n * STEP_TICKS) / 1e7, (FIRST_TICKS + n * STEP_TICKS + WORD_TICKS) / 1e7, w)
        for n, w in enumerate(text.split())
    ]


def _text_message(request_id: str, path: str, body: str) -> str:
    return (
        f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
        f"Path:{path}\r\n\r\n{body}"
    )


def _audio_frame(request_id: str, data: bytes) -> bytes:
    content = "Content-Type:audio/mpeg\r\n" if data else ""
    head = f"X-RequestId:{request_id}\r\n{content}X-StreamId:1\r\nPath:audio\r\n".encode()
    return len(head).to_bytes(2, "big") + head + data


def boundary(offset: object, duration: object, word: object) -> dict[str, Any]:
    return {
        "Type": "WordBoundary",
        "Data": {
            "Offset": offset,
            "Duration": duration,
            "text": {"Text": word, "Length": len(str(word)), "BoundaryType": "WordBoundary"},
        },
    }


def _app(fake: FakeEdge) -> web.Application:
    async def speak(request: web.Request) -> web.StreamResponse:
        answer = fake.answers.pop(0) if fake.answers else {}
        connection = Connection(request.path, dict(request.query), dict(request.headers))
        fake.connections.append(connection)
        if "status" in answer:
            return web.Response(status=answer["status"], headers=answer.get("headers", {}))
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                break
            connection.messages.append(message.data)
            if "Path:ssml" in message.data:
                break
        if answer.get("hang"):
            assert fake.stopping is not None
            await fake.stopping.wait()
            return ws
        rid = connection.message("ssml")[0]["X-RequestId"]
        await ws.send_str(_text_message(rid, "turn.start", "{}"))
        known = connection.voice in LONG_NAMES
        if answer.get("audio", True) and known:
            metadata = answer.get("metadata")
            if metadata is None:
                metadata = [
                    boundary(FIRST_TICKS + n * STEP_TICKS, WORD_TICKS, word)
                    for n, word in enumerate(connection.text.split())
                ]
            for said in metadata:
                body = json.dumps({"Metadata": [said]}, ensure_ascii=False)
                await ws.send_str(_text_message(rid, "audio.metadata", body))
            mp3 = tiny_mp3()
            half = len(mp3) // 2
            await ws.send_bytes(_audio_frame(rid, mp3[:half]))
            await ws.send_bytes(_audio_frame(rid, mp3[half:]))
            for _ in range(0, answer.get("audio_bytes", 0), 1_000_000):
                await ws.send_bytes(_audio_frame(rid, b"\xff" * 1_000_000))
            await ws.send_bytes(_audio_frame(rid, b""))
        await ws.send_str(_text_message(rid, "turn.end", "{}"))
        await ws.close()
        return ws

    async def voices(request: web.Request) -> web.Response:
        fake.voice_lists += 1
        if fake.voices_status != 200:
            return web.Response(status=fake.voices_status)
        return web.json_response(fake.voices)

    app = web.Application()
    app.router.add_get(f"{BASE}/edge/v1", speak)
    app.router.add_get(f"{BASE}/voices/list", voices)
    return app


@contextlib.contextmanager
def running() -> Iterator[FakeEdge]:
    """The fake service on a Unix socket of its own (a short path: sockets' are limited)."""
    folder = tempfile.mkdtemp(prefix="edge")
    fake = FakeEdge(socket=str(Path(folder) / "edge.sock"))
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runner = web.AppRunner(_app(fake))

    async def start() -> None:
        fake.stopping = asyncio.Event()
        await runner.setup()
        await web.UnixSite(runner, fake.socket).start()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(30)

    async def stop() -> None:
        assert fake.stopping is not None
        fake.stopping.set()
        await runner.cleanup()

    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.close()
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def serving(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEdge]:
    """The fake service running, with the environment pointing the engine at it (and no
    proxy, which aiohttp would otherwise take from the environment)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "WS_PROXY", "WSS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with running() as fake:
        monkeypatch.setenv("NASHRA_EDGE_SOCKET", fake.socket)
        yield fake
