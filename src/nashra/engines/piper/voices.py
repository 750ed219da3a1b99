"""Piper voices on this machine: the per-user voice folder, a catalogue, download and removal.

A voice is a folder `<voices>/<name>/` holding `<name>.onnx` (the model),
`<name>.onnx.json` (its config: language, sample rate, phoneme map) and, when
its source has one, `MODEL_CARD`. A voice appears in the folder in one rename,
only once every file is whole and verified, so nothing half-written is ever
listed or used. Downloads in progress live under `<voices>/.partial/` and are
resumed with HTTP Range requests on the next `add`.

Nothing here runs unless the user asks (`nashra voices add`); a build never downloads.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nashra.core.errors import NashraError, UsageError
from nashra.engines.piper.catalogue import CATALOGUE, CatalogueEntry, RemoteFile
from nashra.storage.writer import fsync_dir

log = logging.getLogger(__name__)

VOICES_ENV = "NASHRA_VOICES_DIR"
"""Names another voice folder (tests use it; so can a shared machine)."""

_PARTIAL = ".partial"
_SOURCE_FILE = "source.json"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TIMEOUT = 60.0
_BLOCK = 1 << 16


class VoiceError(NashraError):
    """A voice could not be downloaded, verified, found or removed."""


@dataclass(frozen=True)
class InstalledVoice:
    """A voice in the voice folder, as `nashra voices list` shows it."""

    name: str
    model: Path
    config: Path
    language: str
    quality: str
    sample_rate: int
    size: int
    """Bytes on disk, all files together."""
    licence: str


def voices_dir() -> Path:
    """The per-user voice folder: `$NASHRA_VOICES_DIR`, else `$XDG_DATA_HOME/nashra/voices`."""
    override = os.environ.get(VOICES_ENV)
    if override:
        return Path(override).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "nashra" / "voices"


def catalogue_entry(name: str, catalogue: Sequence[CatalogueEntry] = CATALOGUE) -> CatalogueEntry:
    for entry in catalogue:
        if entry.name == name:
            return entry
    known = ", ".join(entry.name for entry in catalogue) or "none"
    raise UsageError(f"no voice called {name!r} in nashra's catalogue (known: {known})")


def not_installed(
    installed: Iterable[InstalledVoice], catalogue: Sequence[CatalogueEntry] = CATALOGUE
) -> list[CatalogueEntry]:
    """The catalogue's voices that are not among `installed`: the ones to offer for `add`."""
    names = {voice.name for voice in installed}
    return [entry for entry in catalogue if entry.name not in names]


def _check_name(name: str) -> None:
    if not _NAME_RE.match(name) or name.startswith("."):
        raise UsageError(f"{name!r} is not a voice name (letters, digits, '_', '-', '.')")


def voice_name_of(model_file: str) -> str:
    """`ar_JO-kareem-medium` for `.../ar_JO-kareem-medium.onnx`."""
    base = model_file.rsplit("/", 1)[-1]
    if not base.endswith(".onnx") or base == ".onnx":
        raise UsageError(f"{model_file!r} is not a Piper voice model (a file ending in .onnx)")
    return base[: -len(".onnx")]


# ---------------------------------------------------------------------------------- reading


def _card_licence(card: Path) -> str | None:
    """The licence a Piper MODEL_CARD states (its `License:` line), if it states one."""
    try:
        text = card.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r"(?im)^\W*licen[cs]e\s*:\s*(.+?)\s*$", text)
    return match.group(1) if match else None


def read_voice(folder: Path) -> InstalledVoice:
    """The voice in `folder`; raise VoiceError when its files are missing or unreadable."""
    name = folder.name
    model = folder / f"{name}.onnx"
    config_path = folder / f"{name}.onnx.json"
    if not model.is_file() or not config_path.is_file():
        raise VoiceError(f"{folder}: a voice folder needs {name}.onnx and {name}.onnx.json")
    config = read_config(config_path)
    audio = config.get("audio", {})
    language = config.get("language", {})
    code = language.get("code") if isinstance(language, dict) else None
    espeak = config.get("espeak", {})
    licence = _card_licence(folder / "MODEL_CARD")
    if licence is None:
        try:
            licence = json.loads((folder / _SOURCE_FILE).read_text(encoding="utf-8"))["licence"]
        except (OSError, ValueError, KeyError, TypeError):
            licence = None
    size = sum(path.stat().st_size for path in folder.iterdir() if path.is_file())
    return InstalledVoice(
        name=name,
        model=model,
        config=config_path,
        language=str(code or (espeak.get("voice") if isinstance(espeak, dict) else "") or "?"),
        quality=str(audio.get("quality", "?")) if isinstance(audio, dict) else "?",
        sample_rate=int(audio.get("sample_rate", 0)) if isinstance(audio, dict) else 0,
        size=size,
        licence=str(licence or "not stated"),
    )


def read_config(path: Path) -> dict[str, Any]:
    """A voice's `.onnx.json`, checked for what nashra relies on."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise VoiceError(f"{path}: not a readable voice config ({exc})") from exc
    if not isinstance(config, dict):
        raise VoiceError(f"{path}: a voice config is a JSON object")
    audio = config.get("audio")
    if not isinstance(audio, dict) or not isinstance(audio.get("sample_rate"), int):
        raise VoiceError(f"{path}: no audio.sample_rate; is this a Piper voice config?")
    if not isinstance(config.get("phoneme_id_map"), dict):
        raise VoiceError(f"{path}: no phoneme_id_map; is this a Piper voice config?")
    return config


def list_voices(folder: Path | None = None) -> list[InstalledVoice]:
    """The installed voices, by name. Downloads in progress and broken folders are not listed."""
    folder = folder or voices_dir()
    if not folder.is_dir():
        return []
    voices = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            voices.append(read_voice(entry))
        except VoiceError as exc:
            log.warning("skipping %s", exc)
    return voices


def find_voice(name_or_path: str, folder: Path | None = None) -> InstalledVoice:
    """The voice a setting names: an installed voice's name, or the path of an `.onnx` file."""
    if name_or_path.endswith(".onnx") or "/" in name_or_path or os.sep in name_or_path:
        model = Path(name_or_path).expanduser()
        if not model.is_file():
            raise VoiceError(f"no voice model at {model}")
        config = model.with_name(model.name + ".json")
        if not config.is_file():
            raise VoiceError(f"{model} has no config beside it ({config.name})")
        voice = read_voice_files(model, config)
        return voice
    folder = folder or voices_dir()
    candidate = folder / name_or_path
    if not _NAME_RE.match(name_or_path) or not candidate.is_dir():
        installed = ", ".join(voice.name for voice in list_voices(folder)) or "none"
        raise VoiceError(
            f"no voice called {name_or_path!r} in {folder} (installed: {installed});"
            f" install it with `nashra voices add {name_or_path}`"
        )
    return read_voice(candidate)


def read_voice_files(model: Path, config: Path) -> InstalledVoice:
    """A voice given as a model file with its config beside it, outside the voice folder."""
    data = read_config(config)
    audio = data["audio"]
    language = data.get("language", {})
    code = language.get("code") if isinstance(language, dict) else None
    espeak = data.get("espeak", {})
    return InstalledVoice(
        name=model.name[: -len(".onnx")] if model.name.endswith(".onnx") else model.name,
        model=model,
        config=config,
        language=str(code or (espeak.get("voice") if isinstance(espeak, dict) else "") or "?"),
        quality=str(audio.get("quality", "?")),
        sample_rate=int(audio["sample_rate"]),
        size=model.stat().st_size + config.stat().st_size,
        licence=str(_card_licence(model.with_name("MODEL_CARD")) or "not stated"),
    )


def remove_voice(name: str, folder: Path | None = None) -> Path:
    """Delete an installed voice (and any download of it in progress); return its folder."""
    _check_name(name)
    folder = folder or voices_dir()
    target = folder / name
    partial = folder / _PARTIAL / name
    if not target.is_dir() and not partial.is_dir():
        installed = ", ".join(voice.name for voice in list_voices(folder)) or "none"
        raise UsageError(f"no voice called {name!r} in {folder} (installed: {installed})")
    # Move aside first, so a removal cut short never leaves a half-deleted voice listed.
    if target.is_dir():
        doomed = folder / _PARTIAL / f".removing-{name}"
        doomed.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(doomed, ignore_errors=True)
        target.rename(doomed)
        shutil.rmtree(doomed)
    shutil.rmtree(partial, ignore_errors=True)
    return target


# ---------------------------------------------------------------------------------- adding

Progress = Callable[[str, int, int | None], None]
"""Called with (file name, bytes so far, total bytes or None) as a download goes."""


def _no_progress(_name: str, _done: int, _total: int | None) -> None:
    return None


def plan_add(
    source: str, catalogue: Sequence[CatalogueEntry] = CATALOGUE
) -> tuple[str, tuple[RemoteFile, ...], str | None]:
    """What `add SOURCE` fetches: (voice name, its files, licence from the catalogue or None).

    SOURCE is a catalogue name, the URL of an `.onnx` file (its `.onnx.json` is
    fetched from beside it, and its digests taken from the catalogue when it
    lists that URL), or the path of a local `.onnx` file.
    """
    for entry in catalogue:
        if source == entry.name:
            return entry.name, entry.files, entry.licence
    scheme = urllib.parse.urlsplit(source).scheme
    if scheme in ("http", "https", "file"):
        name = voice_name_of(urllib.parse.unquote(urllib.parse.urlsplit(source).path))
        for entry in catalogue:
            if any(file.url == source for file in entry.files):
                return entry.name, entry.files, entry.licence
        card = source.rsplit("/", 1)[0] + "/MODEL_CARD"
        files = (
            RemoteFile(source),
            RemoteFile(source + ".json"),
            RemoteFile(card, required=False),
        )
        return name, files, None
    path = Path(source).expanduser()
    if path.exists() or source.endswith(".onnx"):
        name = voice_name_of(path.name)
        model = path.resolve()
        files = (
            RemoteFile(model.as_uri()),
            RemoteFile(model.with_name(model.name + ".json").as_uri()),
            RemoteFile(model.with_name("MODEL_CARD").as_uri(), required=False),
        )
        return name, files, None
    known = ", ".join(entry.name for entry in catalogue)
    raise UsageError(
        f"{source!r} is neither a voice in nashra's catalogue ({known}), a URL, nor an .onnx file"
    )


def add_voice(
    source: str,
    *,
    folder: Path | None = None,
    catalogue: Sequence[CatalogueEntry] = CATALOGUE,
    progress: Progress = _no_progress,
    replace: bool = False,
) -> InstalledVoice:
    """Download (or copy) a voice into the voice folder and return it, installed.

    An interrupted download is resumed on the next call. Each file with a known
    SHA-256 is verified before the voice is installed; one that does not match
    is deleted and refused. The voice appears in one rename, whole.
    """
    name, files, licence = plan_add(source, catalogue)
    _check_name(name)
    folder = folder or voices_dir()
    target = folder / name
    if target.exists() and not replace:
        raise UsageError(f"a voice called {name!r} is already installed in {folder}")
    staging = folder / _PARTIAL / name
    staging.mkdir(parents=True, exist_ok=True)
    for remote in files:
        _fetch(remote, staging, progress)
    if licence is not None:
        (staging / _SOURCE_FILE).write_text(
            json.dumps({"source": source, "licence": licence}, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    voice = read_voice(staging)  # refuses a folder without both files or with a broken config
    if target.exists():
        remove_voice(name, folder)
    staging.rename(target)
    fsync_dir(folder)
    log.info("installed voice %s (%s, %d Hz)", voice.name, voice.language, voice.sample_rate)
    return read_voice(target)


def _fetch(remote: RemoteFile, staging: Path, progress: Progress) -> None:
    """Bring `remote` whole into `staging`, resuming a `.part` left by an earlier try."""
    name = remote.name
    final = staging / name
    if final.is_file():  # fetched whole on an earlier try
        _verify(remote, final)
        return
    part = staging / f"{name}.part"
    done = part.stat().st_size if part.is_file() else 0
    request = urllib.request.Request(remote.url, headers={"User-Agent": "nashra"})
    if done:
        request.add_header("Range", f"bytes={done}-")
    try:
        response = urllib.request.urlopen(request, timeout=_TIMEOUT)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and done:  # the part is already the whole file
            part.rename(final)
            _verify(remote, final)
            return
        if exc.code == 404 and not remote.required:
            log.info("%s: not found (optional)", remote.url)
            return
        raise VoiceError(f"{remote.url}: the server answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        if not remote.required:
            log.info("%s: %s (optional)", remote.url, exc)
            return
        reason = getattr(exc, "reason", exc)
        raise VoiceError(f"{remote.url}: cannot download ({reason})") from exc
    with response:
        status = getattr(response, "status", 200)
        if done and status != 206:
            log.info("%s: the server cannot resume; starting again", remote.url)
            done = 0
        length = response.headers.get("Content-Length")
        total = done + int(length) if length and length.isdigit() else None
        mode = "ab" if done else "wb"
        try:
            with part.open(mode) as out:
                while True:
                    block = response.read(_BLOCK)
                    if not block:
                        break
                    out.write(block)
                    done += len(block)
                    progress(name, done, total)
                out.flush()
                os.fsync(out.fileno())
        except (OSError, urllib.error.URLError, http.client.HTTPException) as exc:
            raise VoiceError(
                f"{remote.url}: the download stopped at {done} bytes ({exc});"
                " run the same command again to resume it"
            ) from exc
    if total is not None and done != total:
        raise VoiceError(
            f"{remote.url}: the download stopped at {done} of {total} bytes;"
            " run the same command again to resume it"
        )
    part.rename(final)
    _verify(remote, final)


def _verify(remote: RemoteFile, path: Path) -> None:
    if remote.sha256 is None:
        return
    actual = sha256_file(path)
    if actual != remote.sha256.lower():
        path.unlink()
        raise VoiceError(
            f"{remote.url}: SHA-256 {actual} is not the expected {remote.sha256};"
            " the file was deleted. The source may have changed or the download been"
            " corrupted: try again, and if it fails again, do not use this file"
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
